import { createHash } from 'node:crypto';
import type { Grant } from './grant.js';
import type { MarketplaceCode, Region } from './marketplaces.js';
import { DAY_MS, HOUR_MS } from './time.js';

/** Every event this service emits carries this source (docs/events.md). */
export const EVENT_SOURCE = 'aob.amazon-connect';
export const EVENT_VERSION = '1';

export const DETAIL_TYPES = {
  granted: 'Amazon Authorization Granted',
  expiring: 'Amazon Authorization Expiring',
  expired: 'Amazon Authorization Expired',
  revoked: 'Amazon Authorization Revoked',
  disconnected: 'Amazon Authorization Disconnected',
} as const;

export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

/** Fields every detail carries. Never a token or a code. */
export interface BaseDetail {
  readonly eventId: string;
  readonly version: string;
  readonly accountId: string;
  readonly region: Region;
  readonly sellingPartnerId: string;
  readonly marketplaces: readonly MarketplaceCode[];
  /** Where the seller sells, among `marketplaces`; absent when the grant predates recording it. */
  readonly sellingMarketplaces?: readonly MarketplaceCode[];
  readonly generatedAt: string;
  readonly expiresAt: string;
}

export interface DomainEvent<D extends BaseDetail = BaseDetail> {
  readonly detailType: DetailType;
  readonly detail: D;
}

/**
 * A deterministic id: the same fact about the same authorization always gets the same id, so
 * consumers can dedupe whatever the number of deliveries.
 */
export function eventId(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 32);
}

function base(grant: Grant, id: string): BaseDetail {
  return {
    eventId: id,
    version: EVENT_VERSION,
    accountId: grant.accountId,
    region: grant.region,
    sellingPartnerId: grant.sellingPartnerId,
    marketplaces: grant.marketplaces,
    ...(grant.sellingMarketplaces ? { sellingMarketplaces: grant.sellingMarketplaces } : {}),
    generatedAt: grant.generatedAt.toISOString(),
    expiresAt: grant.expiresAt.toISOString(),
  };
}

const key = (grant: Grant) => [grant.accountId, grant.grantKey, grant.generatedAt.toISOString()];

export function grantedEvent(grant: Grant, reauthorization: boolean): DomainEvent<BaseDetail & { reauthorization: boolean }> {
  return { detailType: DETAIL_TYPES.granted, detail: { ...base(grant, eventId('granted', ...key(grant))), reauthorization } };
}

export function expiringEvent(
  grant: Grant,
  threshold: string,
  now: Date,
): DomainEvent<BaseDetail & { threshold: string; daysRemaining: number; hoursRemaining: number }> {
  const remaining = Math.max(0, grant.expiresAt.getTime() - now.getTime());
  return {
    detailType: DETAIL_TYPES.expiring,
    detail: {
      ...base(grant, eventId('expiring', threshold, ...key(grant), grant.expiresAt.toISOString())),
      threshold,
      daysRemaining: Math.ceil(remaining / DAY_MS),
      hoursRemaining: Math.ceil(remaining / HOUR_MS),
    },
  };
}

export function expiredEvent(grant: Grant): DomainEvent {
  return { detailType: DETAIL_TYPES.expired, detail: base(grant, eventId('expired', ...key(grant), grant.expiresAt.toISOString())) };
}

export function revokedEvent(grant: Grant, revokedAt: Date): DomainEvent<BaseDetail & { revokedAt: string }> {
  return { detailType: DETAIL_TYPES.revoked, detail: { ...base(grant, eventId('revoked', ...key(grant))), revokedAt: revokedAt.toISOString() } };
}

export function disconnectedEvent(grant: Grant, disconnectedAt: Date): DomainEvent<BaseDetail & { disconnectedAt: string }> {
  return {
    detailType: DETAIL_TYPES.disconnected,
    detail: { ...base(grant, eventId('disconnected', ...key(grant))), disconnectedAt: disconnectedAt.toISOString() },
  };
}
