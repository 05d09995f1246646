import { updateGrantIf } from './conditional-write.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Grant } from '../../domain/grant.js';
import type { AlertRecord, DueGrantStore, DuePageOptions, RecordOutcome } from '../../ports/due-grants.js';
import { dueShardFor, dueShards, fromGrantItem } from './items.js';
import { shardPages } from './shard-query.js';
import { TABLE_SCHEMA } from './table-schema.js';

const DEFAULT_PAGE_SIZE = 100;

/**
 * The sweep's view of the table: a Query per shard of the sparse `due` index (only grants with an
 * alert still to come carry `dueShard` and `nextAlertAt`), and a conditional UpdateItem per
 * handled grant. Never a Scan: a sweep reads due grants only, however many grants there are.
 */
export class DynamoDueGrantStore implements DueGrantStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *due(now: Date, options: DuePageOptions = {}): AsyncIterable<readonly Grant[]> {
    const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const index = TABLE_SCHEMA.dueIndex;
    for (const shard of dueShards()) {
      for await (const items of shardPages(this.client, { tableName: this.tableName, index, shard, upTo: now, limit, aliases: { sortKey: '#next', upTo: ':now' } })) {
        const grants = items.filter((item) => item.type === 'grant').map(fromGrantItem);
        if (grants.length > 0) yield grants;
      }
    }
  }

  async recordAlert(grant: Grant, record: AlertRecord): Promise<RecordOutcome> {
    const index = TABLE_SCHEMA.dueIndex;
    const names: Record<string, string> = { '#version': 'version', '#generatedAt': 'generatedAt', '#next': index.sortKey, '#shard': index.partitionKey };
    const values: Record<string, unknown> = { ':read': grant.version, ':bumped': grant.version + 1, ':generatedAt': grant.generatedAt.toISOString() };
    const set = ['#version = :bumped'];
    const labels = record.handled.filter((label) => !grant.alertsSent.includes(label));
    if (labels.length > 0) {
      names['#alertsSent'] = 'alertsSent';
      values[':handled'] = labels;
      values[':none'] = [];
      set.push('#alertsSent = list_append(if_not_exists(#alertsSent, :none), :handled)');
    }
    let update: string;
    if (record.nextAlertAt) {
      values[':nextAlertAt'] = record.nextAlertAt.toISOString();
      values[':shard'] = dueShardFor(grant.accountId, grant.grantKey);
      set.push('#next = :nextAlertAt', '#shard = :shard');
      update = `SET ${set.join(', ')}`;
    } else {
      update = `SET ${set.join(', ')} REMOVE #next, #shard`;
    }
    const written = await updateGrantIf(this.client, this.tableName, grant, {
      UpdateExpression: update,
      // A missing item fails `#version = :read` too: a disconnected grant is never recreated.
      ConditionExpression: '#version = :read AND #generatedAt = :generatedAt',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return written ? 'recorded' : 'conflict';
  }
}
