import { tokenLwaClient } from '../../../../lambdas/handlers/wiring/lwa.js';
import { tokenServiceDeps } from '../../../../lambdas/handlers/wiring/token-service.js';
import { InMemoryTokenGrants } from '../../../builders/tokens.js';
import { accessTokenSuite } from '../../../suites/access-tokens.js';

/** The token service's use cases (test/suites/access-tokens.ts) with the grants in memory, and the LWA client it is wired with. */

accessTokenSuite({
  name: 'in memory',
  async store() {
    const grants = new InMemoryTokenGrants();
    return {
      grants,
      seed: async (g) => grants.put(g),
      revokedAt: async (g) => grants.items.get(g.grantKey)?.grant.revokedAt?.toISOString() ?? null,
    };
  },
});

it('the token service is wired with an LWA client whose refresh, every attempt included, fits inside the 20 s refresh lease', () => {
  const lwa = tokenLwaClient();
  expect(tokenServiceDeps().lwa).toBe(lwa);
  // 5 s of the lease left for the backoff between attempts (under 1 s) and the token's write.
  expect(lwa.refreshAttempts * lwa.timeoutMs).toBeLessThanOrEqual(15_000);
  expect(lwa.refreshAttempts).toBeGreaterThan(1);
});
