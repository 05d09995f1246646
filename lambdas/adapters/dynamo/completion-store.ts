import { unlessConditionFails } from './conditional-write.js';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimRequest, ClaimResult, CompletionStore, ConfirmationHold, PendingAuthorization } from '../../ports/pending-authorizations.js';
import { fromPendingItem, OUTCOME_SUCCESS, type PendingItem, pendingAuthorizationKey } from './pending-authorization-items.js';

/** The pending authorization items (layout in pending-authorization-items.ts) after the callback: the claims of the completion and of the seller's confirmation. */
export class DynamoCompletionStore implements CompletionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  claimCompletion(request: ClaimRequest): Promise<ClaimResult> {
    // The sealed code leaves the table the moment it is claimed.
    return this.claim(request, 'attribute_not_exists(completedAt) AND codeExpiresAt > :now', 'SET completedAt = :now REMOVE sealedCode', 'sealedCode');
  }

  async holdForConfirmation(stateHash: string, hold: ConfirmationHold): Promise<void> {
    const values: Record<string, unknown> = { ':grant': hold.sealedGrant, ':hx': hold.holdExpiresAt.toISOString() };
    let update = 'SET sealedGrant = :grant, holdExpiresAt = :hx';
    if (hold.storeName) {
      update += ', storeName = :store';
      values[':store'] = hold.storeName;
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: pendingAuthorizationKey(stateHash),
        UpdateExpression: update,
        ConditionExpression: 'attribute_exists(completedAt) AND attribute_not_exists(confirmedAt)',
        ExpressionAttributeValues: values,
      }),
    );
  }

  claimConfirmation(request: ClaimRequest): Promise<ClaimResult> {
    // The held grant leaves the table the moment it is claimed, confirmed or cancelled.
    return this.claim(request, 'attribute_exists(sealedGrant) AND attribute_not_exists(confirmedAt) AND holdExpiresAt > :now', 'SET confirmedAt = :now REMOVE sealedGrant', 'sealedGrant');
  }

  /** One conditional update (right handle, same account and user, plus `stage`), else one consistent read saying why. */
  private async claim(request: ClaimRequest, stage: string, update: string, sealedAttribute: 'sealedCode' | 'sealedGrant'): Promise<ClaimResult> {
    const values: Record<string, unknown> = { ':now': request.now.toISOString(), ':ch': request.completionHash, ':acct': request.accountId };
    let condition = `attribute_exists(pk) AND completionHash = :ch AND accountId = :acct AND ${stage}`;
    if (request.sub !== null) {
      condition += ' AND (attribute_not_exists(#sub) OR #sub = :sub)';
      values[':sub'] = request.sub;
    } else {
      condition += ' AND attribute_not_exists(#sub)';
    }
    const written = await unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pendingAuthorizationKey(request.stateHash),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#sub': 'sub' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    const claimed = written?.Attributes as PendingItem | undefined;
    const sealed = claimed?.[sealedAttribute];
    if (claimed && sealed) return { kind: 'claimed', pending: fromPendingItem(claimed as unknown as Record<string, unknown>, request.stateHash), sealedCode: sealed };
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: pendingAuthorizationKey(request.stateHash), ConsistentRead: true }));
    return classifyClaimRefusal(out.Item as PendingItem | undefined, request);
  }
}

/** Why a completion claim was refused, from one consistent read (shared with the in-memory store of the tests). */
export type ClaimableItem = Pick<PendingItem, 'accountId' | 'sub' | 'completionHash' | 'completedAt' | 'outcome' | 'notice' | 'codeExpiresAt' | 'sealedGrant' | 'storeName' | 'holdExpiresAt' | 'confirmedAt'>;

export function classifyClaimRefusal(
  item: ClaimableItem | undefined,
  request: ClaimRequest,
  pending: PendingAuthorization | null = item ? fromPendingItem(item as unknown as Record<string, unknown>, request.stateHash) : null,
): ClaimResult {
  if (!item || !pending || item.completionHash !== request.completionHash) return { kind: 'invalid', pending: null };
  if (item.accountId !== request.accountId || (item.sub !== undefined && item.sub !== request.sub)) return { kind: 'account-mismatch', pending };
  if (item.outcome === OUTCOME_SUCCESS) return { kind: 'already-succeeded', pending, notice: item.notice ?? null };
  const now = request.now.toISOString();
  if (item.sealedGrant && !item.confirmedAt && item.holdExpiresAt && item.holdExpiresAt > now) return { kind: 'awaiting-confirmation', pending, storeName: item.storeName ?? null };
  if (!item.completedAt && (!item.codeExpiresAt || item.codeExpiresAt <= now)) return { kind: 'code-expired', pending };
  return { kind: 'invalid', pending };
}
