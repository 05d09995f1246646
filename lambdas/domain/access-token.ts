import { DomainError, NotFoundError } from './errors.js';
import { type MarketplaceCode, marketplace } from './marketplaces.js';

/** A cached access token is handed out only while it has at least this long left. */
export const ACCESS_TOKEN_MARGIN_MS = 60_000;

export function isFresh(expiresAt: Date | null, now: Date): expiresAt is Date {
  return expiresAt !== null && expiresAt.getTime() - now.getTime() > ACCESS_TOKEN_MARGIN_MS;
}

/** The UTC day a failure is counted on. */
export const failureDay = (now: Date): string => now.toISOString().slice(0, 10);

/** The day's failure count after one more failure: a new day starts again from one. */
export function countFailure(previous: { day: string; count: number } | null, now: Date): { day: string; count: number } {
  const day = failureDay(now);
  return { day, count: previous?.day === day ? previous.count + 1 : 1 };
}

export class NoAuthorizationError extends NotFoundError {
  constructor(code: MarketplaceCode) {
    super('NO_AUTHORIZATION', `No Amazon authorization covers ${marketplace(code).domain} for this account: the seller has to authorize AoB first.`);
  }
}

export class TokenExpiredError extends DomainError {
  constructor(code: MarketplaceCode) {
    super('TOKEN_EXPIRED', 409, `The Amazon authorization for ${marketplace(code).domain} has expired (365 days): the seller has to authorize AoB again.`);
  }
}

export class AuthorizationRevokedError extends DomainError {
  constructor(code: MarketplaceCode) {
    super('AUTHORIZATION_REVOKED', 409, `The seller revoked AoB's authorization for ${marketplace(code).domain} on Amazon: they have to authorize AoB again.`);
  }
}

export class AppCredentialsInvalidError extends DomainError {
  constructor() {
    super('APP_CREDENTIALS_INVALID', 503, "Amazon refused AoB's app credentials. This is an AoB operations problem (on-call is alerted); no seller needs to act.");
  }
}

/** Amazon did not answer usably (after bounded retries), or another caller's refresh did not finish in time. */
export class AmazonUnavailableError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('AMAZON_UNAVAILABLE', 503, `Amazon did not answer in time. Retry after ${retryAfterSeconds} seconds; nothing about the authorization changed.`);
  }
}
