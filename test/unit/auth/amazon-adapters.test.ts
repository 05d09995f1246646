import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerAppCredentials } from '../../../lambdas/adapters/amazon/app-credentials.js';
import type { FetchLike } from '../../../lambdas/adapters/amazon/http.js';
import { LwaClient } from '../../../lambdas/adapters/amazon/lwa-client.js';
import { SellersClient, toParticipations } from '../../../lambdas/adapters/amazon/sellers-client.js';
import { marketplace } from '../../../lambdas/domain/marketplaces.js';
import { AmazonTransientError, AppCredentialsUnavailableError, LwaInvalidClientError, LwaInvalidGrantError, LwaOAuthError, SellersApiError } from '../../../lambdas/ports/failures.js';
import { APP, StaticCredentials, TOKEN_URL, fakeAmazon, jsonResponse, scriptedFetch } from '../../builders/auth.js';

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

describe('SellersClient', () => {
  it('reads participations on the regional host with x-amz-access-token and keeps catalog marketplaces only', async () => {
    const amazon = fakeAmazon({ participations: { [marketplace('UK').id]: true, [marketplace('DE').id]: false } });
    const result = await new SellersClient({ fetch: amazon.fetch }).marketplaceParticipations('EU', 'Atza|x');
    expect(result).toEqual([
      { marketplace: 'UK', isParticipating: true, hasSuspendedListings: false, storeName: 'Test Store' },
      { marketplace: 'DE', isParticipating: false, hasSuspendedListings: false, storeName: 'Test Store' },
    ]);
    const [call] = amazon.calls;
    expect(call?.url).toBe('https://sellingpartnerapi-eu.amazon.com/sellers/v1/marketplaceParticipations');
    expect(call?.init.headers).toMatchObject({ 'x-amz-access-token': 'Atza|x', 'user-agent': expect.stringContaining('aob-amazon-connect') });
    expect(call?.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('uses the endpoint override (local sandbox) for every region', async () => {
    const amazon = fakeAmazon({});
    await new SellersClient({ fetch: amazon.fetch, endpointOverride: 'http://127.0.0.1:3001/' }).marketplaceParticipations('FE', 't');
    expect(amazon.calls[0]?.url).toBe('http://127.0.0.1:3001/sellers/v1/marketplaceParticipations');
  });

  it.each([
    ['a timeout', 'hang' as const, AmazonTransientError],
    ['HTTP 500', jsonResponse(500, {}), AmazonTransientError],
    ['HTTP 429', jsonResponse(429, {}), AmazonTransientError],
    ['HTTP 403', jsonResponse(403, { errors: [{ code: 'Unauthorized', message: 'denied' }] }), SellersApiError],
    ['a body not in Amazon’s shape', jsonResponse(200, { payload: [{ marketplace: { id: 1 } }] }), AmazonTransientError],
    ['errors without payload', jsonResponse(200, { errors: [{ code: 'x', message: 'y' }] }), AmazonTransientError],
  ])('fails typed on %s', async (_name, answer, type) => {
    const f = scriptedFetch(answer);
    await expect(new SellersClient({ fetch: f.fetch, timeoutMs: 50 }).marketplaceParticipations('NA', 't')).rejects.toBeInstanceOf(type);
  });

  it('merges duplicate entries for one marketplace', () => {
    const entry = (isParticipating: boolean) => ({
      marketplace: { id: marketplace('US').id, name: 'US', countryCode: 'US', defaultCurrencyCode: 'USD', defaultLanguageCode: 'en_US', domainName: 'www.amazon.com' },
      participation: { isParticipating, hasSuspendedListings: false },
      storeName: 's',
    });
    expect(toParticipations({ payload: [entry(false), entry(true)] })).toEqual([{ marketplace: 'US', isParticipating: true, hasSuspendedListings: false, storeName: 's' }]);
  });
});

describe('SecretsManagerAppCredentials', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());

  it('reads the app secret once per container and again on reload', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: JSON.stringify(APP) }).resolves({ SecretString: JSON.stringify({ ...APP, clientSecret: 'rotated' }) });
    const provider = new SecretsManagerAppCredentials(new SecretsManagerClient({}), 'app-secret');
    expect(await provider.get()).toEqual(APP);
    expect(await provider.get()).toEqual(APP);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'app-secret' });
    expect((await provider.reload()).clientSecret).toBe('rotated');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it.each([
    ['missing', () => sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'no', $metadata: {} }))],
    ['not JSON', () => sm.on(GetSecretValueCommand).resolves({ SecretString: 'clientSecret=x' })],
    ['incomplete', () => sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ clientId: 'x' }) })],
  ])('a %s app secret is AppCredentialsUnavailableError, not cached, and never quoted', async (_name, arrange) => {
    arrange();
    const provider = new SecretsManagerAppCredentials(new SecretsManagerClient({}), 'app-secret');
    const error = await provider.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppCredentialsUnavailableError);
    expect(String((error as Error).message)).not.toContain('clientSecret=x');
    await provider.get().catch(() => undefined);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });
});
