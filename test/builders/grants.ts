import type { Grant } from '../../lambdas/domain/grant.js';
import { expiryFor, grantKeyFor } from '../../lambdas/domain/grant.js';
import { type MarketplaceCode, type Region, marketplace, marketplacesInRegion, REGIONS } from '../../lambdas/domain/marketplaces.js';
import type { AccountSnapshot, VenueRecord } from '../../lambdas/domain/venue.js';

/**
 * Fixtures for grants, venue records and account snapshots. Every field has a plausible default
 * and derived fields (grant key, covered marketplaces, expiry) follow the overrides, so a test
 * names only what it is about: `aGrant({ region: 'FE', marketplaces: ['JP'] })`.
 */

export const AN_ACCOUNT = 'acct-1';
export const A_SELLING_PARTNER = 'A3SELLERTEST';
/** A fixed "now" for tests that do not care which instant it is. */
export const A_NOW = new Date('2026-06-01T12:00:00.000Z');

const SECRET_PREFIX = 'aob-amazon-connect/test/grants/';

export function aGrant(overrides: Partial<Grant> = {}): Grant {
  const region: Region = overrides.region ?? (overrides.marketplaces?.[0] ? marketplace(overrides.marketplaces[0]).region : 'EU');
  const sellingPartnerId = overrides.sellingPartnerId ?? A_SELLING_PARTNER;
  const accountId = overrides.accountId ?? AN_ACCOUNT;
  const marketplaces: readonly MarketplaceCode[] =
    overrides.marketplaces ?? (REGIONS[region].perMarketplaceGrant ? [marketplacesInRegion(region)[0]!.code] : marketplacesInRegion(region).map((m) => m.code));
  const grantKey = overrides.grantKey ?? grantKeyFor(region, sellingPartnerId, marketplaces[0]!);
  const generatedAt = overrides.generatedAt ?? new Date(A_NOW.getTime() - 10 * 24 * 60 * 60 * 1000);
  return {
    accountId,
    grantKey,
    region,
    sellingPartnerId,
    marketplaces,
    sellingMarketplaces: overrides.sellingMarketplaces === undefined ? marketplaces : overrides.sellingMarketplaces,
    generatedAt,
    expiresAt: overrides.expiresAt ?? expiryFor(generatedAt),
    secretName: overrides.secretName ?? `${SECRET_PREFIX}${accountId}/${grantKey.replaceAll('#', '/')}`,
    revokedAt: overrides.revokedAt ?? null,
    alertsSent: overrides.alertsSent ?? [],
    nextAlertAt: overrides.nextAlertAt === undefined ? null : overrides.nextAlertAt,
    version: overrides.version ?? 1,
    ...(overrides.lastCheckedAt ? { lastCheckedAt: overrides.lastCheckedAt } : {}),
  };
}

/** A grant whose expiry is `remainingMs` after `now`. */
export function aGrantExpiringIn(remainingMs: number, now: Date = A_NOW, overrides: Partial<Grant> = {}): Grant {
  const expiresAt = new Date(now.getTime() + remainingMs);
  return aGrant({ generatedAt: new Date(expiresAt.getTime() - 365 * 24 * 60 * 60 * 1000), expiresAt, ...overrides });
}

export function aVenueRecord(overrides: Partial<VenueRecord> = {}): VenueRecord {
  return {
    accountId: overrides.accountId ?? AN_ACCOUNT,
    marketplace: overrides.marketplace ?? 'UK',
    active: overrides.active ?? false,
    grantKey: overrides.grantKey === undefined ? null : overrides.grantKey,
    participating: overrides.participating === undefined ? null : overrides.participating,
    version: overrides.version ?? 1,
  };
}

/** The venue records an authorization writes: one per marketplace the grant covers, linked to it. */
export function venuesServedBy(grant: Grant, overrides: Partial<Omit<VenueRecord, 'marketplace'>> = {}): VenueRecord[] {
  return grant.marketplaces.map((code) =>
    aVenueRecord({ accountId: grant.accountId, grantKey: grant.grantKey, participating: true, ...overrides, marketplace: code }),
  );
}

/** An account holding `grants`, each with the venues it serves (participating, inactive). */
export function anAccountWith(...grants: Grant[]): AccountSnapshot {
  return { grants, venues: grants.flatMap((g) => venuesServedBy(g)) };
}

export const anEmptyAccount = (): AccountSnapshot => ({ grants: [], venues: [] });
