import { createHash } from 'node:crypto';
import type { Grant } from '../../domain/grant.js';
import type { MarketplaceCode, Region } from '../../domain/marketplaces.js';
import type { VenueRecord } from '../../domain/venue.js';
import { DUE_SHARD_COUNT } from './table-schema.js';

/**
 * The item layout (the table below) and the mapping between items and domain records. Every adapter
 * that touches grant or venue items goes through these functions, so the layout is written once.
 *
 * | item    | pk                  | sk                    |
 * |---------|---------------------|-----------------------|
 * | venue   | ACCOUNT#{accountId} | VENUE#{marketplace}   |
 * | grant   | ACCOUNT#{accountId} | GRANT#{grantKey}      |
 */

export const accountPk = (accountId: string) => `ACCOUNT#${accountId}`;
export const venueSk = (code: MarketplaceCode) => `VENUE#${code}`;
export const grantSk = (grantKey: string) => `GRANT#${grantKey}`;
export const VENUE_PREFIX = 'VENUE#';
export const GRANT_PREFIX = 'GRANT#';

export const venueKey = (accountId: string, code: MarketplaceCode) => ({ pk: accountPk(accountId), sk: venueSk(code) });
export const grantItemKey = (accountId: string, grantKey: string) => ({ pk: accountPk(accountId), sk: grantSk(grantKey) });

/** Stable shard for a grant in the sparse due index. */
export function dueShardFor(accountId: string, grantKey: string): string {
  const n = createHash('sha256').update(`${accountId}|${grantKey}`).digest().readUInt32BE(0) % DUE_SHARD_COUNT;
  return `DUE#${n}`;
}

export const dueShards = (): string[] => Array.from({ length: DUE_SHARD_COUNT }, (_, i) => `DUE#${i}`);

/** Stable shard for a grant in the sparse health-check index (same spread as the due index). */
export function checkShardFor(accountId: string, grantKey: string): string {
  return dueShardFor(accountId, grantKey).replace('DUE#', 'CHECK#');
}

export const checkShards = (): string[] => Array.from({ length: DUE_SHARD_COUNT }, (_, i) => `CHECK#${i}`);

/**
 * The token service's state on a grant item, outside the grant's `version` (a refresh must not
 * make the sweep's or the writer's conditions fail): which secret version holds the cached access
 * token and until when, the refresh lease, and the day's count of failed refreshes. A new
 * authorization removes all of it.
 */
export const TOKEN_STATE_ATTRIBUTES = ['tokenVersion', 'accessTokenExpiresAt', 'leaseOwner', 'leaseUntil', 'refreshFailureDay', 'refreshFailures', 'lastFailureAt'] as const;

export interface VenueItem {
  pk: string;
  sk: string;
  type: 'venue';
  accountId: string;
  marketplace: MarketplaceCode;
  active: boolean;
  grantKey?: string;
  participating?: boolean;
  version: number;
}

export interface GrantItem {
  pk: string;
  sk: string;
  type: 'grant';
  accountId: string;
  grantKey: string;
  region: Region;
  sellingPartnerId: string;
  marketplaces: MarketplaceCode[];
  /** Absent on grants written before participation was recorded on the grant. */
  sellingMarketplaces?: MarketplaceCode[];
  generatedAt: string;
  expiresAt: string;
  secretName: string;
  revokedAt?: string;
  alertsSent: string[];
  /** Present only while an alert is still to come: this is what makes the due index sparse. */
  nextAlertAt?: string;
  dueShard?: string;
  /** When Amazon last confirmed the authorization (the exchange, then each successful refresh). */
  lastCheckedAt?: string;
  /** Present only while the grant is to be health-checked (not revoked): the health index's key. */
  checkShard?: string;
  version: number;
}

export function toVenueItem(v: VenueRecord): VenueItem {
  const item: VenueItem = { ...venueKey(v.accountId, v.marketplace), type: 'venue', accountId: v.accountId, marketplace: v.marketplace, active: v.active, version: v.version };
  if (v.grantKey) item.grantKey = v.grantKey;
  if (v.participating !== null) item.participating = v.participating;
  return item;
}

export function fromVenueItem(item: Record<string, unknown>): VenueRecord {
  const i = item as unknown as VenueItem;
  return {
    accountId: i.accountId,
    marketplace: i.marketplace,
    active: i.active === true,
    grantKey: i.grantKey ?? null,
    participating: typeof i.participating === 'boolean' ? i.participating : null,
    version: i.version,
  };
}

export function toGrantItem(g: Grant): GrantItem {
  const item: GrantItem = {
    ...grantItemKey(g.accountId, g.grantKey),
    type: 'grant',
    accountId: g.accountId,
    grantKey: g.grantKey,
    region: g.region,
    sellingPartnerId: g.sellingPartnerId,
    marketplaces: [...g.marketplaces],
    generatedAt: g.generatedAt.toISOString(),
    expiresAt: g.expiresAt.toISOString(),
    secretName: g.secretName,
    alertsSent: [...g.alertsSent],
    version: g.version,
  };
  if (g.sellingMarketplaces) item.sellingMarketplaces = [...g.sellingMarketplaces];
  if (g.revokedAt) item.revokedAt = g.revokedAt.toISOString();
  if (g.nextAlertAt) {
    item.nextAlertAt = g.nextAlertAt.toISOString();
    item.dueShard = dueShardFor(g.accountId, g.grantKey);
  }
  if (g.lastCheckedAt) {
    item.lastCheckedAt = g.lastCheckedAt.toISOString();
    if (!g.revokedAt) item.checkShard = checkShardFor(g.accountId, g.grantKey);
  }
  return item;
}

export function fromGrantItem(item: Record<string, unknown>): Grant {
  const i = item as unknown as GrantItem;
  return {
    accountId: i.accountId,
    grantKey: i.grantKey,
    region: i.region,
    sellingPartnerId: i.sellingPartnerId,
    marketplaces: i.marketplaces ?? [],
    sellingMarketplaces: Array.isArray(i.sellingMarketplaces) ? i.sellingMarketplaces : null,
    generatedAt: new Date(i.generatedAt),
    expiresAt: new Date(i.expiresAt),
    secretName: i.secretName,
    revokedAt: i.revokedAt ? new Date(i.revokedAt) : null,
    alertsSent: i.alertsSent ?? [],
    nextAlertAt: i.nextAlertAt ? new Date(i.nextAlertAt) : null,
    ...(i.lastCheckedAt ? { lastCheckedAt: new Date(i.lastCheckedAt) } : {}),
    version: i.version,
  };
}
