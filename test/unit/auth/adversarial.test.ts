import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoPendingAuthorizationStore } from '../../../lambdas/adapters/dynamo/pending-authorization-store.js';
import { PENDING_TTL_GRACE_SECONDS } from '../../../lambdas/adapters/dynamo/pending-authorization-items.js';
import { makeAuthorizeTicketHandler } from '../../../lambdas/handlers/authorize-ticket.js';
import { makeContinueLoginHandler } from '../../../lambdas/handlers/continue-login.js';
import type { FetchLike } from '../../../lambdas/adapters/amazon/http.js';
import { LwaClient } from '../../../lambdas/adapters/amazon/lwa-client.js';
import { SellersClient } from '../../../lambdas/adapters/amazon/sellers-client.js';
import { CONSENT_WINDOW_MS } from '../../../lambdas/domain/flow-lifetimes.js';
import { failure, REASON_CODES, success } from '../../../lambdas/domain/authorization-outcomes.js';
import { hashOneTime } from '../../../lambdas/domain/one-time-values.js';
import { openForTicket, sealForTicket } from '../../../lambdas/domain/sealing.js';
import { parseAmazonCallbackUri } from '../../../lambdas/domain/amazon-parameters.js';
import { makeCompleteAuthorizationHandler } from '../../../lambdas/handlers/complete-authorization.js';
import { appCredentials } from '../../../lambdas/handlers/wiring/app-credentials.js';
import { documentClient } from '../../../lambdas/handlers/wiring/dynamodb.js';
import { eventBridgeClient } from '../../../lambdas/handlers/wiring/eventbridge.js';
import { completionLwaClient } from '../../../lambdas/handlers/wiring/lwa.js';
import { grantSecretStore, secretsManagerClient } from '../../../lambdas/handlers/wiring/secrets-manager.js';
import { sellersClient } from '../../../lambdas/handlers/wiring/sellers-api.js';
import { AmazonTransientError, AppCredentialsUnavailableError, LwaInvalidClientError } from '../../../lambdas/ports/failures.js';
import type { HttpEvent, HttpResult } from '../../../lambdas/shared/http.js';
import { bindingCookieHeader, bindingCookiePath, outcomeResponse } from '../../../lambdas/shared/pages.js';
import { APP, AUTH_ACCOUNT, CALLBACK_URI, SELLING_PARTNER, StaticCredentials, TOKEN_URL, authHarness, browserEvent, cookieValue, completionHandleOf, fakeAmazon, followCompletion, invoke, jwtEvent, location, testConfig, AUTH_NOW } from '../../builders/auth.js';
import { FakeClock } from '../../builders/clock.js';
import { logger } from '../../../lambdas/shared/logger.js';
import { captureOutput } from '../../builders/output.js';

/**
 * Adversarial review of the authorization flow: the SECURITY items whose earlier tests left a
 * gap (S4 at the Log-in step and at the exact expiry instant, S7 for flows started on Amazon,
 * S10 with API Gateway's comma-joined duplicates, S14 on the invalid_client reload path, S15 for
 * bodies naming another account, R1 "nothing half-written" for every transient answer, R10 on
 * the ticket and Log-in routes) and secrets inside error messages of fetch or LWA.
 */

const CODE = 'MARKER-CODE-ADV1';
const REFRESH = 'Atzr|MARKER-REFRESH-ADV1';
const okCallback = (state: string, extra: Record<string, string> = {}) => ({ state, selling_partner_id: SELLING_PARTNER, spapi_oauth_code: CODE, ...extra });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const reasonOf = (r: HttpResult) => new URL(String(r.headers?.location)).searchParams.get('reason');

/** A fetch answering LWA from a script (then the fake Amazon for everything else), recording LWA requests. */
function scriptedLwa(answers: (Response | Error | 'hang')[], rest: FetchLike = fakeAmazon().fetch) {
  const lwaBodies: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    if (!url.includes('/auth/o2/token')) return rest(url, init);
    lwaBodies.push(String(init.body));
    const next = answers.shift() ?? json(500, {});
    if (next === 'hang') {
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'TimeoutError' }))));
    }
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, lwaBodies };
}

/** The harness's five handlers, but the callback's LWA client answers from `fetch`. */
function harnessWithLwa(fetch: FetchLike, credentials = new StaticCredentials()) {
  const h = authHarness({ credentials, log: logger });
  const lwa = new LwaClient({ tokenUrl: TOKEN_URL, redirectUri: h.cfg.redirectUri, credentials, fetch, timeoutMs: 30, sleep: async () => {} });
  const complete = makeCompleteAuthorizationHandler({
    store: h.store,
    accountClaim: h.cfg.accountClaim,
    lwa,
    sellers: new SellersClient({ endpointOverride: h.cfg.spApiEndpointOverride, fetch, timeoutMs: 200 }),
    secrets: h.secrets,
    grants: h.grants,
    events: h.events,
    clock: h.clock,
    log: logger,
    config: h.cfg,
    frontend: h.cfg,
    sleep: async () => {},
  });
  return { ...h, callback: async (query: Record<string, string>, cookie: string | null) => followCompletion(await h.rawCallback(query, cookie), complete) };
}

const output = captureOutput();

describe('S14: a code is never sent twice, on the invalid_client reload path either', () => {
  const rotated = () => new StaticCredentials(APP, { ...APP, clientSecret: 'MARKER-ROTATED-SECRET' });

  it.each([
    ['refused again (invalid_client)', json(401, { error: 'invalid_client' }), LwaInvalidClientError],
    ['a timeout', 'hang' as const, AmazonTransientError],
    ['HTTP 500', json(500, { error: 'server_error' }), AmazonTransientError],
    ['HTTP 429', json(429, {}), AmazonTransientError],
  ])('after a reload brought a rotated secret, the one resend meeting %s is the last request', async (_name, second, type) => {
    // Prepare
    const f = scriptedLwa([json(401, { error: 'invalid_client' }), second, json(200, { access_token: 'Atza|x', refresh_token: 'Atzr|x' })]);
    const credentials = rotated();
    const client = new LwaClient({ tokenUrl: TOKEN_URL, redirectUri: 'https://api.aob.test/v1/amazon/callback', credentials, fetch: f.fetch, timeoutMs: 30, sleep: async () => {} });
    // Act
    const exchange = client.exchangeCode(CODE);
    // Assess
    await expect(exchange).rejects.toBeInstanceOf(type);
    expect(f.lwaBodies).toHaveLength(2);
    expect(credentials.reloads).toBe(1);
    expect(f.lwaBodies.map((b) => new URLSearchParams(b).get('client_secret'))).toEqual([APP.clientSecret, 'MARKER-ROTATED-SECRET']);
  });

  it('a reload that cannot read the app secret sends nothing more', async () => {
    const f = scriptedLwa([json(401, { error: 'invalid_client' })]);
    const credentials = new StaticCredentials();
    credentials.reload = async () => {
      throw new AppCredentialsUnavailableError('the app secret could not be read (AccessDeniedException)');
    };
    const client = new LwaClient({ tokenUrl: TOKEN_URL, redirectUri: 'https://api.aob.test/v1/amazon/callback', credentials, fetch: f.fetch, timeoutMs: 30 });
    await expect(client.exchangeCode(CODE)).rejects.toBeInstanceOf(AppCredentialsUnavailableError);
    expect(f.lwaBodies).toHaveLength(1);
  });

  it('through the callback: rotated secret refused too → APP_CREDENTIALS_INVALID, exactly 2 requests, state consumed, nothing stored', async () => {
    const f = scriptedLwa([json(401, { error: 'invalid_client' }), json(401, { error: 'invalid_client' })]);
    const h = harnessWithLwa(f.fetch, rotated());
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback(okCallback(state), binding);
    const reload = await h.callback(okCallback(state), binding);
    expect(reasonOf(res)).toBe('APP_CREDENTIALS_INVALID');
    expect(reasonOf(reload)).toBe('STATE_INVALID');
    expect(f.lwaBodies).toHaveLength(2);
    expect(h.secrets.puts + h.grants.writes + h.events.calls).toBe(0);
  });
});

describe('R1: every transient LWA answer → AMAZON_UNAVAILABLE, sent once, nothing half-written, no resend on reload', () => {
  it.each([
    ['a timeout', 'hang' as const],
    ['a network error whose message quotes the request', new TypeError(`fetch failed: code=${CODE}&client_secret=${APP.clientSecret}`)],
    ['HTTP 502', json(502, {})],
    ['HTTP 429', json(429, { error: 'TooManyRequests' })],
    ['temporarily_unavailable', json(400, { error: 'temporarily_unavailable' })],
    ['an unreadable 200', new Response('<html>gateway</html>', { status: 200 })],
    ['a 200 without a refresh token', json(200, { access_token: 'Atza|MARKER-ACCESS-ADV1', token_type: 'bearer', expires_in: 3600 })],
  ])('%s', async (_name, answer) => {
    // Prepare
    const f = scriptedLwa([answer]);
    const h = harnessWithLwa(f.fetch);
    const { binding, state } = await h.startFlow('UK');
    // Act
    const res = await h.callback(okCallback(state), binding);
    const reload = await h.callback(okCallback(state), binding);
    // Assess
    expect(res.statusCode).toBe(303);
    expect(reasonOf(res)).toBe('AMAZON_UNAVAILABLE');
    expect(reasonOf(reload)).toBe('STATE_INVALID');
    expect(f.lwaBodies).toHaveLength(1);
    expect(h.secrets.puts + h.grants.writes + h.events.calls).toBe(0);
    const logs = output.join('');
    for (const marker of [CODE, APP.clientSecret, 'Atza|', 'Atzr|', state, binding]) expect(logs).not.toContain(marker);
  });
});

it('S12: a Sellers API fetch error whose message quotes the access token is logged by name only', async () => {
  const amazon = fakeAmazon({ codes: { [CODE]: REFRESH }, accessToken: 'Atza|MARKER-ACCESS-ADV2' });
  const fetch: FetchLike = async (url, init) => {
    if (url.includes('/sellers/')) throw new TypeError(`Headers.append: "${String((init.headers as Record<string, string>)['x-amz-access-token'])}" is an invalid header value.`);
    return amazon.fetch(url, init);
  };
  const h = harnessWithLwa(fetch);
  const { binding, state } = await h.startFlow('UK');
  const res = await h.callback(okCallback(state), binding);
  expect(reasonOf(res)).toBe('AMAZON_UNAVAILABLE');
  const logs = output.join('');
  expect(logs).toContain('sellers api failed after a good exchange');
  for (const marker of ['MARKER-ACCESS-ADV2', 'Atza|', 'Atzr|', CODE]) expect(logs).not.toContain(marker);
});

describe('S4: expiry is checked in code at every step, to the millisecond', () => {
  it('a ticket at exactly expiresAt is refused', async () => {
    const h = authHarness();
    const started = await invoke(h.handlers.start, jwtEvent({ marketplace: 'UK' }));
    const ticket = String(JSON.parse(String(started.body)).authorizationUrl).split('/').pop() as string;
    h.clock.advance(10 * 60_000);
    const res = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    expect(res.statusCode).toBe(404);
    expect(res.cookies).toBeUndefined();
  });

  it('a state at exactly expiresAt is refused without an exchange; 1 ms earlier it is accepted', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const late = await h.startFlow('UK');
    const early = await h.startFlow('DE');
    // The state lives for the consent window from the moment the ticket sent the browser to Amazon.
    h.clock.advance(CONSENT_WINDOW_MS - 1);
    const ok = await h.callback(okCallback(early.state), early.binding);
    h.clock.advance(1);
    const refused = await h.callback(okCallback(late.state), late.binding);
    expect(String(ok.headers?.location)).toContain('amazon_authorization=success');
    // The same browser learns it took too long (and can restart in one click); nothing was exchanged.
    expect(reasonOf(refused)).toBe('FLOW_EXPIRED');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
  });

  it('the Log-in URI after expiry never sends our state to Amazon and records nothing', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    h.clock.advance(CONSENT_WINDOW_MS + 1000);
    const res = await invoke(h.handlers.login, browserEvent({ query: { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-1', selling_partner_id: SELLING_PARTNER }, cookie: binding }));
    expect(location(res).origin).toBe('https://app.aob.test');
    // Our outcome page, not the connect page claiming the flow started on Amazon.
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&marketplace=UK&reason=FLOW_EXPIRED');
    expect(String(res.headers?.location)).not.toContain(state);
    expect(h.store.pending.get(hashOneTime(state))?.sellingPartnerId).toBeNull();
  });
});

describe('S7: the selling partner of a flow started on Amazon is bound too', () => {
  it('a callback naming another selling partner than the continuation is refused without an exchange and leaves the state usable', async () => {
    // Prepare
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const body = { amazonCallbackUri: CALLBACK_URI, amazonState: 'amz-state-7', sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' };
    const created = await invoke(h.handlers.continueLogin, jwtEvent({ body }));
    const ticket = String(JSON.parse(String(created.body)).authorizationUrl).split('/').pop() as string;
    const opened = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    const binding = cookieValue(opened);
    const state = location(opened).searchParams.get('state') as string;
    // Act
    const injected = await h.callback(okCallback(state, { selling_partner_id: 'A9INJECTEDSELLER' }), binding);
    const genuine = await h.callback(okCallback(state), binding);
    // Assess
    expect(reasonOf(injected)).toBe('STATE_INVALID');
    expect(String(genuine.headers?.location)).toContain('amazon_authorization=success');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
    expect([...h.grants.grants.keys()]).toEqual([`EU#${SELLING_PARTNER}`]);
  });

  it('a Log-in URI naming another selling partner than the continuation does not send our state to Amazon', async () => {
    const h = authHarness();
    const body = { amazonCallbackUri: CALLBACK_URI, amazonState: 'amz-state-8', sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' };
    const created = await invoke(h.handlers.continueLogin, jwtEvent({ body }));
    const ticket = String(JSON.parse(String(created.body)).authorizationUrl).split('/').pop() as string;
    const opened = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    const binding = cookieValue(opened);
    const res = await invoke(h.handlers.login, browserEvent({ query: { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-9', selling_partner_id: 'A9INJECTEDSELLER' }, cookie: binding }));
    expect(location(res).origin).toBe('https://app.aob.test');
    expect(location(res).searchParams.get('state')).toBeNull();
  });
});

describe('S10: API Gateway joins repeated parameters with commas; unicode and oversized values', () => {
  /** An event as API Gateway builds it when the raw query string is not passed on. */
  const joined = (queryStringParameters: Record<string, string>, cookie: string | null): HttpEvent =>
    ({ ...browserEvent({ cookie }), rawQueryString: undefined, queryStringParameters }) as unknown as HttpEvent;

  it('a comma-joined state, code, selling partner or error is refused before anything is read or written', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    const writes = h.store.writes;
    for (const query of [
      okCallback(`${state},${state}`),
      okCallback(state, { spapi_oauth_code: `${CODE},OTHER` }),
      okCallback(state, { selling_partner_id: `${SELLING_PARTNER},A9OTHER` }),
      okCallback(state, { error: 'access_denied,server_error' }),
    ]) {
      const res = await invoke(h.handlers.callback, joined(query, binding));
      expect(reasonOf(res)).toBe('STATE_INVALID');
    }
    expect(h.store.writes).toBe(writes);
    expect(h.store.pending.get(hashOneTime(state))?.consumedAt).toBeUndefined();
    expect(h.amazon.calls).toHaveLength(0);
  });

  it('the same parameter spelled twice (one of them percent-encoded) counts as a duplicate', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    const res = await invoke(h.handlers.callback, browserEvent({ query: `state=${state}&%73tate=${state}&spapi_oauth_code=${CODE}`, cookie: binding }));
    expect(reasonOf(res)).toBe('STATE_INVALID');
    expect(h.store.pending.get(hashOneTime(state))?.consumedAt).toBeUndefined();
  });

  it('a comma-joined or unicode Log-in parameter gets the 400 page, never a redirect', async () => {
    const h = authHarness();
    const base = { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-1', selling_partner_id: SELLING_PARTNER };
    const cases = [
      { ...base, amazon_state: 'amz-1,amz-2' },
      { ...base, selling_partner_id: `${SELLING_PARTNER},A9OTHER` },
      { ...base, amazon_state: 'amz-ѕtate' },
      { ...base, selling_partner_id: 'Ａ3AUTHSELLER01' },
      { ...base, amazon_state: 'a'.repeat(1025) },
    ];
    for (const query of cases) {
      const res = await invoke(h.handlers.login, joined(query, null));
      expect(res.statusCode).toBe(400);
      expect(res.headers?.location).toBeUndefined();
    }
  });

  it('unicode or oversized callback values are refused before anything is read or written', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    const fullwidth = state.replace(/[A-Za-z]/, 'Ａ');
    for (const query of [okCallback(fullwidth), okCallback(state, { spapi_oauth_code: 'c'.repeat(513) }), okCallback(`${state}${'A'.repeat(200)}`), okCallback(state, { error: 'accéss_denied' })]) {
      const res = await h.callback(query, binding);
      expect(res.statusCode).toBe(303);
      expect(reasonOf(res)).toBe('STATE_INVALID');
    }
    expect(h.store.pending.get(hashOneTime(state))?.consumedAt).toBeUndefined();
    expect(h.amazon.calls).toHaveLength(0);
  });
});

describe('S15: the account comes from the verified JWT only', () => {
  it('a body naming an account is refused (400) and stores nothing', async () => {
    const h = authHarness();
    const start = await invoke(h.handlers.start, jwtEvent({ marketplace: 'UK', body: { accountId: 'acct-victim' } }));
    const cont = await invoke(h.handlers.continueLogin, jwtEvent({ body: { amazonCallbackUri: CALLBACK_URI, amazonState: 'a', sellingPartnerId: SELLING_PARTNER, marketplace: 'UK', accountId: 'acct-victim' } }));
    expect([start.statusCode, cont.statusCode]).toEqual([400, 400]);
    expect(h.store.writes).toBe(0);
  });

  it('the grant lands on the account of the JWT that started the flow, whatever the callback carries', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const { binding, state } = await h.startFlow('UK', undefined, 'acct-owner');
    await h.callback(okCallback(state, { account: AUTH_ACCOUNT, accountId: AUTH_ACCOUNT }), binding, { accountId: 'acct-owner' });
    expect([...h.grants.grants.values()].map((g) => g.accountId)).toEqual(['acct-owner']);
  });
});

describe('completion bound to the AoB account that started the flow', () => {
  it('planted ticket: a flow the attacker’s account started, finished in the seller’s signed-in browser, ends in ACCOUNT_MISMATCH with an alarm: no exchange, no grant anywhere', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } }, log: logger });
    const { binding, state } = await h.startFlow('UK', undefined, 'acct-attacker');
    const res = await h.callback(okCallback(state), binding, { accountId: AUTH_ACCOUNT });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&marketplace=UK&reason=ACCOUNT_MISMATCH');
    expect(JSON.parse(String(res.body)).error).toMatchObject({ code: 'ACCOUNT_MISMATCH', message: 'This authorization was started from another AoB account. Nothing was saved.' });
    expect(h.amazon.calls).toHaveLength(0);
    expect(h.grants.grants.size + h.secrets.puts + h.events.calls).toBe(0);
    expect(output.join('')).toMatch(/"alarm":"ACCOUNT_MISMATCH"/);
    // The code stays sealed in the table for the owner only; the attacker never had the handle.
  });

  it('the same account with another user (sub) is refused too; the right user still completes afterwards', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const { binding, state } = await h.startFlow('UK');
    const called = await h.rawCallback(okCallback(state), binding);
    const handle = completionHandleOf(called) as string;
    const other = await h.complete(handle, { sub: 'someone-else' });
    expect(other.statusCode).toBe(403);
    expect(h.amazon.calls).toHaveLength(0);
    const owner = await h.complete(handle);
    expect(JSON.parse(String(owner.body)).amazonAuthorization).toBe('success');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
  });

  it('a completion after Amazon’s 5-minute code lifetime is not sent to Amazon: CODE_EXCHANGE_FAILED', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const { binding, state } = await h.startFlow('UK');
    const called = await h.rawCallback(okCallback(state), binding);
    h.clock.advance(5 * 60_000);
    const late = await h.complete(completionHandleOf(called) as string);
    expect(JSON.parse(String(late.body))).toMatchObject({ amazonAuthorization: 'error', reason: 'CODE_EXCHANGE_FAILED' });
    expect(h.amazon.calls).toHaveLength(0);
  });

  it('a completion is claimed once: a repeat after success answers success without a second exchange; a forged or altered handle is STATE_INVALID', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const { binding, state } = await h.startFlow('UK');
    const handle = completionHandleOf(await h.rawCallback(okCallback(state), binding)) as string;
    const [first, second] = await Promise.all([h.complete(handle), h.complete(handle)]);
    const outcomes = [first, second].map((r) => JSON.parse(String(r.body)).amazonAuthorization);
    expect(outcomes).toContain('success');
    const again = await h.complete(handle);
    expect(JSON.parse(String(again.body)).amazonAuthorization).toBe('success');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
    const [locator] = handle.split('.');
    const forged = await h.complete(`${locator}.${'A'.repeat(43)}`);
    expect(JSON.parse(String(forged.body))).toMatchObject({ amazonAuthorization: 'error', reason: 'STATE_INVALID' });
    const malformed = await invoke(h.handlers.complete, jwtEvent({ body: { completion: 'x' } }));
    expect(malformed.statusCode).toBe(400);
    expect(h.amazon.lwaCalls()).toHaveLength(1);
  });
});

describe('R10: storage faults on the ticket and Log-in routes', () => {
  const throttled = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput at Key TICKET#abc'), { name: 'ThrottlingException', stack: 'ThrottlingException: at secret/place.ts:1' });

  it('a throttled ticket redemption answers a plain page: no stack trace, no cookie, no redirect', async () => {
    const h = authHarness({ log: logger });
    const started = await invoke(h.handlers.start, jwtEvent({ marketplace: 'UK' }));
    const ticket = String(JSON.parse(String(started.body)).authorizationUrl).split('/').pop() as string;
    h.store.redeemTicket = async () => {
      throw throttled();
    };
    const res = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    expect(res.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    expect(String(res.body)).toContain('Something went wrong on our side');
    expect(String(res.body)).not.toMatch(/ThrottlingException|place\.ts|TICKET#/);
    expect(res.cookies).toBeUndefined();
    expect(res.headers?.location).toBeUndefined();
    expect(output.join('')).not.toContain(ticket);
  });

  it('a throttled Log-in step answers a plain page, never a redirect carrying our state', async () => {
    const h = authHarness({ log: logger });
    const { binding } = await h.startFlow('UK');
    h.store.recordLogin = async () => {
      throw throttled();
    };
    const res = await invoke(h.handlers.login, browserEvent({ query: { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-1', selling_partner_id: SELLING_PARTNER }, cookie: binding }));
    expect(res.headers?.location).toBeUndefined();
    expect(String(res.body)).not.toMatch(/ThrottlingException|place\.ts/);
    expect(output.join('')).not.toContain(binding);
  });
});

describe('amazon_state never reaches the table: sealed under the raw ticket', () => {
  const AMAZON_STATE = 'MARKER-AMAZON-STATE-ADV3';

  it('seals so that only the same ticket opens it; another ticket or an altered value opens nothing', () => {
    const ticket = 'T'.repeat(43);
    const sealed = sealForTicket(ticket, AMAZON_STATE);
    expect(sealed).not.toContain(AMAZON_STATE);
    expect(sealed).not.toBe(sealForTicket(ticket, AMAZON_STATE));
    expect(openForTicket(ticket, sealed)).toBe(AMAZON_STATE);
    expect(openForTicket('U'.repeat(43), sealed)).toBeNull();
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1);
    expect(openForTicket(ticket, flipped)).toBeNull();
    expect(openForTicket(ticket, AMAZON_STATE)).toBeNull();
    expect(openForTicket(ticket, 'v1.')).toBeNull();
  });

  it('login-continuations writes no amazon_state to DynamoDB; the ticket still continues to Amazon with it', async () => {
    // Prepare
    const ddb = mockClient(DynamoDBDocumentClient);
    const cfg = testConfig();
    const store = new DynamoPendingAuthorizationStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), cfg.tableName);
    ddb.on(PutCommand).resolves({});
    const handler = makeContinueLoginHandler({ store, clock: new FakeClock(AUTH_NOW), config: cfg, accountClaim: cfg.accountClaim });
    // Act
    const res = await invoke(handler, jwtEvent({ body: { amazonCallbackUri: CALLBACK_URI, amazonState: AMAZON_STATE, sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' } }));
    // Assess
    expect(res.statusCode).toBe(201);
    const written = JSON.stringify(ddb.calls().map((c) => c.args[0].input));
    expect(written).toContain('amazonState');
    expect(written).not.toContain(AMAZON_STATE);

    // The browser redeems the ticket: the stored item comes back and is opened with the raw ticket.
    const ticket = String(JSON.parse(String(res.body)).authorizationUrl).split('/').pop() as string;
    const item = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item;
    ddb.on(DeleteCommand).resolves({ Attributes: item });
    const h = authHarness();
    const opened = await invoke(makeAuthorizeTicketHandler({ store, tickets: store, clock: new FakeClock(AUTH_NOW), log: logger, credentials: h.credentials, config: cfg }), browserEvent({ ticket }));
    expect(opened.statusCode).toBe(302);
    expect(location(opened).searchParams.get('amazon_state')).toBe(AMAZON_STATE);
    expect(JSON.stringify(ddb.commandCalls(PutCommand).slice(1).map((c) => c.args[0].input))).not.toContain(AMAZON_STATE);
    ddb.restore();
  });

  it('a stored continuation that was not sealed for this ticket is refused, never forwarded', async () => {
    const h = authHarness();
    const created = await invoke(h.handlers.continueLogin, jwtEvent({ body: { amazonCallbackUri: CALLBACK_URI, amazonState: AMAZON_STATE, sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' } }));
    const ticket = String(JSON.parse(String(created.body)).authorizationUrl).split('/').pop() as string;
    expect(JSON.stringify([...h.store.tickets.values()])).not.toContain(AMAZON_STATE);
    const stored = h.store.tickets.get(hashOneTime(ticket))!;
    h.store.tickets.set(hashOneTime(ticket), { ...stored, continuation: { ...stored.continuation!, amazonState: 'planted-by-someone-with-table-access' } });
    const res = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    expect(res.statusCode).toBe(404);
    expect(res.headers?.location).toBeUndefined();
  });
});

it('a pending authorization outlives its expiresAt in the table (TTL + 1 h), so a grant transaction a few seconds after a last-second consume still finds it; expiry stays enforced in code', async () => {
  // Prepare
  const ddb = mockClient(DynamoDBDocumentClient);
  ddb.on(PutCommand).resolves({});
  const store = new DynamoPendingAuthorizationStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'table');
  const expiresAt = new Date('2026-11-27T10:10:00.000Z');
  // Act
  await store.open({ stateHash: 's', ticketHash: 't', bindingHash: 'b', accountId: AUTH_ACCOUNT, sub: null, marketplace: 'UK', returnPath: '/settings/venues', expiresAt, sellingPartnerId: null });
  // Assess
  const item = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item;
  expect(PENDING_TTL_GRACE_SECONDS).toBe(3600);
  expect(item).toMatchObject({ expiresAt: expiresAt.toISOString(), ttl: expiresAt.getTime() / 1000 + 3600 });
  ddb.restore();
});

/**
 * The connection and request timeouts an AWS client's HTTP handler resolved, through its public
 * API: a request whose signal is already aborted makes the handler resolve its configuration,
 * and sends nothing.
 */
async function httpTimeoutsOf(client: { config: { requestHandler: unknown } }): Promise<{ connectionTimeout?: number; requestTimeout?: number }> {
  const handler = client.config.requestHandler as {
    handle(request: unknown, options: { abortSignal: AbortSignal }): Promise<unknown>;
    httpHandlerConfigs(): { connectionTimeout?: number; requestTimeout?: number };
  };
  await handler.handle({ protocol: 'https:', hostname: 'localhost', method: 'GET', path: '/', headers: {} }, { abortSignal: AbortSignal.abort() }).catch(() => undefined);
  const { connectionTimeout, requestTimeout } = handler.httpHandlerConfigs();
  return { connectionTimeout, requestTimeout };
}

it('R1: the completion\'s waits on Amazon fit its 29 s with room for the state, secret and grant writes, even on the invalid_client resend', async () => {
  // The clients the CompleteAuthorization and AuthorizeTicket functions are wired with.
  const lwa = completionLwaClient();
  const sellers = sellersClient();
  const amazonWorstCase = 2 * lwa.timeoutMs + (sellers.options.timeoutMs ?? Number.POSITIVE_INFINITY);
  expect(amazonWorstCase).toBeLessThanOrEqual(17_000);
  const aws = await httpTimeoutsOf(secretsManagerClient());
  expect(aws.requestTimeout).toBeLessThanOrEqual(3000);
  expect(aws.connectionTimeout).toBeLessThanOrEqual(1000);
  // The completion's grant secrets and the ticket route's app secret go through that client: the same bounds.
  const sm = mockClient(secretsManagerClient());
  sm.onAnyCommand().resolves({ SecretString: JSON.stringify(APP) });
  await grantSecretStore().scheduleDeletion('aob-amazon-connect/test/grants/x');
  await appCredentials().reload();
  expect(sm.calls().map((c) => c.args[0].constructor.name)).toEqual(['DeleteSecretCommand', 'GetSecretValueCommand']);
  sm.restore();
});

it('every AWS client the functions are wired with gives up within 3 × (1 s + 5 s): a dead connection cannot hold a function past API Gateway\'s 29 s', async () => {
  for (const client of [documentClient(), secretsManagerClient(), eventBridgeClient()]) {
    const { connectionTimeout, requestTimeout } = await httpTimeoutsOf(client);
    expect(connectionTimeout).toBeLessThanOrEqual(1000);
    expect(requestTimeout).toBeLessThanOrEqual(5000);
    expect(await client.config.maxAttempts()).toBe(3);
  }
});

describe('binding cookie path under an API base path', () => {
  it('is scoped below the base path of API_BASE_URL, where the browser sends the Log-in and Redirect URIs', () => {
    expect(bindingCookiePath('https://api.aob.test')).toBe('/v1/amazon/');
    expect(bindingCookiePath('https://api.aob.test/amazon-connect')).toBe('/amazon-connect/v1/amazon/');
    expect(bindingCookieHeader('v', 60, 'https://api.aob.test/amazon-connect')).toBe('aob_amazon_auth=v; Path=/amazon-connect/v1/amazon/; Max-Age=60; HttpOnly; SameSite=Lax; Secure');
  });

  it('cannot end the attribute early, whatever the base path holds', () => {
    const header = bindingCookieHeader('v', 60, 'https://api.aob.test/a;Domain=evil.example,b');
    expect(header.split('; ').filter((p) => p.startsWith('Domain'))).toEqual([]);
    expect(header).toContain('Path=/a%3BDomain%3Devil.example%2Cb/v1/amazon/;');
  });

  it('the ticket route sets it so that the redirect URI of the configuration is inside its path', async () => {
    const h = authHarness({ env: { API_BASE_URL: 'https://gw.aob.test/connect' } });
    const { opened } = await h.startFlow('UK');
    const path = /Path=([^;]+)/.exec(String(opened.cookies?.[0]))?.[1] as string;
    expect(new URL(h.cfg.redirectUri).pathname.startsWith(path)).toBe(true);
    expect(new URL(`${h.cfg.apiBaseUrl}/v1/amazon/login`).pathname.startsWith(path)).toBe(true);
  });
});

it('S6: amazon_callback_uri may not use ";" to smuggle a reserved parameter past the duplicate check', () => {
  expect(parseAmazonCallbackUri(`${CALLBACK_URI}?marketplaceId=A1F83G8C2ARO7P;state=attacker`)).toBeNull();
  expect(parseAmazonCallbackUri(`${CALLBACK_URI}?marketplaceId=A1F83G8C2ARO7P;amazon_state=x`)).toBeNull();
  // Escaped, it is data: a server splitting on ";" splits before decoding.
  expect(parseAmazonCallbackUri(`${CALLBACK_URI}?marketplaceId=A1F83G8C2ARO7P%3Bx`)).not.toBeNull();
  expect(parseAmazonCallbackUri(`${CALLBACK_URI}?marketplaceId=A1F83G8C2ARO7P`)).not.toBeNull();
});

it('without a frontend, a page is 503 only for trouble on Amazon\'s or our side, 400 for the rest, 200 for success (docs/authorization.md)', () => {
  const cfg = { frontendUrl: undefined, frontendReturnPaths: ['/settings/venues'] };
  const statuses = Object.fromEntries(REASON_CODES.map((r) => [r, outcomeResponse(cfg, failure(r, 'UK'), null).statusCode]));
  expect(statuses).toEqual({
    STATE_INVALID: 400,
    FLOW_EXPIRED: 400,
    BROWSER_MISMATCH: 400,
    ACCESS_DENIED: 400,
    CODE_EXCHANGE_FAILED: 400,
    AMAZON_UNAVAILABLE: 503,
    WRONG_REGION: 400,
    APP_CREDENTIALS_INVALID: 503,
    SERVICE_UNAVAILABLE: 503,
    ACCOUNT_MISMATCH: 400,
  });
  expect(outcomeResponse(cfg, success('UK'), null).statusCode).toBe(200);
});
