import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/** A sparse index whose items are spread over shard partition keys, sorted by an ISO-8601 instant. */
export interface ShardedIndex {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/**
 * The items of one shard whose sort key is at or before `upTo`, a page (at most `limit` items) at a
 * time, following LastEvaluatedKey. The expiry sweep and the token health check both read their
 * sparse index this way, one shard after another, never with a Scan; a caller that has enough
 * stops iterating and no further page is read.
 */
export async function* shardPages(
  client: DynamoDBDocumentClient,
  query: {
    readonly tableName: string;
    readonly index: ShardedIndex;
    readonly shard: string;
    readonly upTo: Date;
    readonly limit: number;
    /** Expression names of the sort key and the bound, so each caller's request reads in its own words. */
    readonly aliases: { readonly sortKey: `#${string}`; readonly upTo: `:${string}` };
  },
): AsyncGenerator<readonly Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: query.tableName,
        IndexName: query.index.name,
        KeyConditionExpression: `#shard = :shard AND ${query.aliases.sortKey} <= ${query.aliases.upTo}`,
        ExpressionAttributeNames: { '#shard': query.index.partitionKey, [query.aliases.sortKey]: query.index.sortKey },
        ExpressionAttributeValues: { ':shard': query.shard, [query.aliases.upTo]: query.upTo.toISOString() },
        Limit: query.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    startKey = page.LastEvaluatedKey;
    yield page.Items ?? [];
  } while (startKey);
}
