import { AUTH_ACCOUNT, InMemoryGrantWriter } from '../../../builders/auth.js';
import { InMemoryAccountsOver } from '../../../builders/tokens.js';
import { TRIALS, exchangeRace, runTrials } from '../../../suites/secret-race.js';

/** The secret races of test/suites/secret-race.ts with the grants in memory, where the interleavings are deterministic. */

const ticks = (n: number) => (n <= 0 ? Promise.resolve() : new Promise<void>((resolve) => setImmediate(() => void ticks(n - 1).then(resolve))));

it(`in memory: ${TRIALS} disconnect/re-authorization races leave no grant pointing at a secret scheduled for deletion`, async () => {
  const outcomes = await runTrials(async () => {
    const grants = new InMemoryGrantWriter();
    return {
      grants,
      delay: (i) => ticks(i % 12),
      accounts: new InMemoryAccountsOver(grants, AUTH_ACCOUNT),
      rows: async () => new Map([...grants.grants.values()].map((g) => [g.grantKey, g.secretName])),
    };
  });
  // Both orders happened (the interleavings are deterministic here): the re-authorization landing
  // last, and the disconnect removing it. On DynamoDB Local the split depends on timing, so only the invariants are asserted.
  expect([...outcomes].sort()).toEqual(['disconnected', 'granted']);
});

it(`in memory: ${TRIALS} races of two exchanges of one grant leave the row naming a live secret with its token, the other retired`, async () => {
  for (let i = 0; i < TRIALS; i++) {
    await exchangeRace(i, async () => {
      const grants = new InMemoryGrantWriter();
      return { grants, delay: (n) => ticks(n % 12), accounts: new InMemoryAccountsOver(grants, AUTH_ACCOUNT), rows: async () => new Map([...grants.grants.values()].map((g) => [g.grantKey, g.secretName])) };
    });
  }
});
