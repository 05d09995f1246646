import { type MarketplaceCode, type Region, marketplace, REGIONS } from './marketplaces.js';
import { AUTHORIZATION_LIFETIME_MS } from './time.js';

/**
 * One Amazon authorization: (account, region, selling partner) — or (…, marketplace) in FE —
 * with its refresh token kept in Secrets Manager under `secretName`. Never holds a token.
 */
export interface Grant {
  readonly accountId: string;
  /** Stable identity of the grant inside its account, e.g. `EU#A3SPID` or `FE#A3SPID#JP`. */
  readonly grantKey: string;
  readonly region: Region;
  readonly sellingPartnerId: string;
  /** Marketplaces this grant serves (NA/EU: every marketplace of the region; FE: one). */
  readonly marketplaces: readonly MarketplaceCode[];
  /**
   * The marketplaces among `marketplaces` where the seller is registered to sell (Sellers API at
   * the code exchange): the venues AoB can use. Null for grants stored before this was recorded.
   */
  readonly sellingMarketplaces: readonly MarketplaceCode[] | null;
  /** When the code exchange succeeded. */
  readonly generatedAt: Date;
  /** generatedAt + 365 days. */
  readonly expiresAt: Date;
  readonly secretName: string;
  /** Set when a refresh answered invalid_grant. */
  readonly revokedAt: Date | null;
  /** Alert labels already handled for this generatedAt (sent, or passed over after missed runs). */
  readonly alertsSent: readonly string[];
  /** When the sweep next has something to say about this grant; null once nothing is left. */
  readonly nextAlertAt: Date | null;
  /**
   * When Amazon last confirmed the authorization: the code exchange, then every successful
   * refresh. Absent on records that predate the token service.
   */
  readonly lastCheckedAt?: Date | null;
  /** Optimistic-concurrency version; every write is conditioned on it. */
  readonly version: number;
}

export function grantKeyFor(region: Region, sellingPartnerId: string, code: MarketplaceCode): string {
  return REGIONS[region].perMarketplaceGrant ? `${region}#${sellingPartnerId}#${code}` : `${region}#${sellingPartnerId}`;
}

/** The grant key a marketplace's venue would be served by for this selling partner. */
export function grantKeyForMarketplace(code: MarketplaceCode, sellingPartnerId: string): string {
  return grantKeyFor(marketplace(code).region, sellingPartnerId, code);
}

export function expiryFor(generatedAt: Date): Date {
  return new Date(generatedAt.getTime() + AUTHORIZATION_LIFETIME_MS);
}
