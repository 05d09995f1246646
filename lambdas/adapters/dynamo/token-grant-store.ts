import { unlessConditionFails, updateGrantIf } from './conditional-write.js';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Grant } from '../../domain/grant.js';
import type { MarketplaceCode } from '../../domain/marketplaces.js';
import type { RefreshRecord, TokenGrant, TokenGrantStore } from '../../ports/token-grants.js';
import { accountPk, checkShardFor, checkShards, fromGrantItem, grantItemKey, venueSk } from './items.js';
import { shardPages } from './shard-query.js';
import { TABLE_SCHEMA } from './table-schema.js';

/**
 * The token service's reads and writes of grant items. The lease, the cached token's secret
 * version and the failure counts live on the grant item, outside its `version`, and every write
 * is conditioned on the `generatedAt` read, so a re-authorization (which removes them) or a
 * disconnect (which deletes the item) always wins over a refresh in flight.
 */
export class DynamoTokenGrantStore implements TokenGrantStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async serving(accountId: string, marketplace: MarketplaceCode): Promise<TokenGrant | null> {
    const out = await this.client.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': accountPk(accountId) }, ConsistentRead: true }),
    );
    const items = out.Items ?? [];
    const venue = items.find((i) => i.sk === venueSk(marketplace));
    const grantKey = typeof venue?.grantKey === 'string' ? venue.grantKey : null;
    const grant = grantKey ? items.find((i) => i.sk === `GRANT#${grantKey}`) : undefined;
    return grant ? toTokenGrant(grant) : null;
  }

  async read(accountId: string, grantKey: string): Promise<TokenGrant | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: grantItemKey(accountId, grantKey), ConsistentRead: true }));
    return out.Item ? toTokenGrant(out.Item) : null;
  }

  async acquireLease(grant: Grant, owner: string, now: Date, until: Date): Promise<TokenGrant | null> {
    const out = await unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: grantItemKey(grant.accountId, grant.grantKey),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression: 'generatedAt = :generatedAt AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
          ExpressionAttributeValues: { ':owner': owner, ':until': until.toISOString(), ':now': now.toISOString(), ':generatedAt': grant.generatedAt.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out?.Attributes ? toTokenGrant(out.Attributes) : null;
  }

  async recordRefresh(grant: Grant, owner: string, record: RefreshRecord): Promise<boolean> {
    const values: Record<string, unknown> = {
      ':version': record.tokenVersion,
      ':expiresAt': record.accessTokenExpiresAt.toISOString(),
      ':checkedAt': record.checkedAt.toISOString(),
      ':owner': owner,
      ':generatedAt': grant.generatedAt.toISOString(),
      ':shard': checkShardFor(grant.accountId, grant.grantKey),
    };
    return this.conditional(
      grant,
      'SET tokenVersion = :version, accessTokenExpiresAt = :expiresAt, lastCheckedAt = :checkedAt, checkShard = :shard REMOVE leaseOwner, leaseUntil, refreshFailureDay, refreshFailures, lastFailureAt',
      'generatedAt = :generatedAt AND leaseOwner = :owner AND attribute_not_exists(revokedAt)',
      values,
    );
  }

  async recordFailure(grant: Grant, owner: string, failures: { day: string; count: number }, at: Date): Promise<void> {
    await this.conditional(
      grant,
      'SET refreshFailureDay = :day, refreshFailures = :count, lastFailureAt = :at REMOVE leaseOwner, leaseUntil',
      'generatedAt = :generatedAt AND leaseOwner = :owner',
      { ':day': failures.day, ':count': failures.count, ':at': at.toISOString(), ':owner': owner, ':generatedAt': grant.generatedAt.toISOString() },
    );
  }

  async releaseLease(grant: Grant, owner: string): Promise<void> {
    await this.conditional(grant, 'REMOVE leaseOwner, leaseUntil', 'generatedAt = :generatedAt AND leaseOwner = :owner', {
      ':owner': owner,
      ':generatedAt': grant.generatedAt.toISOString(),
    });
  }

  async markRevoked(grant: Grant, at: Date): Promise<Grant | null> {
    const out = await unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: grantItemKey(grant.accountId, grant.grantKey),
          // A revoked grant has nothing left to warn about or to check: it leaves both sparse indexes.
          UpdateExpression:
            'SET revokedAt = :at, #version = #version + :one REMOVE nextAlertAt, dueShard, checkShard, leaseOwner, leaseUntil, tokenVersion, accessTokenExpiresAt',
          ConditionExpression: 'generatedAt = :generatedAt AND attribute_not_exists(revokedAt)',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':at': at.toISOString(), ':one': 1, ':generatedAt': grant.generatedAt.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out?.Attributes ? fromGrantItem(out.Attributes) : null;
  }

  async dueForCheck(before: Date, limit: number): Promise<readonly TokenGrant[]> {
    const index = TABLE_SCHEMA.healthIndex;
    const found: TokenGrant[] = [];
    for (const shard of checkShards()) {
      for await (const items of shardPages(this.client, { tableName: this.tableName, index, shard, upTo: before, limit, aliases: { sortKey: '#checked', upTo: ':before' } })) {
        for (const item of items) found.push(toTokenGrant(item));
        // Enough for this run: later shards still give one page each, so the oldest win across shards.
        if (found.length >= limit) break;
      }
    }
    // Oldest confirmation first across shards, then the run's bound.
    return found.sort((a, b) => (a.grant.lastCheckedAt?.getTime() ?? 0) - (b.grant.lastCheckedAt?.getTime() ?? 0)).slice(0, limit);
  }

  private conditional(grant: Grant, update: string, condition: string, values: Record<string, unknown>): Promise<boolean> {
    return updateGrantIf(this.client, this.tableName, grant, { UpdateExpression: update, ConditionExpression: condition, ExpressionAttributeValues: values });
  }
}

function toTokenGrant(item: Record<string, unknown>): TokenGrant {
  const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : null);
  const leaseUntil = date(item.leaseUntil);
  return {
    grant: fromGrantItem(item),
    tokenVersion: typeof item.tokenVersion === 'string' ? item.tokenVersion : null,
    accessTokenExpiresAt: date(item.accessTokenExpiresAt),
    lease: typeof item.leaseOwner === 'string' && leaseUntil ? { owner: item.leaseOwner, until: leaseUntil } : null,
    failures: typeof item.refreshFailureDay === 'string' ? { day: item.refreshFailureDay, count: Number(item.refreshFailures ?? 0) } : null,
  };
}
