import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoPendingAuthorizationStore } from '../../../../../lambdas/adapters/dynamo/pending-authorization-store.js';
import { hashOneTime, newOneTimeValue } from '../../../../../lambdas/domain/one-time-values.js';
import type { PendingAuthorization } from '../../../../../lambdas/ports/pending-authorizations.js';
import { AUTH_ACCOUNT, AUTH_NOW } from '../../../../builders/auth.js';
import { conditionFailed } from '../../../../builders/dynamodb-errors.js';

/** The one-time records of the flow in DynamoDB (mocked): tickets, states, the Log-in step. */

const TABLE = 'aob-amazon-connect-test';
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({}));

beforeEach(() => ddb.reset());

const pendingItem = (p: Partial<PendingAuthorization> & { stateHash: string }) => ({
  pk: `AUTH#${p.stateHash}`,
  sk: 'AUTH',
  type: 'authorization',
  ticketHash: 'f'.repeat(64),
  bindingHash: p.bindingHash ?? 'b'.repeat(64),
  accountId: AUTH_ACCOUNT,
  marketplace: 'UK',
  returnPath: '/settings/venues',
  expiresAt: (p.expiresAt ?? new Date(AUTH_NOW.getTime() + 600_000)).toISOString(),
  ttl: 1,
  ...(p.sellingPartnerId ? { sellingPartnerId: p.sellingPartnerId } : {}),
});

describe('DynamoPendingAuthorizationStore', () => {
  const store = new DynamoPendingAuthorizationStore(client, TABLE);

  it('stores a ticket under its hash with expiresAt and a TTL, never the raw value', async () => {
    // Prepare
    ddb.on(PutCommand).resolves({});
    const ticket = newOneTimeValue();
    // Act
    await store.createTicket({ ticketHash: hashOneTime(ticket), accountId: AUTH_ACCOUNT, sub: 's', marketplace: 'UK', returnPath: '/settings/venues', expiresAt: new Date(AUTH_NOW.getTime() + 600_000), continuation: null });
    // Assess
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: expect.objectContaining({ pk: `TICKET#${hashOneTime(ticket)}`, sk: 'TICKET', expiresAt: '2026-11-27T10:10:00.000Z', ttl: Math.ceil((AUTH_NOW.getTime() + 600_000) / 1000) }),
    });
    expect(JSON.stringify(ddb.calls().map((c) => c.args[0].input))).not.toContain(ticket);
  });

  it('redeems a ticket with one conditional delete (exists and unexpired) returning it; refused → null', async () => {
    ddb.on(DeleteCommand).resolvesOnce({ Attributes: { accountId: AUTH_ACCOUNT, marketplace: 'DE', returnPath: '/x', expiresAt: '2026-11-27T10:10:00.000Z', amazonCallbackUri: 'https://a', amazonState: 's', sellingPartnerId: 'A1' } }).rejects(conditionFailed());
    const first = await store.redeemTicket('h', AUTH_NOW);
    expect(first).toMatchObject({ ticketHash: 'h', marketplace: 'DE', sub: null, continuation: { amazonCallbackUri: 'https://a', amazonState: 's', sellingPartnerId: 'A1' } });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now', ExpressionAttributeValues: { ':now': AUTH_NOW.toISOString() }, ReturnValues: 'ALL_OLD' });
    expect(await store.redeemTicket('h', AUTH_NOW)).toBeNull();
  });

  it('consumes a state with one conditional update covering existence, single use, expiry, the binding and the selling partner', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: pendingItem({ stateHash: 's1', sellingPartnerId: 'A1' }) });
    const result = await store.consume({ stateHash: 's1', bindingHash: 'b'.repeat(64), sellingPartnerId: 'A1', now: AUTH_NOW });
    expect(result.kind).toBe('consumed');
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 0);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'AUTH#s1', sk: 'AUTH' },
      UpdateExpression: 'SET consumedAt = :now, sellingPartnerId = :spid',
      ConditionExpression:
        'attribute_exists(pk) AND attribute_not_exists(consumedAt) AND expiresAt > :now AND bindingHash = :bh AND (attribute_not_exists(sellingPartnerId) OR sellingPartnerId = :spid)',
    });
  });

  it.each([
    ['unknown', undefined, 'b'.repeat(64), 'invalid'],
    ['expired, same browser', pendingItem({ stateHash: 's', expiresAt: new Date(AUTH_NOW.getTime() - 1000) }), 'b'.repeat(64), 'expired'],
    ['expired, other browser', pendingItem({ stateHash: 's', expiresAt: new Date(AUTH_NOW.getTime() - 1000) }), 'c'.repeat(64), 'invalid'],
    ['foreign cookie', pendingItem({ stateHash: 's' }), 'c'.repeat(64), 'browser-mismatch'],
    ['other selling partner', pendingItem({ stateHash: 's', sellingPartnerId: 'A9' }), 'b'.repeat(64), 'partner-mismatch'],
    ['used, not succeeded', { ...pendingItem({ stateHash: 's' }), consumedAt: 'x' }, 'b'.repeat(64), 'invalid'],
    ['succeeded, same browser', { ...pendingItem({ stateHash: 's' }), consumedAt: 'x', outcome: 'success' }, 'b'.repeat(64), 'already-succeeded'],
    ['succeeded, other browser', { ...pendingItem({ stateHash: 's' }), consumedAt: 'x', outcome: 'success' }, 'c'.repeat(64), 'invalid'],
  ])('a refused consume (%s) is classified from one consistent read, writing nothing', async (_name, item, bindingHash, kind) => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: item });
    const result = await store.consume({ stateHash: 's', bindingHash, sellingPartnerId: 'A1', now: AUTH_NOW });
    expect(result.kind).toBe(kind);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true });
  });

  it('without a cookie nothing is attempted: one read says BROWSER_MISMATCH or invalid', async () => {
    ddb.on(GetCommand).resolves({ Item: pendingItem({ stateHash: 's' }) });
    expect((await store.consume({ stateHash: 's', bindingHash: null, sellingPartnerId: null, now: AUTH_NOW })).kind).toBe('browser-mismatch');
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 0);
  });

  it('records the Log-in step on the pending authorization of the cookie; refused → null', async () => {
    ddb.on(UpdateCommand).resolvesOnce({ Attributes: pendingItem({ stateHash: 's', sellingPartnerId: 'A1' }) }).rejects(conditionFailed());
    expect(await store.recordLogin('s', 'b', 'A1', AUTH_NOW)).toMatchObject({ sellingPartnerId: 'A1' });
    expect(await store.recordLogin('s', 'b', 'A1', AUTH_NOW)).toBeNull();
  });
});
