import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Grant } from '../../domain/grant.js';
import type { AccountSnapshot, VenueRecord } from '../../domain/venue.js';
import type { AccountStore } from '../../ports/account-store.js';
import { ConcurrentUpdateError } from '../../ports/failures.js';
import { queryAccount } from './account-query.js';
import { grantItemKey, toVenueItem, venueKey } from './items.js';

/**
 * An account's venues and grants in the service table. Everything of one account shares one
 * partition key, so the Venue Settings page costs one Query; every write is conditioned on the
 * item's `version`, so two requests racing on one venue or grant never overwrite each other.
 */
export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  load(accountId: string): Promise<AccountSnapshot> {
    return queryAccount(this.client, this.tableName, accountId);
  }

  async setVenueActive(venue: VenueRecord, active: boolean): Promise<VenueRecord> {
    const next: VenueRecord = { ...venue, active, version: venue.version + 1 };
    try {
      if (venue.version === 0) {
        await this.client.send(new PutCommand({ TableName: this.tableName, Item: toVenueItem(next), ConditionExpression: 'attribute_not_exists(pk)' }));
      } else {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: venueKey(venue.accountId, venue.marketplace),
            UpdateExpression: 'SET active = :active, version = :next',
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':active': active, ':next': next.version, ':expected': venue.version },
          }),
        );
      }
    } catch (error) {
      if (isConditionFailure(error)) throw new ConcurrentUpdateError(`venue ${venue.marketplace}`, { cause: error });
      throw error;
    }
    return next;
  }

  async removeGrant(grant: Grant, venues: readonly VenueRecord[]): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: grantItemKey(grant.accountId, grant.grantKey),
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': grant.version },
              },
            },
            ...venues.map((v) => ({
              Update: {
                TableName: this.tableName,
                Key: venueKey(v.accountId, v.marketplace),
                // Participation was reported for this grant's seller; a later grant brings its own.
                UpdateExpression: 'SET active = :inactive, version = :next REMOVE grantKey, participating',
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':inactive': false, ':next': v.version + 1, ':expected': v.version },
              },
            })),
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConcurrentUpdateError(`grant ${grant.grantKey}`, { cause: error });
      throw error;
    }
  }
}

/**
 * A lost race: a plain conditional write failed, or a transaction was cancelled because one of
 * its conditions failed or another transaction held one of its items.
 */
function isConditionFailure(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] } | undefined;
  if (e?.name === 'ConditionalCheckFailedException') return true;
  if (e?.name === 'TransactionCanceledException') {
    return (e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
  }
  return false;
}
