import type { Grant } from '../domain/grant.js';
import type { MarketplaceCode } from '../domain/marketplaces.js';

/** A grant with the token service's state: the cached token's secret version, the lease, the day's failures. */
export interface TokenGrant {
  readonly grant: Grant;
  /** Secret version holding the cached access token; null when none is cached. */
  readonly tokenVersion: string | null;
  readonly accessTokenExpiresAt: Date | null;
  readonly lease: { readonly owner: string; readonly until: Date } | null;
  readonly failures: { readonly day: string; readonly count: number } | null;
}

export interface RefreshRecord {
  readonly tokenVersion: string;
  readonly accessTokenExpiresAt: Date;
  /** When Amazon confirmed the authorization (now). */
  readonly checkedAt: Date;
}

/**
 * The grants as the token service reads and changes them. Every write is conditioned on the
 * authorization read (`generatedAt`): a re-authorization or a disconnect in between wins and the
 * write reports `false`/null. Token state never bumps the grant's `version`.
 */
export interface TokenGrantStore {
  /** The grant serving the venue, from one strongly consistent read of the account; null when none does. */
  serving(accountId: string, marketplace: MarketplaceCode): Promise<TokenGrant | null>;
  /** One strongly consistent read of the grant; null when it is gone. */
  read(accountId: string, grantKey: string): Promise<TokenGrant | null>;
  /** Takes the refresh lease until `until` if nobody holds an unexpired one; the grant as it is now, or null when not taken. */
  acquireLease(grant: Grant, owner: string, now: Date, until: Date): Promise<TokenGrant | null>;
  /** Stores a successful refresh and releases the lease; clears the day's failures. */
  recordRefresh(grant: Grant, owner: string, record: RefreshRecord): Promise<boolean>;
  /** Counts a failed refresh (Amazon unavailable) for the day and releases the lease. */
  recordFailure(grant: Grant, owner: string, failures: { day: string; count: number }, at: Date): Promise<void>;
  releaseLease(grant: Grant, owner: string): Promise<void>;
  /** Marks the authorization revoked (once): the revoked grant, or null when it already was, or changed. */
  markRevoked(grant: Grant, at: Date): Promise<Grant | null>;
  /** Grants Amazon last confirmed at or before `before`, oldest first, at most `limit` (the sparse health index, never a Scan). */
  dueForCheck(before: Date, limit: number): Promise<readonly TokenGrant[]>;
}
