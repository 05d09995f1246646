import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Grant } from '../../domain/grant.js';
import type { AccountSnapshot, VenueRecord } from '../../domain/venue.js';
import { accountPk, fromGrantItem, fromVenueItem, GRANT_PREFIX, VENUE_PREFIX } from './items.js';

/**
 * Everything stored for one account, read with one strongly consistent Query on its partition.
 * An account holds at most 23 venues and a handful of grants (a few KB), far below the 1 MB
 * page: one call in practice; the loop only guards against an unexpectedly large partition.
 * Consistent, because a seller who just authorized or toggled a venue must see it next.
 */
export async function queryAccount(client: DynamoDBDocumentClient, tableName: string, accountId: string): Promise<AccountSnapshot> {
  const venues: VenueRecord[] = [];
  const grants: Grant[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': accountPk(accountId) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const sk = String(item.sk);
      if (sk.startsWith(VENUE_PREFIX)) venues.push(fromVenueItem(item));
      else if (sk.startsWith(GRANT_PREFIX)) grants.push(fromGrantItem(item));
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return { venues, grants };
}
