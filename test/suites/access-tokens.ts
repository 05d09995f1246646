import { LwaClient } from '../../lambdas/adapters/amazon/lwa-client.js';
import { DETAIL_TYPES } from '../../lambdas/domain/events.js';
import type { Grant } from '../../lambdas/domain/grant.js';
import type { TokenGrantStore } from '../../lambdas/ports/token-grants.js';
import { AccessTokenCache, type AccessTokenDeps, runHealthCheck, vendAccessToken } from '../../lambdas/usecases/access-tokens.js';
import { APP, AUTH_NOW, StaticCredentials, fakeAmazon, type FakeAmazonOptions } from '../builders/auth.js';
import { RecordingLog } from '../builders/log.js';
import { aGrant } from '../builders/grants.js';
import { FakeClock } from '../builders/clock.js';
import { RecordingPublisher } from '../builders/publisher.js';
import { SecretsManagerLike } from '../builders/secrets.js';

/**
 * The token service's use cases through the real LWA client (a fake Amazon behind fetch), over
 * any grant store: the unit suite runs them with the grants in memory, the integration suite on
 * DynamoDB Local. Only call counts are asserted, never timings.
 */

const REFRESH = 'Atzr|MARKER-REFRESH-TOKENS';
const HOUR = 3_600_000;

export interface Backend {
  name: string;
  store(): Promise<{ grants: TokenGrantStore; seed(grant: Grant): Promise<void>; revokedAt(grant: Grant): Promise<string | null> }>;
}

function world(grants: TokenGrantStore, amazonOptions: FakeAmazonOptions = {}) {
  const clock = new FakeClock(AUTH_NOW);
  const secrets = new SecretsManagerLike();
  const amazon = fakeAmazon({ lwaDelayMs: 10, ...amazonOptions });
  const events = new RecordingPublisher();
  const log = new RecordingLog();
  const lwa = new LwaClient({ tokenUrl: 'https://api.amazon.com/auth/o2/token', redirectUri: 'https://x.test/cb', credentials: new StaticCredentials(APP), fetch: amazon.fetch, sleep: async () => {}, timeoutMs: 200 });
  const cache = new AccessTokenCache();
  const deps = (fresh = false): AccessTokenDeps => ({
    grants,
    secrets,
    lwa,
    events,
    clock,
    log,
    cache: fresh ? new AccessTokenCache() : cache,
    spApiEndpoint: (region) => `https://sellingpartnerapi-${region.toLowerCase()}.amazon.com`,
    options: { sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))), pollMs: 5, maxPolls: 2000 },
  });
  return { clock, secrets, amazon, events, log, deps, refreshes: () => amazon.lwaCalls().length };
}

async function seeded(backend: Backend, amazonOptions: FakeAmazonOptions = {}) {
  const { grants, seed, revokedAt } = await backend.store();
  const grant = aGrant({ accountId: 'acct-tokens', generatedAt: new Date(AUTH_NOW.getTime() - 100 * 24 * HOUR), secretName: 'p/acct-tokens/EU/A3SELLERTEST/a-1', lastCheckedAt: new Date(AUTH_NOW.getTime() - 100 * 24 * HOUR) });
  await seed(grant);
  const w = world(grants, amazonOptions);
  await w.secrets.putRefreshToken(grant.secretName, REFRESH, 'v0');
  return { ...w, grant, grants, revokedAt };
}

export function accessTokenSuite(backend: Backend) {
  describe(backend.name, () => {
    it('50 concurrent vends for one cold grant (each its own container) cause exactly 1 LWA refresh; all get the same token', async () => {
      const w = await seeded(backend);
      const answers = await Promise.all(Array.from({ length: 50 }, () => vendAccessToken(w.deps(true), 'acct-tokens', 'DE')));
      expect(w.refreshes()).toBe(1);
      expect(new Set(answers.map((a) => a.accessToken))).toEqual(new Set(['Atza|MARKER-ACCESS-TOKEN']));
      // Neither token is ever logged.
      expect(JSON.stringify(w.log.lines)).not.toMatch(/Atza\||Atzr\||MARKER/);
      expect(answers[0]).toEqual({
        accessToken: 'Atza|MARKER-ACCESS-TOKEN',
        expiresAt: new Date(AUTH_NOW.getTime() + HOUR).toISOString(),
        sellingPartnerId: 'A3SELLERTEST',
        region: 'EU',
        spApiEndpoint: 'https://sellingpartnerapi-eu.amazon.com',
        marketplaceId: 'A1PA6795UKMFR9',
      });
    });

    it('a warm vend makes 0 calls to Amazon and 0 secret reads; another container reads the cached token from the secret, not from LWA', async () => {
      const w = await seeded(backend);
      await vendAccessToken(w.deps(), 'acct-tokens', 'UK');
      const reads = w.secrets.calls.readTokens;
      await vendAccessToken(w.deps(), 'acct-tokens', 'UK');
      expect(w.amazon.calls).toHaveLength(1);
      expect(w.secrets.calls.readTokens).toBe(reads);
      await vendAccessToken(w.deps(true), 'acct-tokens', 'FR');
      expect(w.amazon.calls).toHaveLength(1);
    });

    it('refreshes again about a minute before the token expires, with the same refresh token', async () => {
      const w = await seeded(backend);
      await vendAccessToken(w.deps(), 'acct-tokens', 'UK');
      w.clock.advance(HOUR - 59_000);
      await vendAccessToken(w.deps(), 'acct-tokens', 'UK');
      expect(w.refreshes()).toBe(2);
      expect(w.amazon.lwaCalls()[1]!.body).toContain(encodeURIComponent(REFRESH));
    });

    it('a new refresh token from LWA replaces the stored one; the next refresh sends it', async () => {
      const w = await seeded(backend, { rotatedRefreshToken: 'Atzr|MARKER-ROTATED' });
      await vendAccessToken(w.deps(), 'acct-tokens', 'UK');
      expect((await w.secrets.readTokens(w.grant.secretName)).refreshToken).toBe('Atzr|MARKER-ROTATED');
      w.clock.advance(HOUR);
      await vendAccessToken(w.deps(), 'acct-tokens', 'UK');
      expect(w.amazon.lwaCalls()[1]!.body).toContain(encodeURIComponent('Atzr|MARKER-ROTATED'));
    });

    it('invalid_grant revokes the grant once with exactly one Revoked event, whatever the number of callers; later calls answer 409 AUTHORIZATION_REVOKED', async () => {
      const w = await seeded(backend, { revokedRefreshTokens: [REFRESH] });
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => vendAccessToken(w.deps(true), 'acct-tokens', 'UK')));
      expect(results.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'AUTHORIZATION_REVOKED')).toBe(true);
      expect(w.events.published.map((e) => e.detailType)).toEqual([DETAIL_TYPES.revoked]);
      expect(await w.revokedAt(w.grant)).toBe(AUTH_NOW.toISOString());
      await expect(vendAccessToken(w.deps(), 'acct-tokens', 'UK')).rejects.toMatchObject({ code: 'AUTHORIZATION_REVOKED', httpStatus: 409 });
      expect(w.refreshes()).toBe(1);
    });

    it('invalid_client revokes nothing: 503 APP_CREDENTIALS_INVALID and the APP_CREDENTIALS_INVALID alarm', async () => {
      const w = await seeded(backend, { lwa: 'invalid_client' });
      await expect(vendAccessToken(w.deps(), 'acct-tokens', 'UK')).rejects.toMatchObject({ code: 'APP_CREDENTIALS_INVALID', httpStatus: 503 });
      expect(await w.revokedAt(w.grant)).toBeNull();
      expect(w.events.published).toEqual([]);
      expect(w.log.alarms()).toEqual(['APP_CREDENTIALS_INVALID']);
    });

    it('a whole day of LWA 5xx (hourly health checks) revokes nothing, counts the failures per day, and the next success clears them', async () => {
      const w = await seeded(backend, { lwa: 'http500' });
      for (let hour = 0; hour < 24; hour++) {
        const summary = await runHealthCheck(w.deps(), { intervalMs: 24 * HOUR, maxPerRun: 100 });
        expect(summary).toMatchObject({ checked: 1, revoked: 0, unavailable: 1 });
        w.clock.advance(HOUR);
      }
      expect(await w.revokedAt(w.grant)).toBeNull();
      expect(w.events.published).toEqual([]);
      // Three attempts (backoff and jitter) per refresh.
      expect(w.refreshes()).toBe(24 * 3);
      const counts = w.log.lines.filter((l) => l.message.startsWith('refresh failed')).map((l) => l.attributes.failuresToday);
      expect(counts.at(-1)).toBeGreaterThan(1);
      w.amazon.options.lwa = undefined;
      expect(await runHealthCheck(w.deps(), { intervalMs: 24 * HOUR, maxPerRun: 100 })).toMatchObject({ confirmed: 1 });
      const state = await w.grants.read('acct-tokens', w.grant.grantKey);
      expect(state?.failures).toBeNull();
      expect(state?.grant.lastCheckedAt?.toISOString()).toBe(w.clock.now().toISOString());
      // Confirmed now: the next run has nothing to do.
      expect(await runHealthCheck(w.deps(), { intervalMs: 24 * HOUR, maxPerRun: 100 })).toMatchObject({ checked: 0 });
    });

    it('the health check finds a revocation of an idle grant in one run', async () => {
      const w = await seeded(backend, { revokedRefreshTokens: [REFRESH] });
      expect(await runHealthCheck(w.deps(), { intervalMs: 24 * HOUR, maxPerRun: 100 })).toMatchObject({ checked: 1, revoked: 1 });
      expect(w.events.published.map((e) => e.detailType)).toEqual([DETAIL_TYPES.revoked]);
      expect(await runHealthCheck(w.deps(), { intervalMs: 24 * HOUR, maxPerRun: 100 })).toMatchObject({ checked: 0 });
    });

    it('no grant: 404 NO_AUTHORIZATION; an expired one: 409 TOKEN_EXPIRED, without calling Amazon', async () => {
      const w = await seeded(backend);
      await expect(vendAccessToken(w.deps(), 'acct-tokens', 'US')).rejects.toMatchObject({ code: 'NO_AUTHORIZATION', httpStatus: 404 });
      w.clock.advance(366 * 24 * HOUR);
      await expect(vendAccessToken(w.deps(), 'acct-tokens', 'UK')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', httpStatus: 409 });
      expect(w.amazon.calls).toHaveLength(0);
    });
  });
}
