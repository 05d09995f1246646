import { LOCAL_APP, type LocalStack, startLocalStack } from '../../local/stack.js';
import { BrowserLike, type Page } from './browser-like.js';
import { type LoopbackGuard, guardLoopback } from './loopback-guard.js';

/**
 * The authorization flows end to end on the local stack, driven like a browser and a frontend
 * would: real HTTP, redirects followed one hop at a time, cookies kept per host and path, the
 * sandbox's consent form submitted with its checkbox and Confirm button. Nothing is mocked.
 */

const EU_SELLER = 'ASANDBOXEU0001';
const JP_SELLER = 'ASANDBOXJP0001';

let stack: LocalStack;
let guard: LoopbackGuard;
let accounts = 0;

beforeAll(async () => {
  guard = guardLoopback();
  stack = await startLocalStack({ port: 0, inMemory: true, sweepIntervalMs: 0 });
});

afterAll(async () => {
  await stack?.stop();
  guard.restore();
});

afterEach(async () => {
  await dev('POST', '/__dev/clock', { reset: true });
});

interface Venue {
  marketplace: string;
  region: string;
  active: boolean;
  token: { status: string; message: string; sellingPartnerId: string | null; expiresAt: string | null; daysRemaining: number | null; hoursRemaining: number | null };
  activation: { allowed: boolean; reason: string | null };
}

interface ReceivedEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  time: string;
}

async function dev(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

/** A signed-in seller of a new AoB account, using the frontend's API calls. */
async function newSeller() {
  const accountId = `acc-flow-${++accounts}`;
  const { token } = (await dev('POST', '/__dev/token', { accountId })) as { token: string };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  return {
    accountId,
    api,
    startAuthorization: async (marketplace: string) => {
      const { status, json } = await api('POST', `/v1/amazon/venues/${marketplace}/authorizations`, {});
      expect(status).toBe(201);
      return json as { authorizationUrl: string; expiresAt: string };
    },
    venues: async () => ((await api('GET', '/v1/amazon/venues')).json as { venues: Venue[] }).venues,
  };
}

async function events(accountId: string, detailType?: string): Promise<ReceivedEvent[]> {
  const { events: all } = (await dev('GET', '/__dev/events')) as { events: ReceivedEvent[] };
  return all.filter((e) => e.detail.accountId === accountId && (!detailType || e.detailType === detailType));
}

/** Opens the ticket URL and lands on the sandbox's consent page. */
async function openConsent(browser: BrowserLike, authorizationUrl: string, marketplace: string): Promise<Page> {
  const page = await browser.goto(authorizationUrl);
  expect(page.hops[0]).toMatchObject({ status: 302 });
  expect(page.url.startsWith(`${stack.sandboxUrl}/sellercentral/${marketplace.toLowerCase()}/apps/authorize/consent?`)).toBe(true);
  expect(page.status).toBe(200);
  return page;
}

/** The seller's two clicks on Amazon: tick "I direct Amazon to provide…", then Confirm. */
function confirmConsent(browser: BrowserLike, consent: Page, sellingPartnerId?: string): Promise<Page> {
  return browser.submit(consent, { button: 'Confirm', check: ['consent'], ...(sellingPartnerId ? { select: { selling_partner_id: sellingPartnerId } } : {}) });
}

function outcome(page: Page): Record<string, string> {
  return Object.fromEntries(new URL(page.url).searchParams);
}

type Seller = Awaited<ReturnType<typeof newSeller>>;

/**
 * What the frontend's completion page does when the callback lands on it: POST the handle from
 * the fragment with the signed-in seller's JWT (for a flow started on Amazon, once more with the
 * seller's decision), then open the outcome page. Returns that page, with every hop since `page`.
 */
async function finish(browser: BrowserLike, page: Page, seller: Seller, decision: 'confirm' | 'cancel' = 'confirm'): Promise<Page & { completion: Record<string, unknown>[] }> {
  const url = new URL(page.url);
  expect(`${url.origin}${url.pathname}`).toBe(`${stack.url}/complete`);
  const handle = new URLSearchParams(url.hash.slice(1)).get('completion') as string;
  const answers: Record<string, unknown>[] = [];
  let answer = await seller.api('POST', '/v1/amazon/authorization-completions', { completion: handle });
  answers.push(answer.json);
  if (answer.json.amazonAuthorization === 'confirm') {
    answer = await seller.api('POST', '/v1/amazon/authorization-completions', { completion: handle, decision });
    answers.push(answer.json);
  }
  const body = answer.json as { redirectUrl?: string; error?: { details?: { redirectUrl?: string } } };
  const landing = await browser.goto(body.redirectUrl ?? (body.error?.details?.redirectUrl as string));
  return { ...landing, hops: [...page.hops, ...landing.hops], completion: answers };
}

/** The full website flow for one marketplace; returns the landing page. */
async function authorize(seller: Seller, marketplace: string, sellingPartnerId?: string): Promise<Page> {
  const browser = new BrowserLike();
  const { authorizationUrl } = await seller.startAuthorization(marketplace);
  return finish(browser, await confirmConsent(browser, await openConsent(browser, authorizationUrl, marketplace), sellingPartnerId), seller);
}

describe('authorization started in AoB (website workflow)', () => {
  it('walks UK from the ticket through consent, the Log-in URI hop and the callback to the success page', async () => {
    const seller = await newSeller();
    const browser = new BrowserLike();

    const { authorizationUrl, expiresAt } = await seller.startAuthorization('UK');
    expect(authorizationUrl.startsWith(`${stack.url}/v1/amazon/authorize/`)).toBe(true);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000 + 5_000);

    const consent = await openConsent(browser, authorizationUrl, 'UK');
    const consentUrl = new URL(consent.url);
    expect(consentUrl.searchParams.get('application_id')).toBe(LOCAL_APP.applicationId);
    expect(consentUrl.searchParams.get('version')).toBe('beta');
    expect(consentUrl.searchParams.get('state')).toBeTruthy();
    expect(browser.cookieNamesFor(`${stack.url}/v1/amazon/callback`).length).toBeGreaterThan(0);

    const completionPage = await confirmConsent(browser, consent);
    // Amazon said yes, but nothing is stored until the signed-in account asks for it.
    expect((await seller.venues()).every((v) => v.token.status === 'none')).toBe(true);
    expect(browser.cookieNamesFor(`${stack.url}/v1/amazon/callback`)).toEqual([]);
    const landing = await finish(browser, completionPage, seller);

    const path = landing.hops.map((h) => `${h.status} ${new URL(h.url).origin === stack.url ? 'service' : 'sandbox'}${new URL(h.url).pathname}`);
    expect(path).toEqual([
      expect.stringMatching(/^30[23] sandbox\/sellercentral\/uk\/apps\/authorize\/confirm$/),
      '302 service/v1/amazon/login',
      expect.stringMatching(/^30[23] sandbox\/sellercentral\/uk\/apps\/authorize\/callback$/),
      '303 service/v1/amazon/callback',
      '200 service/complete',
      '200 service/',
    ]);
    expect(landing.completion).toEqual([expect.objectContaining({ amazonAuthorization: 'success', marketplace: 'UK' })]);
    const login = new URL(landing.hops[1]!.url);
    expect([...login.searchParams.keys()]).toEqual(expect.arrayContaining(['amazon_callback_uri', 'amazon_state', 'selling_partner_id']));
    const callback = new URL(landing.hops[3]!.url);
    expect(callback.searchParams.get('selling_partner_id')).toBe(EU_SELLER);
    expect(callback.searchParams.get('spapi_oauth_code')).toBeTruthy();
    expect(outcome(landing)).toEqual({ amazon_authorization: 'success', marketplace: 'UK' });
    expect(landing.text).toMatch(/<html/i);
  });

  it('makes every EU venue current with the one grant, and leaves other regions untouched', async () => {
    const seller = await newSeller();

    await authorize(seller, 'UK');
    const venues = await seller.venues();

    const eu = venues.filter((v) => v.region === 'EU');
    expect(eu.length).toBeGreaterThan(5);
    for (const venue of eu) {
      expect(venue.token).toMatchObject({ status: 'current', message: 'Current', sellingPartnerId: EU_SELLER });
    }
    expect(venues.find((v) => v.marketplace === 'DE')?.activation).toMatchObject({ allowed: true, reason: null });
    expect(venues.filter((v) => v.region !== 'EU').every((v) => v.token.status === 'none')).toBe(true);
  });

  it('emits Amazon Authorization Granted on the local bus, without any token', async () => {
    const seller = await newSeller();

    await authorize(seller, 'UK');
    const granted = await events(seller.accountId, 'Amazon Authorization Granted');

    expect(granted).toHaveLength(1);
    expect(granted[0]).toMatchObject({
      source: 'aob.amazon-connect',
      detail: { accountId: seller.accountId, region: 'EU', sellingPartnerId: EU_SELLER, reauthorization: false, eventId: expect.any(String) },
    });
    expect(granted[0]!.detail.marketplaces).toEqual(expect.arrayContaining(['UK', 'DE']));
    expect(JSON.stringify(granted)).not.toMatch(/Atz[ar]\|/);
  });

  it('grants a Far East marketplace on its own: JP current, AU and SG untouched', async () => {
    const seller = await newSeller();

    const landing = await authorize(seller, 'JP');
    const venues = await seller.venues();

    expect(outcome(landing)).toEqual({ amazon_authorization: 'success', marketplace: 'JP' });
    expect(venues.find((v) => v.marketplace === 'JP')?.token).toMatchObject({ status: 'current', sellingPartnerId: JP_SELLER });
    expect(venues.filter((v) => v.marketplace === 'AU' || v.marketplace === 'SG').map((v) => v.token.status)).toEqual(['none', 'none']);
  });

  it('tells the seller who declines on Amazon what happened (ACCESS_DENIED) and stores nothing', async () => {
    const seller = await newSeller();
    const browser = new BrowserLike();
    const { authorizationUrl } = await seller.startAuthorization('UK');
    const consent = await openConsent(browser, authorizationUrl, 'UK');

    const landing = await browser.submit(consent, { button: 'Cancel' });

    expect(outcome(landing)).toEqual({ amazon_authorization: 'error', marketplace: 'UK', reason: 'ACCESS_DENIED' });
    expect(landing.status).toBe(200);
    expect((await seller.venues()).every((v) => v.token.status === 'none')).toBe(true);
    expect(await events(seller.accountId)).toEqual([]);
  });

  it('refuses a ticket opened after it expired (clock moved 11 minutes) with a page saying what to do', async () => {
    const seller = await newSeller();
    const browser = new BrowserLike();
    const { authorizationUrl } = await seller.startAuthorization('UK');

    await dev('POST', '/__dev/clock', { advance: 'PT11M' });
    const page = await browser.goto(authorizationUrl);

    expect(page.hops).toHaveLength(1);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toMatch(/<html/i);
    expect(browser.visited.some((u) => u.startsWith(stack.sandboxUrl))).toBe(false);
  });

  it('refuses a ticket used twice', async () => {
    const seller = await newSeller();
    const { authorizationUrl } = await seller.startAuthorization('UK');
    await openConsent(new BrowserLike(), authorizationUrl, 'UK');

    const again = await new BrowserLike().goto(authorizationUrl);

    expect(again.status).toBe(404);
  });
});

describe('after the flow', () => {
  it('disconnects a venue and authorizes it again: a new connection with its own secret, not a renewal', async () => {
    const seller = await newSeller();
    await authorize(seller, 'UK');

    const disconnected = await seller.api('DELETE', '/v1/amazon/venues/UK/authorization');
    expect(disconnected.status).toBe(200);
    expect((await seller.venues()).filter((v) => v.region === 'EU').every((v) => v.token.status === 'none')).toBe(true);
    const landing = await authorize(seller, 'UK');

    // The disconnect removed the grant: authorizing again connects anew (each authorization has its own secret).
    expect(outcome(landing)).toEqual({ amazon_authorization: 'success', marketplace: 'UK' });
    expect((await seller.venues()).find((v) => v.marketplace === 'UK')?.token.status).toBe('current');
    expect((await events(seller.accountId)).map((e) => e.detailType)).toEqual([
      'Amazon Authorization Granted',
      'Amazon Authorization Disconnected',
      'Amazon Authorization Granted',
    ]);
  });

  it.each([
    [{ target: 'token', mode: 'server_error' }, 'AMAZON_UNAVAILABLE'],
    [{ target: 'token', mode: 'invalid_client' }, 'APP_CREDENTIALS_INVALID'],
    [{ target: 'participations', mode: 'server_error' }, 'AMAZON_UNAVAILABLE'],
  ])('lands on a plain error outcome when the sandbox fails (%p → %s) and stores nothing', async (fault, reason) => {
    const seller = await newSeller();
    await dev('POST', '/__dev/sandbox/faults', { ...fault, times: 5 });
    try {
      const landing = await authorize(seller, 'UK');

      expect(outcome(landing)).toEqual({ amazon_authorization: 'error', marketplace: 'UK', reason });
      expect((await seller.venues()).every((v) => v.token.status === 'none')).toBe(true);
    } finally {
      await dev('POST', '/__dev/sandbox/faults', { ...fault, times: 0 });
    }
  });
});

describe('authorization started on Amazon (Manage Your Apps → Re-Authorize)', () => {
  it('goes from the Log-in URI to the connect page, continues with a ticket and records a re-authorization', async () => {
    const seller = await newSeller();
    await authorize(seller, 'UK');
    const firstExpiry = (await seller.venues()).find((v) => v.marketplace === 'UK')!.token.expiresAt as string;
    await dev('POST', '/__dev/clock', { advance: 'P200D' });
    const browser = new BrowserLike();

    // On Seller Central: Manage Your Apps lists the app; the seller clicks Re-Authorize.
    const manage = await browser.goto(`${stack.sandboxUrl}/sellercentral/uk/apps/manage`);
    expect(manage.status).toBe(200);
    const connect = await browser.submit(manage, { button: `#authorize-${EU_SELLER}` });

    // Amazon called the Log-in URI without a binding cookie: the service hands over to the frontend.
    const loginHop = connect.hops.find((h) => new URL(h.url).pathname === '/v1/amazon/login');
    expect(loginHop).toMatchObject({ status: 302 });
    const connectUrl = new URL(connect.url);
    expect(`${connectUrl.origin}${connectUrl.pathname}`).toBe(`${stack.url}/connect`);
    expect(connect.status).toBe(200);
    const amazonCallbackUri = connectUrl.searchParams.get('amazon_callback_uri') as string;
    expect(amazonCallbackUri.startsWith(`${stack.sandboxUrl}/sellercentral/uk/`)).toBe(true);

    // The connect page (signed in) continues the flow with the venue the seller picks.
    const { status, json } = await seller.api('POST', '/v1/amazon/login-continuations', {
      amazonCallbackUri,
      amazonState: connectUrl.searchParams.get('amazon_state'),
      sellingPartnerId: connectUrl.searchParams.get('selling_partner_id'),
      marketplace: 'UK',
    });
    expect(status).toBe(201);
    const completionPage = await browser.goto(json.authorizationUrl as string);
    const landing = await finish(browser, completionPage, seller);

    expect(landing.hops[0]).toMatchObject({ status: 302 });
    expect(landing.hops[0]!.location!.startsWith(amazonCallbackUri)).toBe(true);
    // Started on Amazon: the seller saw which Amazon seller goes to which AoB account before anything was saved.
    expect(landing.completion[0]).toMatchObject({
      amazonAuthorization: 'confirm',
      confirmation: { sellingPartnerId: EU_SELLER, storeName: 'Sandbox Trading Europe', accountId: seller.accountId },
    });
    // A re-authorization of the same seller reads as a renewal, not as a first connection.
    expect(outcome(landing)).toEqual({ amazon_authorization: 'success', marketplace: 'UK', change: 'renewed' });
    const uk = (await seller.venues()).find((v) => v.marketplace === 'UK')!;
    expect(uk.token.status).toBe('current');
    expect(Date.parse(uk.token.expiresAt as string) - Date.parse(firstExpiry)).toBeGreaterThanOrEqual(199 * 86_400_000);
    const granted = await events(seller.accountId, 'Amazon Authorization Granted');
    expect(granted.map((e) => e.detail.reauthorization)).toEqual([false, true]);
  });
});

describe('a year in the life of a grant (moving the clock)', () => {
  it('goes Current → Expires in N days → Expires in N hours → Expired, and the sweep warns at each threshold once', async () => {
    const seller = await newSeller();
    await authorize(seller, 'UK');
    const uk = async () => (await seller.venues()).find((v) => v.marketplace === 'UK')!.token;
    const expiresAt = Date.parse((await uk()).expiresAt as string);
    const sweep = async () => dev('POST', '/__dev/sweep', {});
    const warnings = async () => (await events(seller.accountId)).filter((e) => e.detailType !== 'Amazon Authorization Granted');

    expect((await uk()).message).toBe('Current');
    await sweep();
    expect(await warnings()).toEqual([]);

    await dev('POST', '/__dev/clock', { now: new Date(expiresAt - 25 * 86_400_000 + 60_000).toISOString() });
    expect(await uk()).toMatchObject({ status: 'expiring', message: 'Expires in 25 days', daysRemaining: 25 });
    await sweep();
    await sweep();
    expect((await warnings()).map((e) => [e.detailType, e.detail.threshold])).toEqual([['Amazon Authorization Expiring', '30d']]);

    await dev('POST', '/__dev/clock', { now: new Date(expiresAt - 5 * 3_600_000 + 60_000).toISOString() });
    expect(await uk()).toMatchObject({ status: 'expiring', message: 'Expires in 5 hours', hoursRemaining: 5 });
    await sweep();
    expect((await warnings()).map((e) => [e.detailType, e.detail.threshold])).toEqual([
      ['Amazon Authorization Expiring', '30d'],
      ['Amazon Authorization Expiring', '1d'],
    ]);

    await dev('POST', '/__dev/clock', { advance: 'PT6H' });
    expect(await uk()).toMatchObject({ status: 'expired', message: 'Expired' });
    expect((await seller.venues()).find((v) => v.marketplace === 'UK')!.activation).toMatchObject({ allowed: false, reason: 'TOKEN_EXPIRED' });
    await sweep();
    await sweep();
    expect((await warnings()).map((e) => e.detailType)).toEqual(['Amazon Authorization Expiring', 'Amazon Authorization Expiring', 'Amazon Authorization Expired']);
  });
});

describe('staying on loopback', () => {
  it('never connected to a host other than loopback during the flows', () => {
    expect(guard.nonLoopback()).toEqual([]);
  });
});
