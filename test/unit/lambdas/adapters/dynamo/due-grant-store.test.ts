import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand as DocScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDueGrantStore } from '../../../../../lambdas/adapters/dynamo/due-grant-store.js';
import { dueShardFor, toGrantItem } from '../../../../../lambdas/adapters/dynamo/items.js';
import { DUE_SHARD_COUNT } from '../../../../../lambdas/adapters/dynamo/table-schema.js';
import type { Grant } from '../../../../../lambdas/domain/grant.js';
import { anAuthorizedGrant, DAY_MS } from '../../../../builders/sweep.js';
import { conditionFailed } from '../../../../builders/dynamodb-errors.js';

const TABLE = 'aob-amazon-connect-test';
const NOW = new Date('2026-06-01T00:00:00.000Z');
const dynamo = mockClient(DynamoDBDocumentClient);
const raw = mockClient(DynamoDBClient);
const store = () => new DynamoDueGrantStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), TABLE);

async function collect(pages: AsyncIterable<readonly Grant[]>): Promise<Grant[][]> {
  const out: Grant[][] = [];
  for await (const page of pages) out.push([...page]);
  return out;
}

beforeEach(() => {
  dynamo.reset();
  raw.reset();
});

describe('DynamoDueGrantStore.due', () => {
  it('queries every shard of the due index for entries up to now, never scanning', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    await collect(store().due(NOW, { pageSize: 50 }));

    // Assess
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, DUE_SHARD_COUNT);
    for (let i = 0; i < DUE_SHARD_COUNT; i++) {
      expect(dynamo).toHaveReceivedNthSpecificCommandWith(i + 1, QueryCommand, {
        TableName: TABLE,
        IndexName: 'due',
        KeyConditionExpression: '#shard = :shard AND #next <= :now',
        ExpressionAttributeNames: { '#shard': 'dueShard', '#next': 'nextAlertAt' },
        ExpressionAttributeValues: { ':shard': `DUE#${i}`, ':now': NOW.toISOString() },
        Limit: 50,
      });
    }
    expect(dynamo).not.toHaveReceivedCommand(DocScanCommand);
    expect(raw).not.toHaveReceivedCommand(ScanCommand);
  });

  it('follows LastEvaluatedKey page by page and maps items to grants', async () => {
    // Prepare: shard 0 has two pages, the others none.
    const a = anAuthorizedGrant({ accountId: 'acct-a', generatedAt: new Date(NOW.getTime() - 340 * DAY_MS) });
    const b = anAuthorizedGrant({ accountId: 'acct-b', generatedAt: new Date(NOW.getTime() - 339 * DAY_MS) });
    const cursor = { pk: 'ACCOUNT#acct-a', sk: 'GRANT#EU#A3SELLERTEST', dueShard: 'DUE#0', nextAlertAt: a.nextAlertAt!.toISOString() };
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'DUE#0', ':now': NOW.toISOString() } }).resolvesOnce({ Items: [toGrantItem(a)], LastEvaluatedKey: cursor }).resolvesOnce({ Items: [toGrantItem(b)] });

    // Act
    const pages = await collect(store().due(NOW, { pageSize: 1 }));

    // Assess
    expect(pages).toEqual([[a], [b]]);
    expect(dynamo).toHaveReceivedNthSpecificCommandWith(2, QueryCommand, { ExclusiveStartKey: cursor, Limit: 1 });
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, DUE_SHARD_COUNT + 1);
  });
});

describe('DynamoDueGrantStore.recordAlert', () => {
  const grant = anAuthorizedGrant({ generatedAt: new Date(NOW.getTime() - 340 * DAY_MS), alertsSent: [], version: 7 });

  it('appends the handled labels, moves the index entry and bumps the version, on condition of version and generatedAt', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({});
    const next = grant.expiresAt;

    // Act
    const outcome = await store().recordAlert(grant, { handled: ['30d'], nextAlertAt: next });

    // Assess
    expect(outcome).toBe('recorded');
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: `ACCOUNT#${grant.accountId}`, sk: `GRANT#${grant.grantKey}` },
      UpdateExpression: 'SET #version = :bumped, #alertsSent = list_append(if_not_exists(#alertsSent, :none), :handled), #next = :nextAlertAt, #shard = :shard',
      ConditionExpression: '#version = :read AND #generatedAt = :generatedAt',
      ExpressionAttributeNames: { '#version': 'version', '#generatedAt': 'generatedAt', '#alertsSent': 'alertsSent', '#next': 'nextAlertAt', '#shard': 'dueShard' },
      ExpressionAttributeValues: {
        ':read': 7,
        ':bumped': 8,
        ':generatedAt': grant.generatedAt.toISOString(),
        ':handled': ['30d'],
        ':none': [],
        ':nextAlertAt': next.toISOString(),
        ':shard': dueShardFor(grant.accountId, grant.grantKey),
      },
    });
  });

  it('removes the grant from the due index when nothing is left to say', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await store().recordAlert({ ...grant, alertsSent: ['30d', '1d'] }, { handled: ['expired'], nextAlertAt: null });

    // Assess
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.UpdateExpression).toBe('SET #version = :bumped, #alertsSent = list_append(if_not_exists(#alertsSent, :none), :handled) REMOVE #next, #shard');
    expect(input.ExpressionAttributeValues).not.toHaveProperty(':nextAlertAt');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':handled': ['expired'] });
  });

  it('writes no label twice and leaves alertsSent alone when nothing was handled', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await store().recordAlert({ ...grant, alertsSent: ['30d'] }, { handled: ['30d'], nextAlertAt: null });

    // Assess
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.UpdateExpression).toBe('SET #version = :bumped REMOVE #next, #shard');
    expect(input.ExpressionAttributeNames).not.toHaveProperty('#alertsSent');
  });

  it('answers conflict when the grant changed since it was read', async () => {
    // Prepare
    dynamo.on(UpdateCommand).rejects(conditionFailed());

    // Act
    const outcome = await store().recordAlert(grant, { handled: ['30d'], nextAlertAt: grant.expiresAt });

    // Assess
    expect(outcome).toBe('conflict');
  });

  it('lets any other error through for the sweep to count as a failure', async () => {
    // Prepare
    dynamo.on(UpdateCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));

    // Act / Assess
    await expect(store().recordAlert(grant, { handled: ['30d'], nextAlertAt: grant.expiresAt })).rejects.toThrow('slow down');
  });
});
