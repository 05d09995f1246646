import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoGrantWriter } from '../../../../../lambdas/adapters/dynamo/grant-writer.js';
import { toGrantItem, toVenueItem } from '../../../../../lambdas/adapters/dynamo/items.js';
import type { Grant } from '../../../../../lambdas/domain/grant.js';
import { ConcurrentUpdateError } from '../../../../../lambdas/ports/failures.js';
import type { GrantWrite } from '../../../../../lambdas/ports/grant-writer.js';
import { aGrant, aVenueRecord } from '../../../../builders/grants.js';
import { AUTH_ACCOUNT, AUTH_NOW } from '../../../../builders/auth.js';
import { transactionCancelled } from '../../../../builders/dynamodb-errors.js';

/** The grant, its venues and the outcome in one DynamoDB transaction (mocked), with the R4 and R10 rules. */

const TABLE = 'aob-amazon-connect-test';
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({}));

beforeEach(() => ddb.reset());

describe('DynamoGrantWriter', () => {
  const writer = new DynamoGrantWriter(client, TABLE);
  const grant = aGrant({ accountId: AUTH_ACCOUNT, sellingPartnerId: 'A1NEW', region: 'EU', generatedAt: AUTH_NOW, nextAlertAt: new Date('2027-10-27T10:00:00.000Z') });
  const input: GrantWrite = { grant, venues: grant.marketplaces.map((m) => ({ marketplace: m, participating: m === 'UK' })), stateHash: 'sh', notice: null };

  it('writes grant, every venue and the outcome in ONE transaction with the R4 and venue conditions, no read', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});
    // Act
    const result = await writer.write(input);
    // Assess
    expect(result).toEqual({ kind: 'written', replaced: [], previous: null });
    expect(ddb.calls()).toHaveLength(1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(1 + 16 + 1);
    const g = items[0]!.Update!;
    expect(g.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(g.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    expect(g.UpdateExpression).toContain('#version = if_not_exists(#version, :zero) + :one');
    expect(g.UpdateExpression).toContain('REMOVE #revokedAt');
    expect(g.ExpressionAttributeValues).toMatchObject({ ':alertsSent': [], ':nextAlertAt': '2027-10-27T10:00:00.000Z', ':dueShard': expect.stringMatching(/^DUE#\d$/), ':generatedAt': AUTH_NOW.toISOString() });
    const venue = items[1]!.Update!;
    expect(venue.UpdateExpression).toContain('active = if_not_exists(active, :false)');
    expect(venue.ConditionExpression).toBe('attribute_not_exists(grantKey) OR grantKey = :grantKey');
    expect(items.at(-1)!.Update).toMatchObject({ Key: { pk: 'AUTH#sh', sk: 'AUTH' }, UpdateExpression: 'SET outcome = :outcome' });
  });

  const refusedWith = (stored: Grant) =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: marshall(toGrantItem(stored), { removeUndefinedValues: true }) }, ...Array(17).fill({ Code: 'None' })],
    });

  it('R4: an older exchange (a newer grant is stored) changes nothing and reports superseded with the stored grant', async () => {
    const newer = { ...grant, generatedAt: new Date(AUTH_NOW.getTime() + 1000), secretName: 'other-secret', version: 3 };
    ddb.on(TransactWriteCommand).rejects(refusedWith(newer));
    expect(await writer.write(input)).toEqual({ kind: 'superseded', current: newer });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('a re-authorization replaces exactly the stored earlier authorization (its version and generatedAt) and returns it as previous', async () => {
    const older = { ...grant, generatedAt: new Date(AUTH_NOW.getTime() - 86_400_000), secretName: 'older-secret', version: 4 };
    ddb.on(TransactWriteCommand).rejectsOnce(refusedWith(older)).resolves({});
    expect(await writer.write(input)).toEqual({ kind: 'written', replaced: [], previous: older });
    const second = ddb.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems![0]!.Update!;
    expect(second.ConditionExpression).toBe('#version = :previousVersion AND #generatedAt = :previousGeneratedAt');
    expect(second.ExpressionAttributeValues).toMatchObject({ ':previousVersion': 4, ':previousGeneratedAt': older.generatedAt.toISOString() });
    expect(second.UpdateExpression).toMatch(/REMOVE .*#tokenVersion.*#leaseOwner/);
  });

  it('venues of another selling partner: reads the account once, then replaces that grant in the same transaction', async () => {
    // Prepare
    const old = aGrant({ accountId: AUTH_ACCOUNT, sellingPartnerId: 'A0OLD', region: 'EU' });
    const oldVenues = old.marketplaces.map((m) => aVenueRecord({ accountId: AUTH_ACCOUNT, marketplace: m, grantKey: old.grantKey, active: m === 'DE' }));
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCancelled('None', 'ConditionalCheckFailed', ...Array(16).fill('None')))
      .resolves({});
    ddb.on(QueryCommand).resolves({ Items: [toGrantItem(old), ...oldVenues.map(toVenueItem)] });
    // Act
    const result = await writer.write(input);
    // Assess
    expect(result).toEqual({ kind: 'written', replaced: [old], previous: null });
    const second = ddb.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems!;
    expect(second[1]!.Update).toMatchObject({ ConditionExpression: 'grantKey = :observedGrantKey', ExpressionAttributeValues: expect.objectContaining({ ':observedGrantKey': old.grantKey }) });
    expect(second.find((i) => i.Delete)?.Delete).toMatchObject({ Key: { pk: `ACCOUNT#${AUTH_ACCOUNT}`, sk: `GRANT#${old.grantKey}` }, ConditionExpression: 'generatedAt = :generatedAt' });
    const tokens = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(new Set(tokens).size).toBe(2);
  });

  it('R10: a transaction cancelled by throttling or a conflicting transaction is retried after a jittered, growing wait', async () => {
    // Prepare
    const sleeps: number[] = [];
    const patient = new DynamoGrantWriter(client, TABLE, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 100 });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCancelled('None', 'ThrottlingError', ...Array(16).fill('None')))
      .rejectsOnce(transactionCancelled('TransactionConflict', ...Array(17).fill('None')))
      .resolves({});
    // Act
    const result = await patient.write(input);
    // Assess
    expect(result).toEqual({ kind: 'written', replaced: [], previous: null });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 0);
    expect(sleeps).toEqual([50, 100]);
  });

  it('a venue conflict is re-read at once, without waiting', async () => {
    const sleeps: number[] = [];
    const patient = new DynamoGrantWriter(client, TABLE, { sleep: async (ms) => void sleeps.push(ms) });
    ddb.on(TransactWriteCommand).rejectsOnce(transactionCancelled('None', 'ConditionalCheckFailed')).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    await patient.write(input);
    expect(sleeps).toEqual([]);
  });

  it('gives up after bounded retries with ConcurrentUpdateError', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCancelled('None', 'ConditionalCheckFailed'));
    ddb.on(QueryCommand).resolves({ Items: [] });
    await expect(writer.write(input)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 5);
  });
});
