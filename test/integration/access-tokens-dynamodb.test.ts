import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { grantItemKey, toGrantItem, toVenueItem } from '../../lambdas/adapters/dynamo/items.js';
import { DynamoTokenGrantStore } from '../../lambdas/adapters/dynamo/token-grant-store.js';
import { useDynamoDbLocal } from '../builders/dynamodb-local.js';
import { accessTokenSuite } from '../suites/access-tokens.js';

/** The token service's use cases (test/suites/access-tokens.ts) with the grants on DynamoDB Local, through the production adapter. */

const local = useDynamoDbLocal();

accessTokenSuite({
  name: 'on DynamoDB Local',
  async store() {
    const tableName = await local.newTable('tokens');
    const doc = local.doc();
    return {
      grants: new DynamoTokenGrantStore(doc, tableName),
      async seed(g) {
        await doc.send(new PutCommand({ TableName: tableName, Item: toGrantItem(g) }));
        for (const m of g.marketplaces) {
          await doc.send(new PutCommand({ TableName: tableName, Item: toVenueItem({ accountId: g.accountId, marketplace: m, active: false, grantKey: g.grantKey, participating: true, version: 1 }) }));
        }
      },
      async revokedAt(g) {
        const item = (await doc.send(new GetCommand({ TableName: tableName, Key: grantItemKey(g.accountId, g.grantKey) }))).Item;
        return typeof item?.revokedAt === 'string' ? item.revokedAt : null;
      },
    };
  },
});
