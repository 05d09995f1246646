import type { FetchLike } from '../../../../../lambdas/adapters/amazon/http.js';
import { LwaClient } from '../../../../../lambdas/adapters/amazon/lwa-client.js';
import { AmazonTransientError, LwaInvalidClientError, LwaInvalidGrantError, LwaOAuthError } from '../../../../../lambdas/ports/failures.js';
import { APP, StaticCredentials, TOKEN_URL, jsonResponse, scriptedFetch } from '../../../../builders/auth.js';

/** The LWA client: the code exchange and refreshes against a scripted LWA. */

const REDIRECT = 'https://api.aob.test/v1/amazon/callback';

const lwa = (fetch: FetchLike, credentials = new StaticCredentials(), extra: Partial<ConstructorParameters<typeof LwaClient>[0]> = {}) =>
  new LwaClient({ tokenUrl: TOKEN_URL, redirectUri: REDIRECT, credentials, fetch, timeoutMs: 50, sleep: async () => {}, random: () => 0.5, ...extra });

describe('LwaClient', () => {
  it('exchanges a code with a form-encoded POST to the configured endpoint and an explicit timeout', async () => {
    // Prepare
    const f = scriptedFetch(jsonResponse(200, { access_token: 'Atza|a', refresh_token: 'Atzr|r', token_type: 'bearer', expires_in: 3600 }));
    // Act
    const tokens = await lwa(f.fetch).exchangeCode('code-1');
    // Assess
    expect(tokens).toEqual({ accessToken: 'Atza|a', refreshToken: 'Atzr|r', expiresInSeconds: 3600 });
    const [call] = f.calls;
    expect(call?.url).toBe(TOKEN_URL);
    expect(call?.init.method).toBe('POST');
    expect(call?.init.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' });
    expect(call?.init.signal).toBeInstanceOf(AbortSignal);
    expect(Object.fromEntries(new URLSearchParams(String(call?.init.body)))).toEqual({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: REDIRECT,
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
    });
  });

  it.each([
    ['a number', 3600, 3600],
    ['a numeric string', '1800', 1800],
    ['missing', undefined, 3600],
  ])('reads expires_in given as %s', async (_what, expiresIn, seconds) => {
    const f = scriptedFetch(jsonResponse(200, { access_token: 'Atza|a', refresh_token: 'Atzr|r', expires_in: expiresIn }));
    expect((await lwa(f.fetch).exchangeCode('code-1')).expiresInSeconds).toBe(seconds);
  });

  it.each([
    ['no access token', { refresh_token: 'Atzr|r', expires_in: 3600 }],
    ['an empty access token', { access_token: '', expires_in: 3600 }],
    ['an empty refresh token', { access_token: 'Atza|a', refresh_token: '', expires_in: 3600 }],
    ['expires_in zero', { access_token: 'Atza|a', expires_in: 0 }],
    ['expires_in a fraction', { access_token: 'Atza|a', expires_in: 1.5 }],
    ['expires_in a word', { access_token: 'Atza|a', expires_in: 'soon' }],
    ['expires_in null', { access_token: 'Atza|a', expires_in: null }],
    ['expires_in true', { access_token: 'Atza|a', expires_in: true }],
    ['a list', [{ access_token: 'Atza|a' }]],
  ])('a 200 with %s is an unreadable answer (AmazonTransientError), never quoted', async (_what, body) => {
    const f = scriptedFetch(jsonResponse(200, body));
    const error = await lwa(f.fetch).exchangeCode('code-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmazonTransientError);
    expect((error as Error).message).toMatch(/^LWA code exchange \(unreadable answer\)/);
  });

  it.each([
    ['a timeout', 'hang' as const, AmazonTransientError],
    ['a network error', new TypeError('fetch failed'), AmazonTransientError],
    ['HTTP 500', jsonResponse(500, { error: 'server_error' }), AmazonTransientError],
    ['HTTP 429', jsonResponse(429, {}), AmazonTransientError],
    ['temporarily_unavailable', jsonResponse(400, { error: 'temporarily_unavailable' }), AmazonTransientError],
    ['an unreadable 200', new Response('<html>', { status: 200 }), AmazonTransientError],
    ['invalid_grant', jsonResponse(400, { error: 'invalid_grant' }), LwaInvalidGrantError],
    ['unauthorized_client', jsonResponse(400, { error: 'unauthorized_client' }), LwaOAuthError],
  ])('S14: a code exchange meeting %s is sent exactly once and fails typed', async (_name, answer, type) => {
    const f = scriptedFetch(answer, jsonResponse(200, { access_token: 'a', refresh_token: 'r' }));
    await expect(lwa(f.fetch).exchangeCode('code-1')).rejects.toBeInstanceOf(type);
    expect(f.calls).toHaveLength(1);
  });

  it('invalid_client: reloads the app secret once; unchanged → LwaInvalidClientError without a second request', async () => {
    const credentials = new StaticCredentials();
    const f = scriptedFetch(jsonResponse(401, { error: 'invalid_client' }));
    await expect(lwa(f.fetch, credentials).exchangeCode('c')).rejects.toBeInstanceOf(LwaInvalidClientError);
    expect(credentials.reloads).toBe(1);
    expect(f.calls).toHaveLength(1);
  });

  it('invalid_client with a rotated secret: sent once more with the new secret', async () => {
    const credentials = new StaticCredentials(APP, { ...APP, clientSecret: 'new' });
    const f = scriptedFetch(jsonResponse(401, { error: 'invalid_client' }), jsonResponse(200, { access_token: 'a', refresh_token: 'r' }));
    await expect(lwa(f.fetch, credentials).exchangeCode('c')).resolves.toMatchObject({ refreshToken: 'r' });
    expect(new URLSearchParams(String(f.calls[1]?.init.body)).get('client_secret')).toBe('new');
  });

  it('R2: a refresh is retried on transient failures with backoff and jitter, a bounded number of times', async () => {
    const sleeps: number[] = [];
    const f = scriptedFetch(jsonResponse(503, {}), 'hang', jsonResponse(200, { access_token: 'Atza|new', expires_in: 3600 }));
    const client = lwa(f.fetch, new StaticCredentials(), { sleep: async (ms) => void sleeps.push(ms), baseDelayMs: 100, random: () => 0.5 });
    await expect(client.refresh('Atzr|r')).resolves.toEqual({ accessToken: 'Atza|new', refreshToken: null, expiresInSeconds: 3600 });
    expect(f.calls).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
    expect(new URLSearchParams(String(f.calls[0]?.init.body)).get('grant_type')).toBe('refresh_token');

    const always = scriptedFetch(jsonResponse(500, {}), jsonResponse(500, {}), jsonResponse(500, {}), jsonResponse(500, {}));
    await expect(lwa(always.fetch).refresh('Atzr|r')).rejects.toBeInstanceOf(AmazonTransientError);
    expect(always.calls).toHaveLength(3);
  });

  it('R3: invalid_grant on a refresh is not retried', async () => {
    const f = scriptedFetch(jsonResponse(400, { error: 'invalid_grant', error_description: 'User may have revoked' }));
    await expect(lwa(f.fetch).refresh('Atzr|r')).rejects.toBeInstanceOf(LwaInvalidGrantError);
    expect(f.calls).toHaveLength(1);
  });
});
