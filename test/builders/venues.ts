import type { Grant } from '../../lambdas/domain/grant.js';
import type { AccountSnapshot, VenueRecord } from '../../lambdas/domain/venue.js';
import type { AccountStore } from '../../lambdas/ports/account-store.js';
import { ConcurrentUpdateError } from '../../lambdas/ports/failures.js';

/** The account store of the venue use cases and handlers, in memory. */

/**
 * An AccountStore in memory that keeps the real store's promises: writes are conditioned on the
 * version and a lost race is a ConcurrentUpdateError. `beforeWrite` lets a test slip a competing
 * change in between a use case's read and its write.
 */
export class InMemoryAccountStore implements AccountStore {
  private readonly venues = new Map<string, VenueRecord>();
  private readonly grants = new Map<string, Grant>();
  loads = 0;
  writes = 0;
  beforeWrite: (() => void) | undefined;

  constructor(...snapshots: AccountSnapshot[]) {
    for (const s of snapshots) this.seed(s);
  }

  seed(snapshot: AccountSnapshot): this {
    for (const v of snapshot.venues) this.venues.set(`${v.accountId}|${v.marketplace}`, v);
    for (const g of snapshot.grants) this.grants.set(`${g.accountId}|${g.grantKey}`, g);
    return this;
  }

  /** What is stored for one account, without counting as a load. */
  peek(accountId: string): AccountSnapshot {
    return {
      venues: [...this.venues.values()].filter((v) => v.accountId === accountId),
      grants: [...this.grants.values()].filter((g) => g.accountId === accountId),
    };
  }

  async load(accountId: string): Promise<AccountSnapshot> {
    this.loads++;
    return this.peek(accountId);
  }

  async setVenueActive(venue: VenueRecord, active: boolean): Promise<VenueRecord> {
    this.interfere();
    const key = `${venue.accountId}|${venue.marketplace}`;
    const stored = this.venues.get(key);
    if ((stored?.version ?? 0) !== venue.version) throw new ConcurrentUpdateError(`venue ${venue.marketplace}`);
    const next = { ...venue, active, version: venue.version + 1 };
    this.venues.set(key, next);
    this.writes++;
    return next;
  }

  async removeGrant(grant: Grant, venues: readonly VenueRecord[]): Promise<void> {
    this.interfere();
    const gKey = `${grant.accountId}|${grant.grantKey}`;
    if (this.grants.get(gKey)?.version !== grant.version) throw new ConcurrentUpdateError(`grant ${grant.grantKey}`);
    for (const v of venues) {
      if (this.venues.get(`${v.accountId}|${v.marketplace}`)?.version !== v.version) throw new ConcurrentUpdateError(`venue ${v.marketplace}`);
    }
    this.grants.delete(gKey);
    for (const v of venues) {
      this.venues.set(`${v.accountId}|${v.marketplace}`, { ...v, active: false, grantKey: null, participating: null, version: v.version + 1 });
    }
    this.writes++;
  }

  private interfere(): void {
    const hook = this.beforeWrite;
    this.beforeWrite = undefined;
    hook?.();
  }
}

