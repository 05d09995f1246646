import type { Grant } from '../../lambdas/domain/grant.js';
import type { MarketplaceCode } from '../../lambdas/domain/marketplaces.js';
import type { RefreshRecord, TokenGrant, TokenGrantStore } from '../../lambdas/ports/token-grants.js';
import type { AccountSnapshot, VenueRecord } from '../../lambdas/domain/venue.js';
import type { AccountStore } from '../../lambdas/ports/account-store.js';
import { ConcurrentUpdateError } from '../../lambdas/ports/failures.js';
import type { InMemoryGrantWriter } from './auth.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The AccountStore port over an {@link InMemoryGrantWriter}'s maps, with the DynamoDB adapter's
 * condition on `removeGrant` (the grant's version unchanged since it was read).
 */
export class InMemoryAccountsOver implements AccountStore {
  constructor(
    private readonly writer: InMemoryGrantWriter,
    private readonly accountId: string,
  ) {}

  async load(): Promise<AccountSnapshot> {
    await tick();
    const venues: VenueRecord[] = [...this.writer.venues.entries()].map(([marketplace, v]) => ({
      accountId: this.accountId,
      marketplace,
      active: v.active,
      grantKey: v.grantKey || null,
      participating: v.grantKey ? v.participating : null,
      version: 1,
    }));
    return { venues, grants: [...this.writer.grants.values()] };
  }

  async setVenueActive(venue: VenueRecord, active: boolean): Promise<VenueRecord> {
    await tick();
    const v = this.writer.venues.get(venue.marketplace);
    if (v) v.active = active;
    return { ...venue, active };
  }

  async removeGrant(grant: Grant, venues: readonly VenueRecord[]): Promise<void> {
    await tick();
    const stored = this.writer.grants.get(grant.grantKey);
    if (!stored || stored.version !== grant.version) throw new ConcurrentUpdateError(`grant ${grant.grantKey}`);
    this.writer.grants.delete(grant.grantKey);
    for (const v of venues) {
      const current = this.writer.venues.get(v.marketplace);
      if (current) this.writer.venues.set(v.marketplace, { ...current, grantKey: '', active: false });
    }
  }
}

/**
 * The TokenGrantStore port in memory with the DynamoDB adapter's conditions; each conditional
 * write is checked and applied in one synchronous step after an await, so concurrent callers
 * interleave like DynamoDB requests.
 */
export class InMemoryTokenGrants implements TokenGrantStore {
  readonly items = new Map<string, TokenGrant>();
  readonly venues = new Map<string, string>();
  leases = 0;

  put(grant: Grant): void {
    this.items.set(grant.grantKey, { grant, tokenVersion: null, accessTokenExpiresAt: null, lease: null, failures: null });
    for (const m of grant.marketplaces) this.venues.set(`${grant.accountId}|${m}`, grant.grantKey);
  }

  private same(grant: Grant): TokenGrant | undefined {
    const s = this.items.get(grant.grantKey);
    return s && s.grant.generatedAt.getTime() === grant.generatedAt.getTime() ? s : undefined;
  }

  async serving(accountId: string, marketplace: MarketplaceCode): Promise<TokenGrant | null> {
    await tick();
    const key = this.venues.get(`${accountId}|${marketplace}`);
    return (key && this.items.get(key)) || null;
  }
  async read(_accountId: string, grantKey: string): Promise<TokenGrant | null> {
    await tick();
    return this.items.get(grantKey) ?? null;
  }
  async acquireLease(grant: Grant, owner: string, now: Date, until: Date): Promise<TokenGrant | null> {
    await tick();
    const s = this.same(grant);
    if (!s || (s.lease && s.lease.until.getTime() > now.getTime())) return null;
    this.leases++;
    const next = { ...s, lease: { owner, until } };
    this.items.set(grant.grantKey, next);
    return next;
  }
  async recordRefresh(grant: Grant, owner: string, record: RefreshRecord): Promise<boolean> {
    await tick();
    const s = this.same(grant);
    if (!s || s.lease?.owner !== owner || s.grant.revokedAt) return false;
    this.items.set(grant.grantKey, { grant: { ...s.grant, lastCheckedAt: record.checkedAt }, tokenVersion: record.tokenVersion, accessTokenExpiresAt: record.accessTokenExpiresAt, lease: null, failures: null });
    return true;
  }
  async recordFailure(grant: Grant, owner: string, failures: { day: string; count: number }): Promise<void> {
    await tick();
    const s = this.same(grant);
    if (s && s.lease?.owner === owner) this.items.set(grant.grantKey, { ...s, failures, lease: null });
  }
  async releaseLease(grant: Grant, owner: string): Promise<void> {
    await tick();
    const s = this.same(grant);
    if (s && s.lease?.owner === owner) this.items.set(grant.grantKey, { ...s, lease: null });
  }
  async markRevoked(grant: Grant, at: Date): Promise<Grant | null> {
    await tick();
    const s = this.same(grant);
    if (!s || s.grant.revokedAt) return null;
    const revoked = { ...s.grant, revokedAt: at, nextAlertAt: null, version: s.grant.version + 1 };
    this.items.set(grant.grantKey, { grant: revoked, tokenVersion: null, accessTokenExpiresAt: null, lease: null, failures: s.failures });
    return revoked;
  }
  async dueForCheck(before: Date, limit: number): Promise<readonly TokenGrant[]> {
    await tick();
    return [...this.items.values()]
      .filter((s) => !s.grant.revokedAt && s.grant.lastCheckedAt && s.grant.lastCheckedAt.getTime() <= before.getTime())
      .sort((a, b) => (a.grant.lastCheckedAt?.getTime() ?? 0) - (b.grant.lastCheckedAt?.getTime() ?? 0))
      .slice(0, limit);
  }
}
