import { unlessConditionFails } from './conditional-write.js';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuthorizationStateStore, ConsumeRequest, ConsumeResult, PendingAuthorization } from '../../ports/pending-authorizations.js';
import { fromPendingItem, OUTCOME_SUCCESS, PENDING_TTL_GRACE_SECONDS, type PendingItem, pendingAuthorizationKey, ttlOf } from './pending-authorization-items.js';

/** The pending authorization items (layout in pending-authorization-items.ts) up to the callback: opened, the Log-in step recorded, consumed. */
export class DynamoAuthorizationStateStore implements AuthorizationStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async open(p: PendingAuthorization): Promise<void> {
    const item: PendingItem = {
      ...pendingAuthorizationKey(p.stateHash),
      type: 'authorization',
      ticketHash: p.ticketHash,
      bindingHash: p.bindingHash,
      accountId: p.accountId,
      marketplace: p.marketplace,
      returnPath: p.returnPath,
      expiresAt: p.expiresAt.toISOString(),
      ttl: ttlOf(p.expiresAt) + PENDING_TTL_GRACE_SECONDS,
    };
    if (p.sub) item.sub = p.sub;
    if (p.sellingPartnerId) item.sellingPartnerId = p.sellingPartnerId;
    if (p.startedOnAmazon) item.startedOnAmazon = true;
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async recordLogin(stateHash: string, bindingHash: string, sellingPartnerId: string, now: Date): Promise<PendingAuthorization | null> {
    const out = await unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pendingAuthorizationKey(stateHash),
          UpdateExpression: 'SET sellingPartnerId = :spid',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(consumedAt) AND expiresAt > :now AND bindingHash = :bh AND (attribute_not_exists(sellingPartnerId) OR sellingPartnerId = :spid)',
          ExpressionAttributeValues: { ':spid': sellingPartnerId, ':now': now.toISOString(), ':bh': bindingHash },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out?.Attributes ? fromPendingItem(out.Attributes, stateHash) : null;
  }

  async expiredFlow(stateHash: string, bindingHash: string, now: Date): Promise<PendingAuthorization | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: pendingAuthorizationKey(stateHash), ConsistentRead: true }));
    const item = out.Item as PendingItem | undefined;
    if (!item || item.consumedAt || item.bindingHash !== bindingHash || item.expiresAt > now.toISOString()) return null;
    return fromPendingItem(item as unknown as Record<string, unknown>, stateHash);
  }

  async consume(request: ConsumeRequest): Promise<ConsumeResult> {
    if (request.bindingHash !== null) {
      const values: Record<string, unknown> = { ':now': request.now.toISOString(), ':bh': request.bindingHash };
      let condition = 'attribute_exists(pk) AND attribute_not_exists(consumedAt) AND expiresAt > :now AND bindingHash = :bh';
      if (request.sellingPartnerId !== null) {
        condition += ' AND (attribute_not_exists(sellingPartnerId) OR sellingPartnerId = :spid)';
        values[':spid'] = request.sellingPartnerId;
      }
      const sets = ['consumedAt = :now'];
      if (request.sellingPartnerId !== null) sets.push('sellingPartnerId = :spid');
      if (request.completion) {
        // The sealed code travels in the same write that consumes the state: one request.
        sets.push('completionHash = :ch', 'sealedCode = :code', 'codeExpiresAt = :cx');
        values[':ch'] = request.completion.completionHash;
        values[':code'] = request.completion.sealedCode;
        values[':cx'] = request.completion.codeExpiresAt.toISOString();
      }
      const out = await unlessConditionFails(
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: pendingAuthorizationKey(request.stateHash),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: condition,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      if (out?.Attributes) return { kind: 'consumed', pending: fromPendingItem(out.Attributes, request.stateHash) };
    }
    // Refused (or no cookie to try with): a consistent read says why, without writing anything.
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: pendingAuthorizationKey(request.stateHash), ConsistentRead: true }));
    return classifyRefusal(out.Item as PendingItem | undefined, request);
  }
}

function classifyRefusal(item: PendingItem | undefined, request: ConsumeRequest): ConsumeResult {
  if (!item) return { kind: 'invalid', pending: null };
  const pending = fromPendingItem(item as unknown as Record<string, unknown>, request.stateHash);
  if (item.consumedAt) {
    return item.outcome === OUTCOME_SUCCESS && request.bindingHash === item.bindingHash
      ? { kind: 'already-succeeded', pending, notice: item.notice ?? null }
      : { kind: 'invalid', pending };
  }
  // Expired: this browser learns it took too long; any other browser learns nothing about the flow.
  if (item.expiresAt <= request.now.toISOString()) return request.bindingHash === item.bindingHash ? { kind: 'expired', pending } : { kind: 'invalid', pending };
  if (request.bindingHash !== item.bindingHash) return { kind: 'browser-mismatch', pending };
  if (request.sellingPartnerId !== null && item.sellingPartnerId && item.sellingPartnerId !== request.sellingPartnerId) {
    return { kind: 'partner-mismatch', pending };
  }
  return { kind: 'invalid', pending };
}
