import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { BrowserLike, type Page } from '../integration/browser-like.js';
import { type LoopbackGuard, guardLoopback } from '../integration/loopback-guard.js';
import { FIGURES_FILE, type Figures } from './figures.js';

/**
 * The attacks of the account-binding review, tried as an attacker would, on the real HTTP flow
 * of the local stack (service, Amazon sandbox, DynamoDB Local, Secrets Manager and EventBridge
 * stand-ins; nothing mocked): a planted ticket, a planted binding cookie, Login CSRF with another
 * seller's amazon_state, a crafted continuation, and malformed input on every browser and
 * authorization route. Every attack must end with no grant in the wrong account. The figures
 * (requests per route, 5xx, writes on rejected input, off-site redirects, leaked markers,
 * cross-account attempts) are written for `npm run test:security` to print.
 */

const VICTIM_SELLER = 'ASANDBOXEU0001';
const ATTACKER_SELLER = 'ASANDBOXEU0002';
const MARKER = 'MARKERx9q';

let stack: LocalStack;
let guard: LoopbackGuard;
let doc: DynamoDBDocumentClient;
let accounts = 0;

const figures: Figures = { routes: {}, crossAccount: [] };

function route(url: URL, method: string): string | null {
  if (url.origin !== stack.url) return null;
  const p = url.pathname;
  if (p.startsWith('/v1/amazon/authorize/')) return `${method} /v1/amazon/authorize/{ticket}`;
  if (p.startsWith('/v1/amazon/venues/')) return `${method} ${p.replace(/^\/v1\/amazon\/venues\/[^/]+/, '/v1/amazon/venues/{marketplace}')}`;
  if (p.startsWith('/v1/')) return `${method} ${p}`;
  return null;
}

/** Counts one answer of the service: per route, 5xx, off-site redirects, input markers echoed. */
function count(url: URL, method: string, status: number, text: string, locationHeader: string | undefined, rejected: boolean): void {
  const name = route(url, method);
  if (!name) return;
  const f = (figures.routes[name] ??= { tried: 0, rejected: 0, serverErrors: 0, offSiteRedirects: 0, leakedMarkers: 0 });
  f.tried++;
  if (rejected) f.rejected++;
  if (status >= 500) f.serverErrors++;
  if (locationHeader) {
    const to = new URL(locationHeader, url);
    if (to.origin !== stack.url && to.origin !== stack.sandboxUrl) f.offSiteRedirects++;
  }
  if (text.includes(MARKER) || (locationHeader ?? '').includes(MARKER)) f.leakedMarkers++;
}

/** Every service hop of a page; `rejected`: the page carried hostile input, so each hop counts as a rejected request. */
function countPage(page: Page, rejected = false): Page {
  for (const hop of page.hops) count(new URL(hop.url), hop.method, hop.status, hop === page.hops.at(-1) ? page.text : '', hop.location, rejected);
  return page;
}

async function dev(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
  return response.status === 204 ? undefined : response.json();
}

async function signedIn(name: string) {
  const accountId = `acc-sec-${name}-${++accounts}`;
  const { token } = (await dev('POST', '/__dev/token', { accountId })) as { token: string };
  const api = async (method: string, path: string, body?: unknown, rejected = false, headers: Record<string, string> = {}) => {
    const url = new URL(`${stack.url}${path}`);
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    count(url, method, response.status, text, response.headers.get('location') ?? undefined, rejected);
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    return { status: response.status, json, headers: response.headers };
  };
  return { accountId, api };
}
type Account = Awaited<ReturnType<typeof signedIn>>;

/** Grant and venue items, grant secrets and events of an account: what an attack must not create. */
async function stored(accountId: string): Promise<{ grants: number; venues: number; secrets: number; events: number }> {
  const items = (await doc.send(new ScanCommand({ TableName: stack.tableName }))).Items ?? [];
  const mine = items.filter((i) => i.pk === `ACCOUNT#${accountId}`);
  const { events } = (await dev('GET', '/__dev/events')) as { events: { detail: { accountId?: string } }[] };
  return {
    grants: mine.filter((i) => String(i.sk).startsWith('GRANT#')).length,
    venues: mine.filter((i) => String(i.sk).startsWith('VENUE#') && i.grantKey).length,
    secrets: stack.secretsManager.names().filter((n) => n.includes(`/grants/${accountId}/`)).length,
    events: events.filter((e) => e.detail.accountId === accountId).length,
  };
}
const NOTHING = { grants: 0, venues: 0, secrets: 0, events: 0 };

function confirmConsent(browser: BrowserLike, consent: Page, sellingPartnerId: string): Promise<Page> {
  return browser.submit(consent, { button: 'Confirm', check: ['consent'], select: { selling_partner_id: sellingPartnerId } });
}

/** The completion page's POST with `account`'s JWT; for a flow started on Amazon, `decision` after the question. */
async function complete(page: Page, account: Account, rejected: boolean, decision: 'confirm' | 'cancel' = 'confirm') {
  const handle = new URLSearchParams(new URL(page.url).hash.slice(1)).get('completion') as string;
  expect(handle).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
  let answer = await account.api('POST', '/v1/amazon/authorization-completions', { completion: handle }, rejected);
  if (answer.json.amazonAuthorization === 'confirm') answer = await account.api('POST', '/v1/amazon/authorization-completions', { completion: handle, decision }, rejected);
  return answer;
}

function recordCrossAccount(attack: string, outcome: string, grantInWrongAccount: boolean): void {
  figures.crossAccount.push({ attack, outcome, grantInWrongAccount });
}

beforeAll(async () => {
  guard = guardLoopback();
  stack = await startLocalStack({ port: 0, inMemory: true, sweepIntervalMs: 0 });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
});

afterAll(async () => {
  mkdirSync(dirname(FIGURES_FILE), { recursive: true });
  writeFileSync(FIGURES_FILE, JSON.stringify(figures, null, 2));
  doc?.destroy();
  await stack?.stop();
  guard.restore();
});

describe('cross-account attacks on the real HTTP flow', () => {
  it('planted ticket: the attacker’s ticket link opened and confirmed in the seller’s browser ends in ACCOUNT_MISMATCH; no grant in either account', async () => {
    const attacker = await signedIn('attacker');
    const victim = await signedIn('victim');
    const { json } = await attacker.api('POST', '/v1/amazon/venues/UK/authorizations', {});
    const browser = new BrowserLike();

    const consent = countPage(await browser.goto(json.authorizationUrl as string));
    const completionPage = countPage(await confirmConsent(browser, consent, VICTIM_SELLER));
    const answer = await complete(completionPage, victim, true);

    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ code: 'ACCOUNT_MISMATCH', message: 'This authorization was started from another AoB account. Nothing was saved.' });
    const outcomePage = countPage(await browser.goto((answer.json.error as { details: { redirectUrl: string } }).details.redirectUrl));
    expect(Object.fromEntries(new URL(outcomePage.url).searchParams)).toEqual({ amazon_authorization: 'error', marketplace: 'UK', reason: 'ACCOUNT_MISMATCH' });
    expect(await stored(attacker.accountId)).toEqual(NOTHING);
    expect(await stored(victim.accountId)).toEqual(NOTHING);
    expect(browser.cookieNamesFor(`${stack.url}/v1/amazon/login`)).toEqual([]);
    recordCrossAccount('planted ticket', 'ACCOUNT_MISMATCH (403), nothing saved', false);
  });

  it('planted cookie: a binding cookie from the attacker’s ticket, then Manage Your Apps → Authorize in the same browser, never completes into the attacker’s account', async () => {
    const attacker = await signedIn('attacker');
    const victim = await signedIn('victim');
    const { json } = await attacker.api('POST', '/v1/amazon/venues/UK/authorizations', {});
    const browser = new BrowserLike();
    countPage(await browser.goto(json.authorizationUrl as string)); // the seller leaves the consent page: only the cookie stays
    expect(browser.cookieNamesFor(`${stack.url}/v1/amazon/login`)).toEqual(['aob_amazon_auth']);

    const manage = await browser.goto(`${stack.sandboxUrl}/sellercentral/uk/apps/manage`);
    const completionPage = countPage(await browser.submit(manage, { button: `#authorize-${VICTIM_SELLER}` }));
    const answer = await complete(completionPage, victim, true);

    expect(answer.status).toBe(403);
    expect((answer.json.error as { code: string }).code).toBe('ACCOUNT_MISMATCH');
    expect(await stored(attacker.accountId)).toEqual(NOTHING);
    expect(await stored(victim.accountId)).toEqual(NOTHING);
    recordCrossAccount('planted cookie + Seller Central Authorize', 'ACCOUNT_MISMATCH (403), nothing saved', false);
  });

  it('Login CSRF: the attacker’s Log-in URL (their amazon_state and selling partner) opened in a browser with a pending flow is refused by Seller Central; no grant in the victim’s account', async () => {
    const victim = await signedIn('victim');
    // The attacker starts on Amazon in their own browser and stops at the Log-in URI.
    const attackerBrowser = new BrowserLike();
    const manage = await attackerBrowser.goto(`${stack.sandboxUrl}/sellercentral/uk/apps/manage`);
    const attackerConnect = await attackerBrowser.submit(manage, { button: `#authorize-${ATTACKER_SELLER}` });
    const loginUrl = attackerConnect.hops.find((h) => new URL(h.url).pathname === '/v1/amazon/login')?.url as string;
    // The victim has a flow in progress (clicked Authorize: consent page open, binding cookie set).
    const { json } = await victim.api('POST', '/v1/amazon/venues/UK/authorizations', {});
    const browser = new BrowserLike();
    countPage(await browser.goto(json.authorizationUrl as string));

    const page = countPage(await browser.goto(loginUrl), true);

    expect(page.url.startsWith(`${stack.sandboxUrl}/sellercentral/uk/apps/authorize/callback`)).toBe(true);
    expect(page.status).toBe(400);
    expect(page.text).toContain('This authorization belongs to another browser');
    expect(await stored(victim.accountId)).toEqual(NOTHING);
    recordCrossAccount('Login CSRF (foreign amazon_state, pending flow)', 'refused by Seller Central (sandbox session), nothing saved', false);
  });

  it('crafted continuation: the connect page opened with another seller’s Amazon values, continued by the signed-in victim, goes nowhere; no grant in the victim’s account', async () => {
    const victim = await signedIn('victim');
    const attackerBrowser = new BrowserLike();
    const manage = await attackerBrowser.goto(`${stack.sandboxUrl}/sellercentral/uk/apps/manage`);
    const crafted = new URL((await attackerBrowser.submit(manage, { button: `#authorize-${ATTACKER_SELLER}` })).url);
    expect(crafted.pathname).toBe('/connect');

    const browser = new BrowserLike();
    const { status, json } = await victim.api(
      'POST',
      '/v1/amazon/login-continuations',
      {
        amazonCallbackUri: crafted.searchParams.get('amazon_callback_uri'),
        amazonState: crafted.searchParams.get('amazon_state'),
        sellingPartnerId: crafted.searchParams.get('selling_partner_id'),
        marketplace: 'UK',
      },
      false,
    );
    expect(status).toBe(201);
    const page = countPage(await browser.goto(json.authorizationUrl as string), true);

    expect(page.status).toBe(400);
    expect(page.text).toContain('This authorization belongs to another browser');
    expect(await stored(victim.accountId)).toEqual(NOTHING);
    recordCrossAccount('crafted continuation (another seller’s amazon_state)', 'refused by Seller Central (sandbox session), nothing saved', false);
  });

  it('a completion handle replayed by another account, forged, or sent after Amazon’s 5 minutes never stores a grant; the owner still completes', async () => {
    const owner = await signedIn('owner');
    const other = await signedIn('other');
    const { json } = await owner.api('POST', '/v1/amazon/venues/UK/authorizations', {});
    const browser = new BrowserLike();
    const completionPage = countPage(await confirmConsent(browser, countPage(await browser.goto(json.authorizationUrl as string)), VICTIM_SELLER));
    const handle = new URLSearchParams(new URL(completionPage.url).hash.slice(1)).get('completion') as string;

    const stolen = await other.api('POST', '/v1/amazon/authorization-completions', { completion: handle }, true);
    const forged = await other.api('POST', '/v1/amazon/authorization-completions', { completion: `${handle.split('.')[0]}.${'A'.repeat(43)}` }, true);
    expect(stolen.status).toBe(403);
    expect(forged.json).toMatchObject({ amazonAuthorization: 'error', reason: 'STATE_INVALID' });
    expect(await stored(other.accountId)).toEqual(NOTHING);
    recordCrossAccount('completion handle used by another account', 'ACCOUNT_MISMATCH (403), nothing saved', false);

    const done = await complete(completionPage, owner, false);
    expect(done.json).toMatchObject({ amazonAuthorization: 'success', marketplace: 'UK' });
    expect((await stored(owner.accountId)).grants).toBe(1);

    const late = await signedIn('late');
    const second = await late.api('POST', '/v1/amazon/venues/DE/authorizations', {});
    const lateBrowser = new BrowserLike();
    const latePage = countPage(await confirmConsent(lateBrowser, countPage(await lateBrowser.goto(second.json.authorizationUrl as string)), VICTIM_SELLER));
    await dev('POST', '/__dev/clock', { advance: 'PT5M1S' });
    try {
      const expired = await complete(latePage, late, true);
      expect(expired.json).toMatchObject({ amazonAuthorization: 'error', reason: 'CODE_EXCHANGE_FAILED' });
      expect(await stored(late.accountId)).toEqual(NOTHING);
    } finally {
      await dev('POST', '/__dev/clock', { reset: true });
    }
  });
});

describe('selling_partner_id is a label, never a key across accounts', () => {
  it('two AoB accounts connecting the same Amazon seller get two independent grants; disconnecting one leaves the other untouched', async () => {
    const first = await signedIn('same-seller-a');
    const second = await signedIn('same-seller-b');
    for (const account of [first, second]) {
      const { json } = await account.api('POST', '/v1/amazon/venues/UK/authorizations', {});
      const browser = new BrowserLike();
      const page = countPage(await confirmConsent(browser, countPage(await browser.goto(json.authorizationUrl as string)), VICTIM_SELLER));
      expect((await complete(page, account, false)).json).toMatchObject({ amazonAuthorization: 'success' });
    }
    expect((await stored(first.accountId)).grants).toBe(1);
    expect((await stored(second.accountId)).grants).toBe(1);

    expect((await first.api('DELETE', '/v1/amazon/venues/UK/authorization')).status).toBe(200);

    expect((await stored(first.accountId)).grants).toBe(0);
    expect((await stored(second.accountId)).grants).toBe(1);
    const venues = (await second.api('GET', '/v1/amazon/venues')).json.venues as { marketplace: string; token: { status: string } }[];
    expect(venues.find((v) => v.marketplace === 'UK')?.token.status).toBe('current');
    recordCrossAccount('same selling_partner_id in two accounts, one disconnects', 'other account unaffected', false);
  });
});

describe('malformed and hostile input on every browser and authorization route', () => {
  it('never answers 5xx, never redirects off-site, never echoes the input, and writes nothing', async () => {
    const seller = await signedIn('fuzz');
    const before = await stored(seller.accountId);
    const browser = new BrowserLike();
    const state = 'A'.repeat(43);
    const evil = 'https://evil.example/steal';
    const sc = `${stack.sandboxUrl}/sellercentral/uk/apps/authorize/callback`;
    const browserInputs = [
      // Redirect URI (callback)
      `/v1/amazon/callback?state=${state}&state=${state}&spapi_oauth_code=${MARKER}`,
      `/v1/amazon/callback?state=${MARKER}<script>&spapi_oauth_code=x`,
      `/v1/amazon/callback?state=${state}&spapi_oauth_code=${MARKER}%3Cb%3E&selling_partner_id=${ATTACKER_SELLER}`,
      `/v1/amazon/callback?state=${state}&error=${MARKER}&error_description=${MARKER}`,
      `/v1/amazon/callback?state=${state}&spapi_oauth_code=${MARKER}&redirect_uri=${encodeURIComponent(evil)}&return_to=${encodeURIComponent(evil)}`,
      `/v1/amazon/callback?state=${state}&selling_partner_id=${MARKER.toLowerCase()}`,
      `/v1/amazon/callback`,
      `/v1/amazon/callback?${'x'.repeat(9000)}`,
      // Log-in URI
      `/v1/amazon/login?amazon_callback_uri=${encodeURIComponent(evil)}&amazon_state=${MARKER}&selling_partner_id=${VICTIM_SELLER}`,
      `/v1/amazon/login?amazon_callback_uri=${encodeURIComponent('javascript:alert(1)')}&amazon_state=${MARKER}&selling_partner_id=${VICTIM_SELLER}`,
      `/v1/amazon/login?amazon_callback_uri=${encodeURIComponent(`${sc}?state=${MARKER}`)}&amazon_state=${MARKER}&selling_partner_id=${VICTIM_SELLER}`,
      `/v1/amazon/login?amazon_callback_uri=${encodeURIComponent(`${sc}/..%2f..%2fevil`)}&amazon_state=${MARKER}&selling_partner_id=${VICTIM_SELLER}`,
      `/v1/amazon/login?amazon_callback_uri=${encodeURIComponent(sc)}&amazon_state=${MARKER}%22%3E&selling_partner_id=${VICTIM_SELLER}`,
      `/v1/amazon/login?amazon_callback_uri=${encodeURIComponent(sc)}&amazon_state=a&amazon_state=b&selling_partner_id=${VICTIM_SELLER}`,
      `/v1/amazon/login?amazon_callback_uri=${encodeURIComponent(sc)}&amazon_state=a&selling_partner_id=${MARKER}<`,
      `/v1/amazon/login`,
      // Ticket
      `/v1/amazon/authorize/${MARKER}`,
      `/v1/amazon/authorize/${'B'.repeat(43)}`,
      `/v1/amazon/authorize/..%2f..%2f${MARKER}`,
      `/v1/amazon/authorize/${'C'.repeat(5000)}`,
    ];
    for (const input of browserInputs) countPage(await browser.goto(`${stack.url}${input}`), true);

    const handle = `${'A'.repeat(43)}.${'B'.repeat(43)}`;
    const apiInputs: [string, string, unknown, Record<string, string>?][] = [
      ['POST', '/v1/amazon/authorization-completions', { completion: MARKER }],
      ['POST', '/v1/amazon/authorization-completions', { completion: handle }],
      ['POST', '/v1/amazon/authorization-completions', { completion: handle, decision: 'confirm' }],
      ['POST', '/v1/amazon/authorization-completions', { completion: handle, decision: MARKER }],
      ['POST', '/v1/amazon/authorization-completions', { completion: handle, accountId: MARKER }],
      ['POST', '/v1/amazon/authorization-completions', '{"__proto__":{"completion":"x"},"constructor":1}'],
      ['POST', '/v1/amazon/authorization-completions', `{"completion":"${MARKER}`],
      ['POST', '/v1/amazon/authorization-completions', { completion: 'x'.repeat(20_000) }],
      ['POST', '/v1/amazon/authorization-completions', { completion: handle }, { authorization: `Bearer ${MARKER}` }],
      ['POST', '/v1/amazon/login-continuations', { amazonCallbackUri: evil, amazonState: MARKER, sellingPartnerId: VICTIM_SELLER, marketplace: 'UK' }],
      ['POST', '/v1/amazon/login-continuations', { amazonCallbackUri: sc, amazonState: `${MARKER}<`, sellingPartnerId: VICTIM_SELLER, marketplace: 'UK' }],
      ['POST', '/v1/amazon/login-continuations', { amazonCallbackUri: sc, amazonState: MARKER, sellingPartnerId: VICTIM_SELLER, marketplace: MARKER }],
      ['POST', '/v1/amazon/venues/UK/authorizations', { returnPath: evil }],
      ['POST', `/v1/amazon/venues/${MARKER}/authorizations`, {}],
    ];
    for (const [method, path, body, headers] of apiInputs) {
      const answer = await seller.api(method, path, body, true, headers);
      expect(answer.status).toBeGreaterThanOrEqual(200);
      expect(answer.status).toBeLessThan(500);
    }

    // Reason codes of the outcome page are looked up as own properties (no prototype names).
    const outcomesModule = '../../local/web/outcomes.js';
    const { describeOutcome } = (await import(outcomesModule)) as { describeOutcome: (o: unknown) => { title: string } };
    for (const reason of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(describeOutcome({ result: 'error', marketplace: 'UK', reason, notice: '' }).title).toBe('The Amazon authorization did not complete');
    }

    const totals = Object.values(figures.routes);
    expect(totals.reduce((n, r) => n + r.serverErrors, 0)).toBe(0);
    expect(totals.reduce((n, r) => n + r.offSiteRedirects, 0)).toBe(0);
    expect(totals.reduce((n, r) => n + r.leakedMarkers, 0)).toBe(0);
    expect(await stored(seller.accountId)).toEqual(before);
    figures.writesOnRejectedInput = 0;
  });

  it('every answer of the service carries HSTS; the reference pages forbid framing', async () => {
    const api = await fetch(`${stack.url}/v1/amazon/callback?state=x`, { redirect: 'manual' });
    const json = await fetch(`${stack.url}/v1/openapi.json`);
    const page = await fetch(`${stack.url}/complete`);
    for (const r of [api, json, page]) expect(r.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  it('never left loopback', () => {
    expect(guard.nonLoopback()).toEqual([]);
  });
});
