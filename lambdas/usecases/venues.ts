import { ConflictError, NotFoundError } from '../domain/errors.js';
import { disconnectedEvent } from '../domain/events.js';
import type { Grant } from '../domain/grant.js';
import { MARKETPLACES, type MarketplaceCode, marketplace } from '../domain/marketplaces.js';
import { type AccountSnapshot, accountVenues, grantServing, type Venue, type VenueRecord, venueView } from '../domain/venue.js';
import type { AccountStore } from '../ports/account-store.js';
import { ConcurrentUpdateError } from '../ports/failures.js';
import type { Clock } from '../ports/clock.js';
import type { EventPublisher } from '../ports/event-publisher.js';
import type { Log } from '../ports/log.js';
import type { GrantSecretStore } from '../ports/secret-store.js';

/**
 * The venue side of the service: what the Venue Settings page reads and changes. Each use case
 * takes only the ports it needs, so a read handler's bundle never carries Secrets Manager or
 * EventBridge.
 */

export interface ReadDeps {
  readonly accounts: AccountStore;
  readonly clock: Clock;
}

export interface DisconnectDeps extends ReadDeps {
  readonly secrets: GrantSecretStore;
  readonly events: EventPublisher;
  /** Also where it reports what it could not do after the seller's change was already made. */
  readonly log: Log;
}

/** Every supported marketplace of the account, NA → EU → FE, from one read. */
export async function listVenues(deps: ReadDeps, accountId: string): Promise<Venue[]> {
  const snapshot = await deps.accounts.load(accountId);
  return accountVenues(snapshot, deps.clock.now());
}

export async function getVenue(deps: ReadDeps, accountId: string, code: MarketplaceCode): Promise<Venue> {
  const snapshot = await deps.accounts.load(accountId);
  return venueView(code, snapshot, deps.clock.now());
}

const concurrentUpdate = (code: MarketplaceCode) =>
  new ConflictError('CONCURRENT_UPDATE', 'This venue was changed by another request at the same moment. Reload the page and try again.', {
    marketplace: code,
  });

/**
 * Runs `attempt` from a fresh read; when another request wins the race in between, once more
 * from a newer read, then gives up with 409 CONCURRENT_UPDATE. One retry absorbs the usual double
 * click or two open tabs without looping under real contention.
 */
async function withOneRetry<T>(code: MarketplaceCode, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      if (tries >= 2) throw concurrentUpdate(code);
    }
  }
}

const recordOf = (snapshot: AccountSnapshot, accountId: string, code: MarketplaceCode): VenueRecord =>
  snapshot.venues.find((v) => v.marketplace === code) ?? { accountId, marketplace: code, active: false, grantKey: null, participating: null, version: 0 };

/**
 * Sets a venue Active or inactive (docs/venues.md, activation). Activation follows the venue's `activation`
 * verdict, so the 409 and the greyed-out box always agree; deactivating is always allowed. Asking
 * for the state the venue is already in changes nothing and writes nothing.
 */
export async function setVenueActive(deps: ReadDeps, accountId: string, code: MarketplaceCode, active: boolean): Promise<Venue> {
  return withOneRetry(code, async () => {
    const snapshot = await deps.accounts.load(accountId);
    const now = deps.clock.now();
    const view = venueView(code, snapshot, now);
    // The stored choice is what the request changes: a venue that cannot be Active now still
    // remembers whether the seller wants it, so "unset" on an expired venue is a real change.
    if (view.activeChoice === active) return view;
    if (active && !view.activation.allowed && view.activation.reason) {
      throw new ConflictError(view.activation.reason, view.activation.message ?? 'This venue cannot be set Active.', {
        marketplace: code,
        tokenStatus: view.token.status,
      });
    }
    const updated = await deps.accounts.setVenueActive(recordOf(snapshot, accountId, code), active);
    const venues = [...snapshot.venues.filter((v) => v.marketplace !== code), updated];
    return venueView(code, { ...snapshot, venues }, now);
  });
}

/**
 * Disconnects the authorization serving a venue (docs/venues.md, DELETE): the grant and every venue it served
 * change in one transaction, then the refresh token's secret is scheduled for deletion and
 * `Amazon Authorization Disconnected` is published. Returns the venues the grant covered, in
 * catalog order, as they stand now.
 */
export async function disconnect(deps: DisconnectDeps, accountId: string, code: MarketplaceCode): Promise<Venue[]> {
  const { grant, served, after, now } = await withOneRetry(code, async () => {
    const snapshot = await deps.accounts.load(accountId);
    const grant = grantServing(code, snapshot);
    if (!grant) {
      throw new NotFoundError(
        'NO_AUTHORIZATION',
        `There is no Amazon authorization for ${marketplace(code).domain} to disconnect. Nothing was changed.`,
      );
    }
    const served = snapshot.venues.filter((v) => v.grantKey === grant.grantKey);
    await deps.accounts.removeGrant(grant, served);
    const unlinked = served.map((v) => ({ ...v, active: false, grantKey: null, participating: null, version: v.version + 1 }));
    const after: AccountSnapshot = {
      grants: snapshot.grants.filter((g) => g.grantKey !== grant.grantKey),
      venues: [...snapshot.venues.filter((v) => v.grantKey !== grant.grantKey), ...unlinked],
    };
    return { grant, after, now: deps.clock.now(), served };
  });
  deps.log.info('grant disconnected', { accountId, grantKey: grant.grantKey, marketplace: code, venues: served.length });

  // From here on the seller's disconnect has happened: the grant is gone from the table and no
  // code path can use its token again. What follows is clean-up and notification. Failing the
  // request now would tell the seller it did not work, and their retry would find nothing to
  // disconnect (404), so failures are logged at ERROR with an `alarm` field naming the case, for
  // on-call (a log-derived alarm on the Disconnect function) instead.
  await scheduleSecretDeletion(deps, grant);
  await publishDisconnected(deps, grant, now);

  const covered = new Set<MarketplaceCode>([...grant.marketplaces, ...served.map((v) => v.marketplace)]);
  return MARKETPLACES.filter((m) => covered.has(m.code)).map((m) => venueView(m.code, after, now));
}

async function scheduleSecretDeletion(deps: DisconnectDeps, grant: Grant): Promise<void> {
  try {
    await deps.secrets.scheduleDeletion(grant.secretName);
  } catch (error) {
    deps.log.error('grant secret not scheduled for deletion after disconnect', {
      alarm: 'DISCONNECT_SECRET_NOT_SCHEDULED',
      accountId: grant.accountId,
      grantKey: grant.grantKey,
      secretName: grant.secretName,
      errorName: (error as Error | undefined)?.name,
    });
  }
}

async function publishDisconnected(deps: DisconnectDeps, grant: Grant, now: Date): Promise<void> {
  const event = disconnectedEvent(grant, now);
  try {
    const { failed } = await deps.events.publish([event]);
    for (const f of failed) {
      deps.log.error('disconnected event not published', {
        alarm: 'DISCONNECT_EVENT_NOT_PUBLISHED',
        accountId: grant.accountId,
        grantKey: grant.grantKey,
        eventId: f.event.detail.eventId,
        errorCode: f.errorCode,
      });
    }
  } catch (error) {
    deps.log.error('disconnected event not published', {
      alarm: 'DISCONNECT_EVENT_NOT_PUBLISHED',
      accountId: grant.accountId,
      grantKey: grant.grantKey,
      eventId: event.detail.eventId,
      errorName: (error as Error | undefined)?.name,
    });
  }
}
