import { unlessConditionFails } from './conditional-write.js';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TicketRecord, TicketStore } from '../../ports/pending-authorizations.js';
import { fromTicketItem, type TicketItem, ticketKey, ttlOf } from './pending-authorization-items.js';

/** The ticket items (layout in pending-authorization-items.ts): put by the start routes, deleted once by the browser. */
export class DynamoTicketStore implements TicketStore {
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
    const out = await unlessConditionFails(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: ticketKey(ticketHash),
          ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': now.toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return out?.Attributes ? fromTicketItem(out.Attributes, ticketHash) : null;
  }
}
