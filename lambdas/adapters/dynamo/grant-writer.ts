import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import type { Grant } from '../../domain/grant.js';
import type { VenueRecord } from '../../domain/venue.js';
import { ConcurrentUpdateError } from '../../ports/account-store.js';
import type { GrantWrite, GrantWriteResult, GrantWriter } from '../../ports/grant-writer.js';
import { queryAccount } from './account-query.js';
import { grantItemKey, toGrantItem, venueKey } from './items.js';
import { OUTCOME_SUCCESS, pendingAuthorizationKey } from './pending-authorization-store.js';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** What the venues covered by a new grant point at now, when known (after a conflict). */
interface Observed {
  readonly venues: ReadonlyMap<string, VenueRecord>;
  readonly grants: readonly Grant[];
  readonly allVenues: readonly VenueRecord[];
}

const MAX_ATTEMPTS = 3;
/** Cancellation reasons that say "try the same transaction again later", not "the data differs". */
const TRANSIENT_REASONS = new Set(['ThrottlingError', 'TransactionConflict', 'ProvisionedThroughputExceeded']);

export interface GrantWriterOptions {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly baseDelayMs?: number;
}

/**
 * Writes a grant, the venues it covers and the pending authorization's outcome in ONE
 * TransactWriteItems:
 * - the grant is conditioned on `attribute_not_exists(pk) OR generatedAt < :new`, so an older
 *   exchange never overwrites a newer one (R4); a re-authorization resets `alertsSent`,
 *   `nextAlertAt` and `revokedAt`;
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
    for (let attempt = 1; ; attempt++) {
      const replaced = observed ? this.replacedGrants(input, observed) : [];
      const items = [this.grantItem(input.grant), ...this.venueItems(input, observed), ...replaced.map((g) => this.deleteGrantItem(g)), this.outcomeItem(input)];
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: items,
            // Idempotent SDK retries of this very attempt; a new attempt has different items.
            ClientRequestToken: createHash('sha256').update(`${input.stateHash}|grant|${attempt}`).digest('hex').slice(0, 36),
          }),
        );
        return { kind: 'written', replaced };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return { kind: 'superseded' };
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError(`grant ${input.grant.grantKey}`, { cause: error });
        const venueConflict = reasons.some((r) => r.Code === 'ConditionalCheckFailed');
        if (venueConflict || observed) observed = await this.observe(input);
        // Throttled or conflicting with another transaction: back off (full jitter) before retrying,
        // or the retries land in the same busy moment (R10). The SDK does not retry a cancelled transaction.
        if (reasons.some((r) => r.Code !== undefined && TRANSIENT_REASONS.has(r.Code))) {
          const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
          await sleep((this.options.random ?? Math.random)() * (this.options.baseDelayMs ?? 100) * 2 ** (attempt - 1));
        }
      }
    }
  }

  private grantItem(grant: Grant): TransactItem {
    const { pk, sk, version: _version, ...attributes } = toGrantItem(grant);
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':zero': 0, ':one': 1 };
    const set = ['#version = if_not_exists(#version, :zero) + :one'];
    for (const [name, value] of Object.entries(attributes)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      set.push(`#${name} = :${name}`);
    }
    const remove = ['revokedAt', 'nextAlertAt', 'dueShard'].filter((a) => !(a in attributes));
    for (const a of remove) names[`#${a}`] = a;
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk, sk },
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.map((a) => `#${a}`).join(', ')}` : ''}`,
        ConditionExpression: 'attribute_not_exists(pk) OR #generatedAt < :generatedAt',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
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
