import type { Grant } from './grant.js';
import { DAY_MS, EXPIRING_WINDOW_MS, HOUR_MS } from './time.js';

export type TokenStatus = 'none' | 'current' | 'expiring' | 'expired' | 'revoked';

/** What the Venue Settings page shows about a venue's authorization. */
export interface TokenView {
  readonly status: TokenStatus;
  readonly message: string;
  readonly generatedAt: string | null;
  readonly expiresAt: string | null;
  readonly daysRemaining: number | null;
  readonly hoursRemaining: number | null;
  readonly sellingPartnerId: string | null;
  /** When Amazon last confirmed the authorization (the exchange, then each successful refresh); null when unknown. */
  readonly lastCheckedAt: string | null;
}

export const NO_TOKEN_MESSAGE = 'No token present';
export const REVOKED_MESSAGE = 'Revoked on Amazon — authorize again';

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * The token status of a venue served by `grant` (undefined: no grant covers it) at `now`,
 * exactly as the status table of docs/venues.md: a revoked grant wins over every time-based state; at remaining ≤ 0 it
 * is expired; within 24 h it counts hours, within 30 days it counts days (both rounded up).
 */
export function tokenStatus(grant: Grant | undefined, now: Date): TokenView {
  if (!grant) {
    return { status: 'none', message: NO_TOKEN_MESSAGE, generatedAt: null, expiresAt: null, daysRemaining: null, hoursRemaining: null, sellingPartnerId: null, lastCheckedAt: null };
  }
  const remaining = grant.expiresAt.getTime() - now.getTime();
  const base = {
    generatedAt: grant.generatedAt.toISOString(),
    expiresAt: grant.expiresAt.toISOString(),
    sellingPartnerId: grant.sellingPartnerId,
    lastCheckedAt: grant.lastCheckedAt?.toISOString() ?? null,
  };
  if (grant.revokedAt) {
    return { ...base, status: 'revoked', message: REVOKED_MESSAGE, daysRemaining: null, hoursRemaining: null };
  }
  const daysRemaining = Math.max(0, Math.ceil(remaining / DAY_MS));
  const hoursRemaining = Math.max(0, Math.ceil(remaining / HOUR_MS));
  if (remaining <= 0) return { ...base, status: 'expired', message: 'Expired', daysRemaining, hoursRemaining };
  if (remaining <= DAY_MS) {
    return { ...base, status: 'expiring', message: `Expires in ${plural(hoursRemaining, 'hour')}`, daysRemaining, hoursRemaining };
  }
  if (remaining <= EXPIRING_WINDOW_MS) {
    return { ...base, status: 'expiring', message: `Expires in ${plural(daysRemaining, 'day')}`, daysRemaining, hoursRemaining };
  }
  return { ...base, status: 'current', message: 'Current', daysRemaining, hoursRemaining };
}
