import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { APP, type Harness, authorize, exchangeCode, grant, participations, refresh, startSandbox, tokenRequest } from './harness.js';

describe('Amazon sandbox: faults', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  describe('on the token endpoint', () => {
    it('answers 500 server_error for the next `times` requests, then recovers', async () => {
      // Prepare
      const tokens = await grant(h, 'uk');
      h.sandbox.setFault({ target: 'token', mode: 'server_error', times: 2 });

      // Act
      const first = await refresh(h, tokens.refresh_token);
      const second = await refresh(h, tokens.refresh_token);
      const third = await refresh(h, tokens.refresh_token);

      // Assess
      expect([first.status, second.status, third.status]).toEqual([500, 500, 200]);
      expect(await first.json()).toEqual({ error: 'server_error', error_description: expect.any(String) });
      expect(h.sandbox.stats().refreshes).toBe(3);
    });

    it('answers 401 invalid_client, as when the app secret has lapsed', async () => {
      // Prepare
      const tokens = await grant(h, 'uk');
      h.sandbox.setFault({ target: 'token', mode: 'invalid_client', times: 1 });

      // Act
      const faulted = await refresh(h, tokens.refresh_token);
      const next = await refresh(h, tokens.refresh_token);

      // Assess
      expect(faulted.status).toBe(401);
      expect(await faulted.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
      expect(next.status).toBe(200);
    });

    it('hangs until the client gives up, and counts the code exchange that timed out', async () => {
      // Prepare
      const { code } = await authorize(h, 'uk');
      h.sandbox.setFault({ target: 'token', mode: 'timeout', times: 1 });

      // Act
      const outcome = await exchangeCode(h, code, {}, AbortSignal.timeout(300)).then(
        () => 'answered',
        (error: Error) => error.name,
      );

      // Assess
      expect(outcome).toBe('TimeoutError');
      expect(h.sandbox.stats()).toMatchObject({ tokenRequests: 1, codeExchanges: 1 });
    });

    it('spends the code of a timed-out exchange, so a resent code is refused', async () => {
      // Prepare
      const { code } = await authorize(h, 'uk');
      h.sandbox.setFault({ target: 'token', mode: 'timeout', times: 1 });
      await exchangeCode(h, code, {}, AbortSignal.timeout(150)).catch(() => undefined);

      // Act
      const resent = await exchangeCode(h, code);

      // Assess
      expect(resent.status).toBe(400);
      expect(((await resent.json()) as { error: string }).error).toBe('invalid_grant');
      expect(h.sandbox.stats().codeExchanges).toBe(2);
    });

    it('leaves the code of an exchange that failed with server_error unspent', async () => {
      // Prepare
      const { code } = await authorize(h, 'uk');
      h.sandbox.setFault({ target: 'token', mode: 'server_error', times: 1 });
      await exchangeCode(h, code);

      // Act
      const retried = await exchangeCode(h, code);

      // Assess
      expect(retried.status).toBe(200);
    });

    it('hangs only for `times` requests', async () => {
      // Prepare
      const tokens = await grant(h, 'uk');
      h.sandbox.setFault({ target: 'token', mode: 'timeout', times: 1 });
      const fields = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: APP.clientId, client_secret: APP.clientSecret };

      // Act
      const hung = await tokenRequest(h, fields, AbortSignal.timeout(150)).then(
        () => 'answered',
        (error: Error) => error.name,
      );
      const next = await tokenRequest(h, fields);

      // Assess
      expect(hung).toBe('TimeoutError');
      expect(next.status).toBe(200);
    });
  });

  describe('on the Sellers API', () => {
    it('answers 500 with an SP-API InternalFailure', async () => {
      // Prepare
      const tokens = await grant(h, 'uk');
      h.sandbox.setFault({ target: 'participations', mode: 'server_error', times: 1 });

      // Act
      const faulted = await participations(h, tokens.access_token);
      const next = await participations(h, tokens.access_token);

      // Assess
      expect(faulted.status).toBe(500);
      expect(await faulted.json()).toEqual({ errors: [{ code: 'InternalFailure', message: expect.any(String) }] });
      expect(next.status).toBe(200);
    });

    it('answers 403 Unauthorized for invalid_client, the SP-API\'s only answer to rejected credentials', async () => {
      // Prepare
      const tokens = await grant(h, 'uk');
      h.sandbox.setFault({ target: 'participations', mode: 'invalid_client', times: 1 });

      // Act
      const faulted = await participations(h, tokens.access_token);

      // Assess
      expect(faulted.status).toBe(403);
      expect(((await faulted.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('Unauthorized');
    });

    it('hangs until the client aborts', async () => {
      // Prepare
      const tokens = await grant(h, 'uk');
      h.sandbox.setFault({ target: 'participations', mode: 'timeout', times: 2 });

      // Act
      const outcomes = [];
      for (let i = 0; i < 2; i += 1) {
        outcomes.push(await participations(h, tokens.access_token, AbortSignal.timeout(150)).then(() => 'answered', (error: Error) => error.name));
      }
      const next = await participations(h, tokens.access_token);

      // Assess
      expect(outcomes).toEqual(['TimeoutError', 'TimeoutError']);
      expect(next.status).toBe(200);
      expect(h.sandbox.stats().participationsRequests).toBe(3);
    });
  });

  it('keeps faults per target apart', async () => {
    // Prepare
    const tokens = await grant(h, 'uk');
    h.sandbox.setFault({ target: 'participations', mode: 'server_error', times: 1 });

    // Act
    const refreshed = await refresh(h, tokens.refresh_token);

    // Assess
    expect(refreshed.status).toBe(200);
    expect((await participations(h, tokens.access_token)).status).toBe(500);
  });

  it('clears a fault with times 0 and replaces one by setting another', async () => {
    // Prepare
    const tokens = await grant(h, 'uk');
    h.sandbox.setFault({ target: 'token', mode: 'server_error', times: 5 });
    h.sandbox.setFault({ target: 'token', mode: 'server_error', times: 0 });
    const cleared = await refresh(h, tokens.refresh_token);
    h.sandbox.setFault({ target: 'token', mode: 'server_error', times: 5 });
    h.sandbox.setFault({ target: 'token', mode: 'invalid_client', times: 1 });

    // Act
    const replaced = await refresh(h, tokens.refresh_token);
    const after = await refresh(h, tokens.refresh_token);

    // Assess
    expect(cleared.status).toBe(200);
    expect(replaced.status).toBe(401);
    expect(after.status).toBe(200);
  });

  it.each([
    [{ target: 'sellers', mode: 'server_error', times: 1 }, /target/],
    [{ target: 'token', mode: 'slow', times: 1 }, /mode/],
    [{ target: 'token', mode: 'timeout', times: -1 }, /times/],
    [{ target: 'token', mode: 'timeout', times: 1.5 }, /times/],
  ])('refuses a malformed fault %j', (fault, message) => {
    // Act / Assess
    expect(() => h.sandbox.setFault(fault as never)).toThrow(message);
  });
});
