import { DynamoAccountStore } from '../../lambdas/adapters/dynamo/account-store.js';
import { DynamoGrantWriter } from '../../lambdas/adapters/dynamo/grant-writer.js';
import { DynamoPendingAuthorizationStore } from '../../lambdas/adapters/dynamo/pending-authorization-store.js';
import { AUTH_ACCOUNT } from '../builders/auth.js';
import { useDynamoDbLocal } from '../builders/dynamodb-local.js';
import { TRIALS, exchangeRace, runTrials } from '../suites/secret-race.js';

/** The secret races of test/suites/secret-race.ts on the real engine (DynamoDB Local), through the production adapters. */

describe('on DynamoDB Local', () => {
  const local = useDynamoDbLocal();

  it(`${TRIALS} disconnect/re-authorization races on the real engine leave no grant pointing at a secret scheduled for deletion`, async () => {
    await runTrials(async () => {
      const tableName = await local.newTable('race');
      const doc = local.doc();
      const accounts = new DynamoAccountStore(doc, tableName);
      return {
        grants: new DynamoGrantWriter(doc, tableName),
        // DynamoDB Local answers in milliseconds: spread the disconnect over the callback's span.
        delay: (i) => new Promise((resolve) => setTimeout(resolve, (i % 12) * 3)),
        store: new DynamoPendingAuthorizationStore(doc, tableName),
        accounts,
        rows: async () => new Map((await accounts.load(AUTH_ACCOUNT)).grants.map((g) => [g.grantKey, g.secretName])),
      };
    });
  }, 120_000);

  it(`${TRIALS} races of two exchanges of one grant on the real engine leave the row naming a live secret, the other retired`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      await exchangeRace(i, async () => {
        const tableName = await local.newTable('xrace');
        const doc = local.doc();
        const accounts = new DynamoAccountStore(doc, tableName);
        return {
          grants: new DynamoGrantWriter(doc, tableName),
          store: new DynamoPendingAuthorizationStore(doc, tableName),
          delay: (n) => new Promise((resolve) => setTimeout(resolve, (n % 12) * 3)),
          accounts,
          rows: async () => new Map((await accounts.load(AUTH_ACCOUNT)).grants.map((g) => [g.grantKey, g.secretName])),
        };
      });
    }
  }, 120_000);
});
