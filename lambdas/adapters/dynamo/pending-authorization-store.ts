import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MarketplaceCode } from '../../domain/marketplaces.js';
import type {
  ConsumeRequest,
  ConsumeResult,
  PendingAuthorization,
  PendingAuthorizationStore,
  TicketRecord,
} from '../../ports/pending-authorizations.js';

/**
 * One-time items of the authorization flow (BRIEF 5). Keys are SHA-256 hashes; the raw ticket,
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

  async consume(request: ConsumeRequest): Promise<ConsumeResult> {
    if (request.bindingHash !== null) {
      const values: Record<string, unknown> = { ':now': request.now.toISOString(), ':bh': request.bindingHash };
      let condition = 'attribute_exists(pk) AND attribute_not_exists(consumedAt) AND expiresAt > :now AND bindingHash = :bh';
      if (request.sellingPartnerId !== null) {
        condition += ' AND (attribute_not_exists(sellingPartnerId) OR sellingPartnerId = :spid)';
        values[':spid'] = request.sellingPartnerId;
      }
      try {
        const out = await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: pendingAuthorizationKey(request.stateHash),
            UpdateExpression: 'SET consumedAt = :now',
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
}

function classifyRefusal(item: PendingItem | undefined, request: ConsumeRequest): ConsumeResult {
  if (!item) return { kind: 'invalid', pending: null };
  const pending = fromPendingItem(item as unknown as Record<string, unknown>, request.stateHash);
  if (item.consumedAt) {
    return item.outcome === OUTCOME_SUCCESS && request.bindingHash === item.bindingHash
      ? { kind: 'already-succeeded', pending, notice: item.notice ?? null }
      : { kind: 'invalid', pending };
  }
  if (item.expiresAt <= request.now.toISOString()) return { kind: 'invalid', pending };
  if (request.bindingHash !== item.bindingHash) return { kind: 'browser-mismatch', pending };
  if (request.sellingPartnerId !== null && item.sellingPartnerId && item.sellingPartnerId !== request.sellingPartnerId) {
    return { kind: 'partner-mismatch', pending };
  }
  return { kind: 'invalid', pending };
}
