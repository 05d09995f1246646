import { SignatureV4 } from '@smithy/signature-v4';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { type DevCaller, NodeSha256 } from '../../local/sigv4.js';
import { BrowserLike, type Page } from './browser-like.js';
import { type LoopbackGuard, guardLoopback } from './loopback-guard.js';

/**
 * The internal access-token route on the local stack, called the way an AoB service would:
 * SigV4-signed (the AWS SDK's own signer) with the dev caller key, over real HTTP, against a grant
 * made through the real authorization flow and refreshed at the sandbox's LWA. The sandbox's
 * refresh count is the measure: no timing is asserted.
 */

const EU_SELLER = 'ASANDBOXEU0001';
const NA_SELLER = 'ASANDBOXNA0001';
const ROUTE = '/internal/v1/amazon/access-tokens';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each answer has its own shape
type Json = Record<string, any>;

let stack: LocalStack;
let guard: LoopbackGuard;
let caller: { accessKeyId: string; secretAccessKey: string; region: string };
const progress: string[] = [];

beforeAll(async () => {
  guard = guardLoopback();
  stack = await startLocalStack({ port: 0, inMemory: true, sweepIntervalMs: 0, log: (line) => progress.push(line) });
  caller = (await dev('GET', '/__dev/caller-credentials')) as typeof caller;
});

afterAll(async () => {
  await stack?.stop();
  guard.restore();
});

afterEach(async () => {
  await dev('POST', '/__dev/clock', { reset: true });
});

async function dev(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

const refreshes = async () => ((await dev('GET', '/__dev/sandbox/stats')) as { refreshes: number }).refreshes;

/** What an AoB service does: sign the request with its role's key and POST it. */
async function vend(body: unknown, key: Pick<DevCaller, 'accessKeyId' | 'secretAccessKey'> = caller, tamper?: (init: { headers: Record<string, string>; body: string }) => void) {
  const url = new URL(ROUTE, stack.url);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({ service: 'execute-api', region: caller.region, credentials: key, sha256: NodeSha256 });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: ROUTE, headers: { host: url.host, 'content-type': 'application/json' }, body: text });
  const init = { headers: signed.headers as Record<string, string>, body: text };
  tamper?.(init);
  const response = await fetch(url, { method: 'POST', headers: init.headers, body: init.body });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Json };
}

let accounts = 0;
/** A new AoB account whose seller authorized `marketplace` through the real flow. */
async function authorizedAccount(marketplace = 'UK', sellingPartnerId = EU_SELLER): Promise<string> {
  const accountId = `acc-tokens-${++accounts}`;
  await authorize(accountId, marketplace, sellingPartnerId);
  return accountId;
}

async function authorize(accountId: string, marketplace: string, sellingPartnerId: string): Promise<void> {
  const { token } = (await dev('POST', '/__dev/token', { accountId })) as { token: string };
  const api = async (path: string, body: unknown) =>
    (await fetch(`${stack.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Json>;
  const browser = new BrowserLike();
  const { authorizationUrl } = await api(`/v1/amazon/venues/${marketplace}/authorizations`, {});
  const consent = await browser.goto(authorizationUrl);
  const completion: Page = await browser.submit(consent, { button: 'Confirm', check: ['consent'], select: { selling_partner_id: sellingPartnerId } });
  const handle = new URLSearchParams(new URL(completion.url).hash.slice(1)).get('completion') as string;
  const answer = await api('/v1/amazon/authorization-completions', { completion: handle });
  expect(answer.amazonAuthorization).toBe('success');
}

async function venueToken(accountId: string, marketplace: string) {
  const { token } = (await dev('POST', '/__dev/token', { accountId })) as { token: string };
  const response = await fetch(`${stack.url}/v1/amazon/venues/${marketplace}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { token: { status: string; message: string; lastCheckedAt: string | null } }).token;
}

describe('the dev caller', () => {
  it('is printed at start and listed at GET /__dev/caller-credentials', () => {
    expect(caller).toEqual({ accessKeyId: expect.stringMatching(/^AKIA[A-Z0-9]{16}$/), secretAccessKey: expect.any(String), region: 'eu-west-1' });
    expect(progress.some((l) => l.includes(caller.accessKeyId) && l.includes('/__dev/caller-credentials'))).toBe(true);
  });
});

describe('only SigV4-signed callers on the allow-list', () => {
  it('an unsigned call, a frontend JWT, a bad signature or a tampered body get 403 from the gateway; another role gets 403 CALLER_NOT_ALLOWED', async () => {
    const accountId = await authorizedAccount();
    const before = await refreshes();
    const unsigned = await fetch(`${stack.url}${ROUTE}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId, marketplace: 'UK' }) });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ message: expect.any(String) });
    const { token } = (await dev('POST', '/__dev/token', { accountId })) as { token: string };
    const jwt = await fetch(`${stack.url}${ROUTE}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ accountId, marketplace: 'UK' }) });
    expect(jwt.status).toBe(403);
    expect((await vend({ accountId, marketplace: 'UK' }, { accessKeyId: caller.accessKeyId, secretAccessKey: 'not-the-secret' })).status).toBe(403);
    expect((await vend({ accountId, marketplace: 'UK' }, caller, (init) => (init.body = JSON.stringify({ accountId: 'acc-other', marketplace: 'UK' })))).status).toBe(403);
    const other = await vend({ accountId, marketplace: 'UK' }, stack.devCallers.other);
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe('CALLER_NOT_ALLOWED');
    expect(await refreshes()).toBe(before);
  });
});

describe('vending', () => {
  it('answers the token for a venue: one LWA refresh for 50 concurrent callers of a cold grant, then 0 calls to Amazon while it is warm', async () => {
    const accountId = await authorizedAccount();
    const before = await refreshes();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => vend({ accountId, marketplace: i % 2 ? 'UK' : 'DE' })));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(await refreshes()).toBe(before + 1);
    expect(new Set(answers.map((a) => a.json.accessToken)).size).toBe(1);
    expect(answers[1]!.json).toEqual({
      accessToken: expect.stringMatching(/^Atza\|/),
      expiresAt: expect.any(String),
      sellingPartnerId: EU_SELLER,
      region: 'EU',
      spApiEndpoint: stack.sandboxUrl,
      marketplaceId: 'A1F83G8C2ARO7P',
    });
    expect(Date.parse(answers[0]!.json.expiresAt) - Date.parse(((await dev('GET', '/__dev/clock')) as { now: string }).now)).toBeGreaterThan(3500_000);
    expect(answers[0]!.headers.get('cache-control')).toBe('no-store');
    // Warm: no call to Amazon.
    expect((await vend({ accountId, marketplace: 'FR' })).status).toBe(200);
    expect(await refreshes()).toBe(before + 1);
    // The token works at the SP-API.
    const sp = await fetch(`${stack.sandboxUrl}/sellers/v1/marketplaceParticipations`, { headers: { 'x-amz-access-token': answers[0]!.json.accessToken } });
    expect(sp.status).toBe(200);
    // About a minute before it expires, the next caller refreshes it.
    await dev('POST', '/__dev/clock', { advance: 'PT59M30S' });
    const again = await vend({ accountId, marketplace: 'UK' });
    expect(again.json.accessToken).not.toBe(answers[0]!.json.accessToken);
    expect(await refreshes()).toBe(before + 2);
  });

  it('404 NO_AUTHORIZATION for a venue without a grant, 400 for a bad body', async () => {
    const accountId = await authorizedAccount();
    expect(await vend({ accountId, marketplace: 'US' })).toMatchObject({ status: 404, json: { error: { code: 'NO_AUTHORIZATION' } } });
    expect(await vend({ accountId, marketplace: 'XX' })).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_FAILED' } } });
    expect(await vend({ accountId })).toMatchObject({ status: 400 });
    expect(await vend({ accountId, marketplace: 'UK', refreshToken: 'x' })).toMatchObject({ status: 400 });
  });

  it('409 TOKEN_EXPIRED once the year is over, without calling Amazon', async () => {
    const accountId = await authorizedAccount('US', NA_SELLER);
    await dev('POST', '/__dev/clock', { advance: 'P366D' });
    const before = await refreshes();
    expect(await vend({ accountId, marketplace: 'US' })).toMatchObject({ status: 409, json: { error: { code: 'TOKEN_EXPIRED' } } });
    expect(await refreshes()).toBe(before);
  });
});

describe('refresh failures, told apart', () => {
  it('LWA unavailable: 503 with Retry-After, retried with backoff, nothing revoked; the venue stays Current', async () => {
    const accountId = await authorizedAccount();
    const before = await refreshes();
    await dev('POST', '/__dev/sandbox/faults', { target: 'refresh', mode: 'server_error', times: 3 });
    const answer = await vend({ accountId, marketplace: 'UK' });
    expect(answer).toMatchObject({ status: 503, json: { error: { code: 'AMAZON_UNAVAILABLE' } } });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refreshes()).toBe(before + 3);
    expect((await venueToken(accountId, 'UK')).status).toBe('current');
    // The next success works and clears the count.
    expect((await vend({ accountId, marketplace: 'UK' })).status).toBe(200);
  });

  it('invalid_client: 503 APP_CREDENTIALS_INVALID, no seller revoked', async () => {
    const accountId = await authorizedAccount();
    await dev('POST', '/__dev/sandbox/faults', { target: 'refresh', mode: 'invalid_client', times: 1 });
    expect(await vend({ accountId, marketplace: 'UK' })).toMatchObject({ status: 503, json: { error: { code: 'APP_CREDENTIALS_INVALID' } } });
    expect((await venueToken(accountId, 'UK')).status).toBe('current');
    expect((await vend({ accountId, marketplace: 'UK' })).status).toBe(200);
  });

  it('invalid_grant after a revoke: 409 AUTHORIZATION_REVOKED, the venue says so, one Revoked event; the venue response shows lastCheckedAt', async () => {
    const accountId = await authorizedAccount('UK', 'ASANDBOXEU0002');
    const checked = (await venueToken(accountId, 'UK')).lastCheckedAt;
    expect(checked).toEqual(expect.any(String));
    await dev('POST', '/__dev/sandbox/revoke', { sellingPartnerId: 'ASANDBOXEU0002' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => vend({ accountId, marketplace: 'UK' })));
    expect(answers.map((a) => a.json.error?.code)).toEqual(Array(5).fill('AUTHORIZATION_REVOKED'));
    expect(await venueToken(accountId, 'UK')).toMatchObject({ status: 'revoked', message: 'Revoked on Amazon — authorize again', lastCheckedAt: checked });
    const { events } = (await dev('GET', `/__dev/events?detailType=${encodeURIComponent('Amazon Authorization Revoked')}`)) as { events: { detail: { accountId: string } }[] };
    expect(events.filter((e) => e.detail.accountId === accountId)).toHaveLength(1);
  });
});
