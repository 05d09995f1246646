import type { FetchLike } from '../../../../lambdas/adapters/amazon/http.js';
import { LwaClient } from '../../../../lambdas/adapters/amazon/lwa-client.js';
import { SellersClient } from '../../../../lambdas/adapters/amazon/sellers-client.js';
import { makeCompleteAuthorizationHandler } from '../../../../lambdas/handlers/complete-authorization.js';
import { AmazonTransientError, AppCredentialsUnavailableError, LwaInvalidClientError } from '../../../../lambdas/ports/failures.js';
import { APP, StaticCredentials, TOKEN_URL, authHarness, fakeAmazon, followCompletion, MARKER_CODE as CODE, MARKER_REFRESH as REFRESH, okCallback, reasonOf, jsonResponse, scriptedFetch, type ScriptedAnswer } from '../../../builders/auth.js';
import { logger } from '../../../../lambdas/shared/logger.js';
import { captureOutput } from '../../../builders/output.js';

/**
 * What the completion does when Amazon misbehaves during the code exchange: a code is never sent
 * twice, on the invalid_client reload path either (S14); every transient LWA answer ends in
 * AMAZON_UNAVAILABLE with nothing half-written and no resend on reload (R1); a Sellers API fetch
 * error quoting the access token is logged by name only (S12).
 */


/** A fetch answering LWA from a script (then the fake Amazon for everything else), with the bodies of the LWA requests. */
function scriptedLwa(answers: ScriptedAnswer[], rest: FetchLike = fakeAmazon().fetch) {
  const lwa = scriptedFetch(...answers);
  const fetch: FetchLike = (url, init) => (url.includes('/auth/o2/token') ? lwa.fetch(url, init) : rest(url, init));
  return {
    fetch,
    get lwaBodies() {
      return lwa.calls.map((c) => String(c.init.body));
    },
  };
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
    ['refused again (invalid_client)', jsonResponse(401, { error: 'invalid_client' }), LwaInvalidClientError],
    ['a timeout', 'hang' as const, AmazonTransientError],
    ['HTTP 500', jsonResponse(500, { error: 'server_error' }), AmazonTransientError],
    ['HTTP 429', jsonResponse(429, {}), AmazonTransientError],
  ])('after a reload brought a rotated secret, the one resend meeting %s is the last request', async (_name, second, type) => {
    // Prepare
    const f = scriptedLwa([jsonResponse(401, { error: 'invalid_client' }), second, jsonResponse(200, { access_token: 'Atza|x', refresh_token: 'Atzr|x' })]);
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
    const f = scriptedLwa([jsonResponse(401, { error: 'invalid_client' })]);
    const credentials = new StaticCredentials();
    credentials.reload = async () => {
      throw new AppCredentialsUnavailableError('the app secret could not be read (AccessDeniedException)');
    };
    const client = new LwaClient({ tokenUrl: TOKEN_URL, redirectUri: 'https://api.aob.test/v1/amazon/callback', credentials, fetch: f.fetch, timeoutMs: 30 });
    await expect(client.exchangeCode(CODE)).rejects.toBeInstanceOf(AppCredentialsUnavailableError);
    expect(f.lwaBodies).toHaveLength(1);
  });

  it('through the callback: rotated secret refused too → APP_CREDENTIALS_INVALID, exactly 2 requests, state consumed, nothing stored', async () => {
    const f = scriptedLwa([jsonResponse(401, { error: 'invalid_client' }), jsonResponse(401, { error: 'invalid_client' })]);
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
    ['HTTP 502', jsonResponse(502, {})],
    ['HTTP 429', jsonResponse(429, { error: 'TooManyRequests' })],
    ['temporarily_unavailable', jsonResponse(400, { error: 'temporarily_unavailable' })],
    ['an unreadable 200', new Response('<html>gateway</html>', { status: 200 })],
    ['a 200 without a refresh token', jsonResponse(200, { access_token: 'Atza|MARKER-ACCESS-ADV1', token_type: 'bearer', expires_in: 3600 })],
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
