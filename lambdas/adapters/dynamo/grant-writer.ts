import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createHash } from 'node:crypto';
import type { Grant } from '../../domain/grant.js';
import type { VenueRecord } from '../../domain/venue.js';
import { ConcurrentUpdateError } from '../../ports/failures.js';
import type { GrantWrite, GrantWriteResult, GrantWriter } from '../../ports/grant-writer.js';
import { type Sleep, backoffDelay, sleep } from '../../shared/retry.js';
import { queryAccount } from './account-query.js';
import { checkShardFor, fromGrantItem, grantItemKey, TOKEN_STATE_ATTRIBUTES, toGrantItem, venueKey } from './items.js';
import { OUTCOME_SUCCESS, pendingAuthorizationKey } from './pending-authorization-items.js';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** What the venues covered by a new grant point at now, when known (after a conflict). */
interface Observed {
  readonly venues: ReadonlyMap<string, VenueRecord>;
  readonly grants: readonly Grant[];
  readonly allVenues: readonly VenueRecord[];
}

/** Learning which earlier authorization is replaced takes one attempt; venue conflicts and throttling the rest. */
const MAX_ATTEMPTS = 5;
/** Cancellation reasons that say "try the same transaction again later", not "the data differs". */
const TRANSIENT_REASONS = new Set(['ThrottlingError', 'TransactionConflict', 'ProvisionedThroughputExceeded']);

export interface GrantWriterOptions {
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly baseDelayMs?: number;
}

/**
 * Writes a grant, the venues it covers and the pending authorization's outcome in ONE
 * TransactWriteItems:
 * - the grant is first written on condition that none is stored (a first authorization: one
 *   transaction). When one is, DynamoDB hands back the stored item with the refusal
 *   (ReturnValuesOnConditionCheckFailure): a newer one wins and nothing is written (R4);
 *   an older one is replaced by a second transaction conditioned on exactly that item's
 *   `version` and `generatedAt`, and returned as `previous`, so the caller retires its secret
 *   and no other. A re-authorization resets `alertsSent`, `nextAlertAt`, `revokedAt` and the
 *   token service's state (cached token version, lease, failure counts).
 * - each venue keeps its `active` flag and is conditioned on pointing at nothing or at this
 *   grant. The usual case (first authorization, or re-authorization of the same selling
 *   partner) thus costs one write and no read.
 * - When a venue points at another grant (the account authorized a different selling partner
 *   for the region, or for an FE marketplace), the transaction is refused; the account is read
 *   once and the write repeated with the venues conditioned on what was read, deleting the
 *   grants left serving no venue (conditioned on their `generatedAt` unchanged). Those are
 *   returned as `replaced` so their secrets can be scheduled for deletion.
 */
export class DynamoGrantWriter implements GrantWriter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: GrantWriterOptions = {},
  ) {}

  async write(input: GrantWrite): Promise<GrantWriteResult> {
    let observed: Observed | null = null;
    /** The stored authorization of this grant the write must replace; null: none is expected. */
    let previous: Grant | null = null;
    for (let attempt = 1; ; attempt++) {
      const replaced = observed ? this.replacedGrants(input, observed) : [];
      const items = [this.grantItem(input.grant, previous), ...this.venueItems(input, observed), ...replaced.map((g) => this.deleteGrantItem(g)), this.outcomeItem(input)];
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: items,
            // Idempotent SDK retries of this very attempt; a new attempt has different items.
            ClientRequestToken: createHash('sha256').update(`${input.stateHash}|grant|${attempt}`).digest('hex').slice(0, 36),
          }),
        );
        return { kind: 'written', replaced, previous };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError(`grant ${input.grant.grantKey}`, { cause: error });
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          const stored = storedGrant(reasons[0].Item);
          if (stored && stored.generatedAt.getTime() >= input.grant.generatedAt.getTime()) return { kind: 'superseded', current: stored };
          // Another authorization of this grant is stored (or the expected one went away): replace exactly what is there now.
          previous = stored;
          if (!reasons.slice(1).some((r) => r.Code === 'ConditionalCheckFailed')) continue;
        }
        const venueConflict = reasons.slice(1).some((r) => r.Code === 'ConditionalCheckFailed');
        if (venueConflict || observed) observed = await this.observe(input);
        // Throttled or conflicting with another transaction: back off (full jitter) before retrying,
        // or the retries land in the same busy moment (R10). The SDK does not retry a cancelled transaction.
        if (reasons.some((r) => r.Code !== undefined && TRANSIENT_REASONS.has(r.Code))) {
          await (this.options.sleep ?? sleep)(backoffDelay(attempt, { baseDelayMs: this.options.baseDelayMs ?? 100, random: this.options.random }));
        }
      }
    }
  }

  private grantItem(grant: Grant, previous: Grant | null): TransactItem {
    const { pk, sk, version: _version, ...attributes } = toGrantItem(grant);
    // The exchange just proved the authorization valid: the health check's clock starts now.
    attributes.lastCheckedAt = grant.generatedAt.toISOString();
    attributes.checkShard = checkShardFor(grant.accountId, grant.grantKey);
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':zero': 0, ':one': 1 };
    const set = ['#version = if_not_exists(#version, :zero) + :one'];
    for (const [name, value] of Object.entries(attributes)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      set.push(`#${name} = :${name}`);
    }
    const remove = ['revokedAt', 'nextAlertAt', 'dueShard', ...TOKEN_STATE_ATTRIBUTES].filter((a) => !(a in attributes));
    for (const a of remove) names[`#${a}`] = a;
    let condition = 'attribute_not_exists(pk)';
    if (previous) {
      condition = '#version = :previousVersion AND #generatedAt = :previousGeneratedAt';
      values[':previousVersion'] = previous.version;
      values[':previousGeneratedAt'] = previous.generatedAt.toISOString();
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk, sk },
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.map((a) => `#${a}`).join(', ')}` : ''}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  private venueItems(input: GrantWrite, observed: Observed | null): TransactItem[] {
    const { grant } = input;
    return input.venues.map((v) => {
      const current = observed?.venues.get(v.marketplace);
      const values: Record<string, unknown> = {
        ':type': 'venue',
        ':accountId': grant.accountId,
        ':marketplace': v.marketplace,
        ':grantKey': grant.grantKey,
        ':participating': v.participating,
        ':false': false,
        ':zero': 0,
        ':one': 1,
      };
      let condition = 'attribute_not_exists(grantKey) OR grantKey = :grantKey';
      if (current?.grantKey && current.grantKey !== grant.grantKey) {
        condition = 'grantKey = :observedGrantKey';
        values[':observedGrantKey'] = current.grantKey;
      }
      return {
        Update: {
          TableName: this.tableName,
          Key: venueKey(grant.accountId, v.marketplace),
          UpdateExpression:
            'SET #type = :type, accountId = :accountId, marketplace = :marketplace, grantKey = :grantKey, participating = :participating, active = if_not_exists(active, :false), #version = if_not_exists(#version, :zero) + :one',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#type': 'type', '#version': 'version' },
          ExpressionAttributeValues: values,
        },
      };
    });
  }

  private deleteGrantItem(grant: Grant): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: grantItemKey(grant.accountId, grant.grantKey),
        ConditionExpression: 'generatedAt = :generatedAt',
        ExpressionAttributeValues: { ':generatedAt': grant.generatedAt.toISOString() },
      },
    };
  }

  private outcomeItem(input: GrantWrite): TransactItem {
    const values: Record<string, unknown> = { ':outcome': OUTCOME_SUCCESS };
    let update = 'SET outcome = :outcome';
    if (input.notice) {
      update += ', notice = :notice';
      values[':notice'] = input.notice;
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: pendingAuthorizationKey(input.stateHash),
        UpdateExpression: update,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Other grants the covered venues point at that no venue outside them still uses. */
  private replacedGrants(input: GrantWrite, observed: Observed): Grant[] {
    const covered = new Set(input.venues.map((v) => v.marketplace));
    const displaced = new Set<string>();
    for (const v of observed.venues.values()) if (v.grantKey && v.grantKey !== input.grant.grantKey) displaced.add(v.grantKey);
    const stillUsed = new Set(observed.allVenues.filter((v) => !covered.has(v.marketplace) && v.grantKey).map((v) => v.grantKey));
    return observed.grants.filter((g) => displaced.has(g.grantKey) && !stillUsed.has(g.grantKey));
  }

  private async observe(input: GrantWrite): Promise<Observed> {
    const { venues: allVenues, grants } = await queryAccount(this.client, this.tableName, input.grant.accountId);
    const covered = new Set(input.venues.map((v) => v.marketplace));
    return {
      allVenues,
      venues: new Map(allVenues.filter((v) => covered.has(v.marketplace)).map((v) => [v.marketplace, v])),
      grants,
    };
  }
}

/** The stored grant DynamoDB returned with a refused condition (raw attribute values), if any. */
function storedGrant(item: Record<string, unknown> | undefined): Grant | null {
  if (!item || Object.keys(item).length === 0) return null;
  const pk = item.pk as { S?: string } | string | undefined;
  const plain = typeof pk === 'object' && pk !== null && 'S' in pk ? unmarshall(item as Parameters<typeof unmarshall>[0]) : item;
  return fromGrantItem(plain);
}
