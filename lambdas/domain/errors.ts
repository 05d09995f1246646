import type { SweepSummary } from './alerts.js';
import { type MarketplaceCode, MARKETPLACE_CODES, marketplace } from './marketplaces.js';

/**
 * Errors a caller acts on, every one with a stable UPPER_SNAKE `code` and a plain sentence.
 * Failures of what lies behind a port (Amazon, DynamoDB, Secrets Manager) are elsewhere:
 * lambdas/ports/failures.ts.
 *
 * - DomainError and its subclasses are the refusals of the HTTP API: the one mapper
 *   (`errorResponse` in lambdas/shared/http.ts) turns them into the error shape of
 *   docs/venues.md, "Errors", with the status ERROR_STATUS gives their code. Anything that is
 *   not a DomainError is a fault of ours and becomes a generic 500 without details.
 * - The errors at the end of this file never become an HTTP answer: a use case or handler turns
 *   them into an outcome, or they stop a cold start or a synth with the names of what to fix.
 */

/** The HTTP status of every code an API error answer carries: the one code→status table. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNKNOWN_MARKETPLACE: 400,
  UNAUTHORIZED: 401,
  CALLER_NOT_ALLOWED: 403,
  ACCOUNT_MISMATCH: 403,
  NO_AUTHORIZATION: 404,
  CONCURRENT_UPDATE: 409,
  NO_TOKEN: 409,
  TOKEN_EXPIRED: 409,
  TOKEN_REVOKED: 409,
  NOT_REGISTERED: 409,
  AUTHORIZATION_REVOKED: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  APP_CREDENTIALS_INVALID: 503,
  AMAZON_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
/** The codes ERROR_STATUS answers with `status`. */
export type ErrorCodeWithStatus<S extends number> = { [C in ErrorCode]: (typeof ERROR_STATUS)[C] extends S ? C : never }[ErrorCode];

/**
 * A refusal the caller can act on. Throw one of the subclasses below: each takes its status from
 * ERROR_STATUS, so a code has the same status wherever it is thrown.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_FAILED', ERROR_STATUS.VALIDATION_FAILED, message, details);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(maxBytes: number) {
    super('PAYLOAD_TOO_LARGE', ERROR_STATUS.PAYLOAD_TOO_LARGE, `The request body is larger than ${maxBytes} bytes.`);
  }
}

export class UnknownMarketplaceError extends DomainError {
  constructor(value: string) {
    // Only a value shaped like a code is repeated back: anything else could be markup or a pasted secret.
    const named = /^[A-Za-z]{1,8}$/.test(value) ? `"${value}"` : 'That';
    super('UNKNOWN_MARKETPLACE', ERROR_STATUS.UNKNOWN_MARKETPLACE, `${named} is not a supported Amazon marketplace. Use one of: ${MARKETPLACE_CODES.join(', ')}.`, {
      validMarketplaces: MARKETPLACE_CODES,
    });
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'Sign in again: the request carries no verified AoB account.') {
    super('UNAUTHORIZED', ERROR_STATUS.UNAUTHORIZED, message);
  }
}

/** The access-token route's caller (SigV4) is not on the stage's allow-list. */
export class CallerNotAllowedError extends DomainError {
  constructor() {
    super('CALLER_NOT_ALLOWED', ERROR_STATUS.CALLER_NOT_ALLOWED, "This caller's IAM role is not on the stage's allow-list for access tokens (tokenCallerRoleArns in cdk.json).");
  }
}

export class NotFoundError extends DomainError {
  constructor(code: ErrorCodeWithStatus<404>, message: string) {
    super(code, ERROR_STATUS[code], message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: ErrorCodeWithStatus<409>, message: string, details?: unknown) {
    super(code, ERROR_STATUS[code], message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// The access-token route (docs/tokens.md): why an AoB service gets no token.

export class NoAuthorizationError extends NotFoundError {
  constructor(code: MarketplaceCode) {
    super('NO_AUTHORIZATION', `No Amazon authorization covers ${marketplace(code).domain} for this account: the seller has to authorize AoB first.`);
  }
}

export class TokenExpiredError extends DomainError {
  constructor(code: MarketplaceCode) {
    super('TOKEN_EXPIRED', ERROR_STATUS.TOKEN_EXPIRED, `The Amazon authorization for ${marketplace(code).domain} has expired (365 days): the seller has to authorize AoB again.`);
  }
}

export class AuthorizationRevokedError extends DomainError {
  constructor(code: MarketplaceCode) {
    super('AUTHORIZATION_REVOKED', ERROR_STATUS.AUTHORIZATION_REVOKED, `The seller revoked AoB's authorization for ${marketplace(code).domain} on Amazon: they have to authorize AoB again.`);
  }
}

export class AppCredentialsInvalidError extends DomainError {
  constructor() {
    super('APP_CREDENTIALS_INVALID', ERROR_STATUS.APP_CREDENTIALS_INVALID, "Amazon refused AoB's app credentials. This is an AoB operations problem (on-call is alerted); no seller needs to act.");
  }
}

/** Amazon did not answer usably (after bounded retries), or another caller's refresh did not finish in time. */
export class AmazonUnavailableError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('AMAZON_UNAVAILABLE', ERROR_STATUS.AMAZON_UNAVAILABLE, `Amazon did not answer in time. Retry after ${retryAfterSeconds} seconds; nothing about the authorization changed.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Errors that are never an HTTP answer. `name` is set by hand: it is what logs print, and a
// minified bundle renames classes.

/** A return path that is not one of the configured frontend paths (S6); the use case answers it as a ValidationError. */
export class ReturnPathError extends Error {
  readonly code = 'RETURN_PATH_NOT_ALLOWED';
  constructor(readonly allowed: readonly string[]) {
    super(`returnPath must be one of: ${allowed.join(', ')}`);
    this.name = 'ReturnPathError';
  }
}

/** A rotation was asked for less than a minute ago (Amazon allows about one call a minute). */
export class RotationTooSoonError extends Error {
  readonly code = 'ROTATION_TOO_SOON';
  constructor(readonly lastRequestedAt: Date) {
    super(`a rotation was asked for at ${lastRequestedAt.toISOString()}; Amazon allows one call a minute`);
    this.name = 'RotationTooSoonError';
  }
}

/** Reading the due index failed: the sweep stopped early. Carries what was done until then. */
export class SweepAbortedError extends Error {
  readonly code = 'SWEEP_ABORTED';
  constructor(
    readonly summary: SweepSummary,
    options: { cause: unknown },
  ) {
    super('The sweep could not read the due index and stopped; the next run picks up the rest', options);
    this.name = 'SweepAbortedError';
  }
}

/** A function's environment is missing or refuses a variable (lambdas/shared/config.ts): the cold start fails, naming each one. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A stage's cdk.json context is missing or refuses a key (lib/config.ts): the synth stops, naming each one. */
export class StageConfigError extends Error {
  readonly code = 'STAGE_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'StageConfigError';
  }
}
