import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { APP, DAY, type Harness, MINUTE, type Tokens, authorize, exchangeCode, grant, participations, refresh, startSandbox, tokenRequest } from './harness.js';

describe('Amazon sandbox: LWA token endpoint', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  describe('grant_type=authorization_code', () => {
    it('answers Amazon\'s token response', async () => {
      // Prepare
      const { code } = await authorize(h, 'uk');

      // Act
      const response = await exchangeCode(h, code);
      const body = (await response.json()) as Tokens;

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(body).toEqual({ access_token: expect.stringMatching(/^Atza\|/), refresh_token: expect.stringMatching(/^Atzr\|/), token_type: 'bearer', expires_in: 3600 });
    });

    it('accepts a code once', async () => {
      // Prepare
      const { code } = await authorize(h, 'uk');
      await exchangeCode(h, code);

      // Act
      const again = await exchangeCode(h, code);

      // Assess
      expect(again.status).toBe(400);
      expect(await again.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    });

    it('accepts a code up to 5 minutes old', async () => {
      // Prepare
      const { code } = await authorize(h, 'uk');
      h.clock.advance(5 * MINUTE);

      // Act
      const response = await exchangeCode(h, code);

      // Assess
      expect(response.status).toBe(200);
    });

    it('refuses a code older than 5 minutes', async () => {
      // Prepare
      const { code } = await authorize(h, 'uk');
      h.clock.advance(5 * MINUTE + 1000);

      // Act
      const response = await exchangeCode(h, code);

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
    });

    it.each([
      ['an unknown code', { code: 'ANsandboxNOTISSUED000000000000000' }],
      ['another redirect_uri', { redirect_uri: 'https://evil.example/callback' }],
    ])('refuses %s with invalid_grant', async (_name, overrides) => {
      // Prepare
      const { code } = await authorize(h, 'uk');

      // Act
      const response = await exchangeCode(h, code, overrides);

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
    });

    it('leaves a code usable after a refused attempt with a wrong client secret', async () => {
      // Prepare
      const { code } = await authorize(h, 'uk');
      await exchangeCode(h, code, { client_secret: 'wrong' });

      // Act
      const response = await exchangeCode(h, code);

      // Assess
      expect(response.status).toBe(200);
    });
  });

  describe('client authentication', () => {
    it.each([
      ['client_id', { client_id: 'amzn1.application-oa2-client.other' }],
      ['client_secret', { client_secret: 'expired-secret' }],
    ])('answers 401 invalid_client for a wrong %s', async (_name, overrides) => {
      // Prepare
      const { code } = await authorize(h, 'uk');

      // Act
      const response = await exchangeCode(h, code, overrides);

      // Assess
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
    });
  });

  describe('malformed requests', () => {
    it.each([
      ['no grant_type', 'invalid_request', 400, { code: 'x', client_id: APP.clientId, client_secret: APP.clientSecret }],
      ['no code', 'invalid_request', 400, { grant_type: 'authorization_code', redirect_uri: 'x', client_id: APP.clientId, client_secret: APP.clientSecret }],
      ['no redirect_uri', 'invalid_request', 400, { grant_type: 'authorization_code', code: 'x', client_id: APP.clientId, client_secret: APP.clientSecret }],
      ['no client_secret', 'invalid_request', 400, { grant_type: 'refresh_token', refresh_token: 'Atzr|x', client_id: APP.clientId }],
      ['no refresh_token', 'invalid_request', 400, { grant_type: 'refresh_token', client_id: APP.clientId, client_secret: APP.clientSecret }],
      ['an unsupported grant_type', 'unsupported_grant_type', 400, { grant_type: 'password', client_id: APP.clientId, client_secret: APP.clientSecret }],
      ['client_credentials without scope', 'invalid_request', 400, { grant_type: 'client_credentials', client_id: APP.clientId, client_secret: APP.clientSecret }],
      ['client_credentials with a foreign scope', 'invalid_scope', 400, { grant_type: 'client_credentials', scope: 'profile', client_id: APP.clientId, client_secret: APP.clientSecret }],
    ])('answers %s with %s', async (_name, error, status, fields) => {
      // Act
      const response = await tokenRequest(h, fields);

      // Assess
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error).toBe(error);
    });

    it('refuses a repeated parameter', async () => {
      // Act
      const response = await fetch(`${h.url}/auth/o2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=refresh_token&refresh_token=a&refresh_token=b&client_id=${APP.clientId}&client_secret=${APP.clientSecret}`,
      });

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
    });

    it('refuses a body that is not form-encoded', async () => {
      // Act
      const response = await fetch(`${h.url}/auth/o2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
    });

    it('answers 405 to a GET', async () => {
      // Act
      const response = await fetch(`${h.url}/auth/o2/token`);

      // Assess
      expect(response.status).toBe(405);
    });
  });

  describe('grant_type=refresh_token', () => {
    it('issues a new access token and keeps the refresh token', async () => {
      // Prepare
      const first = await grant(h, 'uk');

      // Act
      const response = await refresh(h, first.refresh_token);
      const body = (await response.json()) as Tokens;

      // Assess
      expect(response.status).toBe(200);
      expect(body.refresh_token).toBe(first.refresh_token);
      expect(body.access_token).toMatch(/^Atza\|/);
      expect(body.access_token).not.toBe(first.access_token);
      expect(body.expires_in).toBe(3600);
      expect((await participations(h, body.access_token)).status).toBe(200);
    });

    it('keeps working after a re-authorization issued a newer refresh token', async () => {
      // Prepare
      const older = await grant(h, 'uk');
      const newer = await grant(h, 'uk');

      // Act
      const [a, b] = await Promise.all([refresh(h, older.refresh_token), refresh(h, newer.refresh_token)]);

      // Assess
      expect([a.status, b.status]).toEqual([200, 200]);
    });

    it('answers invalid_grant for an unknown refresh token', async () => {
      // Act
      const response = await refresh(h, 'Atzr|not-issued');

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
    });

    it('answers invalid_grant once the authorization is 365 days old', async () => {
      // Prepare
      const tokens = await grant(h, 'de');
      h.clock.advance(364 * DAY);
      const stillValid = await refresh(h, tokens.refresh_token);
      h.clock.advance(DAY);

      // Act
      const lapsed = await refresh(h, tokens.refresh_token);

      // Assess
      expect(stillValid.status).toBe(200);
      expect(lapsed.status).toBe(400);
      expect(((await lapsed.json()) as { error: string }).error).toBe('invalid_grant');
    });
  });

  describe('revoke(sellingPartnerId)', () => {
    it('turns later refreshes into invalid_grant and the access token into 403', async () => {
      // Prepare
      const tokens = await grant(h, 'uk', 'ASANDBOXEU0002');

      // Act
      h.sandbox.revoke('ASANDBOXEU0002');
      const refreshed = await refresh(h, tokens.refresh_token);
      const called = await participations(h, tokens.access_token);

      // Assess
      expect(refreshed.status).toBe(400);
      expect(((await refreshed.json()) as { error: string }).error).toBe('invalid_grant');
      expect(called.status).toBe(403);
    });

    it('leaves other sellers alone and lets the seller authorize again', async () => {
      // Prepare
      const other = await grant(h, 'uk', 'ASANDBOXEU0001');
      await grant(h, 'uk', 'ASANDBOXEU0002');
      h.sandbox.revoke('ASANDBOXEU0002');

      // Act
      const otherRefresh = await refresh(h, other.refresh_token);
      const fresh = await grant(h, 'uk', 'ASANDBOXEU0002');
      const freshRefresh = await refresh(h, fresh.refresh_token);

      // Assess
      expect(otherRefresh.status).toBe(200);
      expect(freshRefresh.status).toBe(200);
    });

    it('refuses a seller the sandbox does not have', () => {
      // Act / Assess
      expect(() => h.sandbox.revoke('ANOBODY')).toThrow(/No sandbox seller/);
    });
  });

  describe('grant_type=client_credentials', () => {
    it('issues a grantless access token that cannot act for a seller', async () => {
      // Act
      const response = await tokenRequest(h, { grant_type: 'client_credentials', scope: 'sellingpartnerapi::client_credential:rotation', client_id: APP.clientId, client_secret: APP.clientSecret });
      const body = (await response.json()) as Tokens & { scope: string };

      // Assess
      expect(response.status).toBe(200);
      expect(body.access_token).toMatch(/^Atza\|/);
      expect(body.token_type).toBe('bearer');
      expect(body.expires_in).toBe(3600);
      expect(body).not.toHaveProperty('refresh_token');
      expect((await participations(h, body.access_token)).status).toBe(403);
    });
  });

  it('counts token requests by grant type, and never logs a token or code', async () => {
    // Prepare
    const { code } = await authorize(h, 'jp');

    // Act
    const tokens = (await (await exchangeCode(h, code)).json()) as Tokens;
    await exchangeCode(h, code);
    await refresh(h, tokens.refresh_token);
    await tokenRequest(h, { grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications', client_id: APP.clientId, client_secret: APP.clientSecret });

    // Assess
    expect(h.sandbox.stats()).toEqual({ tokenRequests: 4, codeExchanges: 2, refreshes: 1, participationsRequests: 0, rotations: 0 });
    const logs = h.logs.join('\n');
    expect(logs).not.toMatch(/Atz[ar]\|/);
    expect(logs).not.toContain(code);
    expect(logs).not.toContain(APP.clientSecret);
    expect(logs).toContain('authorization_code ok seller=ASANDBOXJP0001 region=FE marketplace=JP');
  });
});
