import type { Grant } from '../../lambdas/domain/grant.js';
import type { MarketplaceCode } from '../../lambdas/domain/marketplaces.js';
import type { RefreshRecord, TokenGrant, TokenGrantStore } from '../../lambdas/ports/token-grants.js';
import type { AccountSnapshot, VenueRecord } from '../../lambdas/domain/venue.js';
import type { AccountStore } from '../../lambdas/ports/account-store.js';
import { ConcurrentUpdateError, SecretNotFoundError } from '../../lambdas/ports/failures.js';
import type { GrantSecretStore } from '../../lambdas/ports/secret-store.js';
import type { StoredTokens, TokenSecretStore } from '../../lambdas/ports/token-secrets.js';
import type { InMemoryGrantWriter } from './auth.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Secret {
  versions: Map<string, StoredTokens>;
  current: string;
  scheduledForDeletion: boolean;
}

/**
 * Grant secrets with Secrets Manager's rules: a secret scheduled for deletion cannot be read or
 * given a new value (the authorization flow's `putRefreshToken` restores it first, as the
 * adapter does); versions are kept by id. Counts every call.
 */
export class SecretsManagerLike implements GrantSecretStore, TokenSecretStore {
  readonly secrets = new Map<string, Secret>();
  readonly calls = { put: 0, get: 0, delete: 0, readTokens: 0, writeTokens: 0 };
  readonly deleted: string[] = [];

  async putRefreshToken(secretName: string, refreshToken: string, requestToken: string): Promise<{ created: boolean }> {
    await tick();
    this.calls.put++;
    const existing = this.secrets.get(secretName);
    const tokens = { refreshToken, accessToken: null, accessTokenExpiresAt: null };
    if (!existing) {
      this.secrets.set(secretName, { versions: new Map([[requestToken, tokens]]), current: requestToken, scheduledForDeletion: false });
      return { created: true };
    }
    existing.scheduledForDeletion = false;
    existing.versions.set(requestToken, tokens);
    existing.current = requestToken;
    return { created: false };
  }

  async getRefreshToken(secretName: string): Promise<string> {
    return (await this.readTokens(secretName)).refreshToken;
  }

  async scheduleDeletion(secretName: string): Promise<void> {
    await tick();
    this.calls.delete++;
    this.deleted.push(secretName);
    const s = this.secrets.get(secretName);
    if (s) s.scheduledForDeletion = true;
  }

  async readTokens(secretName: string, versionId?: string): Promise<StoredTokens> {
    await tick();
    this.calls.readTokens++;
    const s = this.secrets.get(secretName);
    if (!s || s.scheduledForDeletion) throw new SecretNotFoundError();
    const tokens = s.versions.get(versionId ?? s.current);
    if (!tokens) throw new SecretNotFoundError();
    return tokens;
  }

  async writeTokens(secretName: string, tokens: StoredTokens, versionId: string): Promise<void> {
    await tick();
    this.calls.writeTokens++;
    const s = this.secrets.get(secretName);
    if (!s || s.scheduledForDeletion) throw new SecretNotFoundError();
    s.versions.set(versionId, tokens);
    s.current = versionId;
  }

  isLive(secretName: string): boolean {
    const s = this.secrets.get(secretName);
    return !!s && !s.scheduledForDeletion;
  }
}

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
