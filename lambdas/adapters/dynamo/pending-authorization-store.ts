import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MarketplaceCode } from '../../domain/marketplaces.js';
import type {
  ClaimRequest,
  ClaimResult,
  ConfirmationHold,
  ConsumeRequest,
  ConsumeResult,
  PendingAuthorization,
  PendingAuthorizationStore,
  TicketRecord,
} from '../../ports/pending-authorizations.js';

/**
 * One-time items of the authorization flow (the item layout in items.ts). Keys are SHA-256 hashes; the raw ticket,
 * state and binding cookie never reach the table.
 *
 * | item                  | pk                   | sk     |
 * |-----------------------|----------------------|--------|
 * | ticket                | TICKET#{sha256(t)}   | TICKET |
 * | pending authorization | AUTH#{sha256(state)} | AUTH   |
 *
 * `expiresAt` (ISO-8601 UTC, so string order is time order) is checked in every condition;
 * `ttl` (epoch seconds) lets DynamoDB delete the leftovers, late.
 */
export const ticketKey = (ticketHash: string) => ({ pk: `TICKET#${ticketHash}`, sk: 'TICKET' });
export const pendingAuthorizationKey = (stateHash: string) => ({ pk: `AUTH#${stateHash}`, sk: 'AUTH' });

/** The pending item keeps its outcome once the grant transaction marks it, for reloads (R8). */
export const OUTCOME_SUCCESS = 'success';

const ttlOf = (expiresAt: Date) => Math.ceil(expiresAt.getTime() / 1000);
/**
 * A pending authorization stays in the table an hour past `expiresAt` (which every condition
 * still enforces): a callback that consumed it just before expiry must still find it when its
 * grant transaction marks the outcome (conditioned on the item existing) some seconds later —
 * TTL may delete an expired item at any time — and a reload keeps showing success (R8).
 */
export const PENDING_TTL_GRACE_SECONDS = 3600;

interface TicketItem {
  pk: string;
  sk: string;
  type: 'ticket';
  accountId: string;
  sub?: string;
  marketplace: MarketplaceCode;
  returnPath: string;
  expiresAt: string;
  ttl: number;
  amazonCallbackUri?: string;
  amazonState?: string;
  sellingPartnerId?: string;
}

interface PendingItem {
  pk: string;
  sk: string;
  type: 'authorization';
  ticketHash: string;
  bindingHash: string;
  accountId: string;
  sub?: string;
  marketplace: MarketplaceCode;
  returnPath: string;
  expiresAt: string;
  ttl: number;
  sellingPartnerId?: string;
  consumedAt?: string;
  outcome?: string;
  notice?: string;
  startedOnAmazon?: boolean;
  completionHash?: string;
  sealedCode?: string;
  codeExpiresAt?: string;
  completedAt?: string;
  sealedGrant?: string;
  storeName?: string;
  holdExpiresAt?: string;
  confirmedAt?: string;
}

function fromTicketItem(item: Record<string, unknown>, ticketHash: string): TicketRecord {
  const i = item as unknown as TicketItem;
  return {
    ticketHash,
    accountId: i.accountId,
    sub: i.sub ?? null,
    marketplace: i.marketplace,
    returnPath: i.returnPath,
    expiresAt: new Date(i.expiresAt),
    continuation:
      i.amazonCallbackUri && i.amazonState && i.sellingPartnerId
        ? { amazonCallbackUri: i.amazonCallbackUri, amazonState: i.amazonState, sellingPartnerId: i.sellingPartnerId }
        : null,
  };
}

function fromPendingItem(item: Record<string, unknown>, stateHash: string): PendingAuthorization {
  const i = item as unknown as PendingItem;
  return {
    stateHash,
    ticketHash: i.ticketHash,
    bindingHash: i.bindingHash,
    accountId: i.accountId,
    sub: i.sub ?? null,
    marketplace: i.marketplace,
    returnPath: i.returnPath,
    expiresAt: new Date(i.expiresAt),
    sellingPartnerId: i.sellingPartnerId ?? null,
    startedOnAmazon: i.startedOnAmazon === true,
  };
}

export class DynamoPendingAuthorizationStore implements PendingAuthorizationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createTicket(t: TicketRecord): Promise<void> {
    const item: TicketItem = {
      ...ticketKey(t.ticketHash),
      type: 'ticket',
      accountId: t.accountId,
      marketplace: t.marketplace,
      returnPath: t.returnPath,
      expiresAt: t.expiresAt.toISOString(),
      ttl: ttlOf(t.expiresAt),
    };
    if (t.sub) item.sub = t.sub;
    if (t.continuation) Object.assign(item, t.continuation);
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async redeemTicket(ticketHash: string, now: Date): Promise<TicketRecord | null> {
    try {
      const out = await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: ticketKey(ticketHash),
          ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': now.toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return out.Attributes ? fromTicketItem(out.Attributes, ticketHash) : null;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

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
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pendingAuthorizationKey(stateHash),
          UpdateExpression: 'SET sellingPartnerId = :spid',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(consumedAt) AND expiresAt > :now AND bindingHash = :bh AND (attribute_not_exists(sellingPartnerId) OR sellingPartnerId = :spid)',
          ExpressionAttributeValues: { ':spid': sellingPartnerId, ':now': now.toISOString(), ':bh': bindingHash },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? fromPendingItem(out.Attributes, stateHash) : null;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
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
      try {
        const out = await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: pendingAuthorizationKey(request.stateHash),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: condition,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        if (out.Attributes) return { kind: 'consumed', pending: fromPendingItem(out.Attributes, request.stateHash) };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    // Refused (or no cookie to try with): a consistent read says why, without writing anything.
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: pendingAuthorizationKey(request.stateHash), ConsistentRead: true }));
    return classifyRefusal(out.Item as PendingItem | undefined, request);
  }

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
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pendingAuthorizationKey(request.stateHash),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#sub': 'sub' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
        }),
      );
      const item = out.Attributes as PendingItem | undefined;
      const sealed = item?.[sealedAttribute];
      if (item && sealed) return { kind: 'claimed', pending: fromPendingItem(item as unknown as Record<string, unknown>, request.stateHash), sealedCode: sealed };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
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
