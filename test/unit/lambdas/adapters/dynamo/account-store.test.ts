import { DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoAccountStore } from '../../../../../lambdas/adapters/dynamo/account-store.js';
import { documentClient } from '../../../../../lambdas/handlers/wiring/dynamodb.js';
import { toGrantItem, toVenueItem } from '../../../../../lambdas/adapters/dynamo/items.js';
import { ConcurrentUpdateError } from '../../../../../lambdas/ports/failures.js';
import { aGrant, aVenueRecord, venuesServedBy } from '../../../../builders/grants.js';
import { conditionFailed, transactionCancelled } from '../../../../builders/dynamodb-errors.js';

const TABLE = 'aob-amazon-connect-test';
const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoAccountStore(documentClient(), TABLE);


beforeEach(() => ddb.reset());

describe('DynamoAccountStore.load', () => {
  it('reads the whole account with exactly one consistent Query on its partition', async () => {
    // Prepare
    const grant = aGrant({ region: 'EU', alertsSent: ['30d'], nextAlertAt: new Date('2026-12-01T00:00:00.000Z') });
    const venues = venuesServedBy(grant).slice(0, 3);
    ddb.on(QueryCommand).resolves({ Items: [...venues.map(toVenueItem), toGrantItem(grant)] });

    // Act
    const snapshot = await store.load('acct-1');

    // Assess
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'ACCOUNT#acct-1' },
      ConsistentRead: true,
    });
    expect(snapshot.grants).toEqual([grant]);
    expect(snapshot.venues).toEqual(venues);
  });

  it('returns an empty account when nothing is stored', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await expect(store.load('acct-new')).resolves.toEqual({ venues: [], grants: [] });
  });

  it('follows LastEvaluatedKey when DynamoDB pages the partition', async () => {
    const grant = aGrant();
    const [uk, de] = venuesServedBy(grant);
    const page1Key = { pk: 'ACCOUNT#acct-1', sk: 'VENUE#UK' };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [toVenueItem(uk!)], LastEvaluatedKey: page1Key })
      .resolvesOnce({ Items: [toVenueItem(de!), toGrantItem(grant)] });

    const snapshot = await store.load('acct-1');

    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedNthSpecificCommandWith(2, QueryCommand, { ExclusiveStartKey: page1Key });
    expect(snapshot.venues.map((v) => v.marketplace)).toEqual(['UK', 'DE']);
    expect(snapshot.grants).toEqual([grant]);
  });

  it('ignores items of other kinds under the account partition', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'ACCOUNT#acct-1', sk: 'PROFILE', something: 1 }, toVenueItem(aVenueRecord())] });

    const snapshot = await store.load('acct-1');

    expect(snapshot.venues).toHaveLength(1);
    expect(snapshot.grants).toHaveLength(0);
  });
});

describe('DynamoAccountStore.setVenueActive', () => {
  it('updates a stored venue with one write conditioned on its version, and bumps the version', async () => {
    ddb.on(UpdateCommand).resolves({});
    const venue = aVenueRecord({ marketplace: 'DE', version: 4, grantKey: 'EU#A3SELLERTEST', participating: true });

    const updated = await store.setVenueActive(venue, true);

    expect(updated).toEqual({ ...venue, active: true, version: 5 });
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: 'ACCOUNT#acct-1', sk: 'VENUE#DE' },
      UpdateExpression: 'SET active = :active, version = :next',
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':active': true, ':next': 5, ':expected': 4 },
    });
  });

  it('creates the venue item when it was never stored (version 0), only if it still does not exist', async () => {
    ddb.on(PutCommand).resolves({});
    const venue = aVenueRecord({ marketplace: 'JP', version: 0 });

    const updated = await store.setVenueActive(venue, false);

    expect(updated.version).toBe(1);
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: toVenueItem({ ...venue, active: false, version: 1 }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('reports a lost race as ConcurrentUpdateError', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(PutCommand).rejects(conditionFailed());

    await expect(store.setVenueActive(aVenueRecord({ version: 2 }), true)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await expect(store.setVenueActive(aVenueRecord({ version: 0 }), true)).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('lets other failures through unchanged', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    ddb.on(UpdateCommand).rejects(throttled);

    await expect(store.setVenueActive(aVenueRecord({ version: 2 }), true)).rejects.toThrow('Rate exceeded');
  });
});

describe('DynamoAccountStore.removeGrant', () => {
  it('deletes the grant and deactivates and unlinks every venue it served, in one transaction, each conditioned on its version', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});
    const grant = aGrant({ region: 'EU', version: 7 });
    const venues = [aVenueRecord({ marketplace: 'UK', grantKey: grant.grantKey, active: true, version: 3 }), aVenueRecord({ marketplace: 'DE', grantKey: grant.grantKey, version: 1 })];

    // Act
    await store.removeGrant(grant, venues);

    // Assess
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Delete: {
            TableName: TABLE,
            Key: { pk: 'ACCOUNT#acct-1', sk: `GRANT#${grant.grantKey}` },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': 7 },
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: { pk: 'ACCOUNT#acct-1', sk: 'VENUE#UK' },
            UpdateExpression: 'SET active = :inactive, version = :next REMOVE grantKey, participating',
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':inactive': false, ':next': 4, ':expected': 3 },
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: { pk: 'ACCOUNT#acct-1', sk: 'VENUE#DE' },
            UpdateExpression: 'SET active = :inactive, version = :next REMOVE grantKey, participating',
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':inactive': false, ':next': 2, ':expected': 1 },
          },
        },
      ],
    });
  });

  it('removes a grant that serves no stored venue with a one-item transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store.removeGrant(aGrant({ region: 'FE', marketplaces: ['SG'] }), []);

    const input = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input;
    expect(input.TransactItems).toHaveLength(1);
  });

  it.each([
    ['a condition failed', ['None', 'ConditionalCheckFailed']],
    ['another transaction held an item', ['TransactionConflict', 'None']],
  ])('reports a cancelled transaction where %s as ConcurrentUpdateError', async (_label, codes) => {
    ddb.on(TransactWriteCommand).rejects(transactionCancelled(...codes));

    await expect(store.removeGrant(aGrant(), [])).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('lets a transaction cancelled for other reasons through unchanged', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCancelled('ThrottlingError'));

    await expect(store.removeGrant(aGrant(), [])).rejects.toMatchObject({ name: 'TransactionCanceledException' });
  });
});
