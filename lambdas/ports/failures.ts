/**
 * Failures the adapters behind the ports throw for the use cases to act on: Amazon refused or did
 * not answer, another request changed an item first, a secret is missing. Each has a stable
 * UPPER_SNAKE `code` and a `name` set by hand (it is what logs print as `errorName`, and a
 * minified bundle renames classes). None is ever an HTTP answer by itself: the use case decides
 * the outcome or throws one of the errors of lambdas/domain/errors.ts; one that reaches the
 * mapper unhandled is a fault of ours (a generic 500). Anything else an adapter throws (an SDK
 * error, a bug) is unexpected.
 */

// ---------------------------------------------------------------------------------------------
// Amazon: LWA (ports/amazon.ts), the Sellers API, the Application Management API.

/** LWA answered `invalid_grant`: the code is bad/used/expired, or the refresh token was revoked. */
export class LwaInvalidGrantError extends Error {
  readonly code = 'LWA_INVALID_GRANT';
  constructor(options?: { cause?: unknown }) {
    super('LWA answered invalid_grant', options);
    this.name = 'LwaInvalidGrantError';
  }
}

/** LWA refused the app's client credentials (`invalid_client`), even after reloading them. */
export class LwaInvalidClientError extends Error {
  readonly code = 'LWA_INVALID_CLIENT';
  constructor(options?: { cause?: unknown }) {
    super('LWA answered invalid_client', options);
    this.name = 'LwaInvalidClientError';
  }
}

/** Another OAuth error (unauthorized_client, invalid_request, invalid_scope, access_denied, …); `httpStatus` is LWA's. */
export class LwaOAuthError extends Error {
  readonly code = 'LWA_OAUTH_ERROR';
  constructor(
    readonly oauthError: string,
    readonly httpStatus: number,
  ) {
    super(`LWA answered ${oauthError} (HTTP ${httpStatus})`);
    this.name = 'LwaOAuthError';
  }
}

/** Timeout, network failure, 5xx, 429, server_error, temporarily_unavailable or an unreadable answer. */
export class AmazonTransientError extends Error {
  readonly code = 'AMAZON_TRANSIENT';
  constructor(
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`${what}: Amazon did not answer usably`, options);
    this.name = 'AmazonTransientError';
  }
}

/** The Sellers API refused the access token or the request (4xx other than 429); `httpStatus` is Amazon's. */
export class SellersApiError extends Error {
  readonly code = 'SELLERS_API_REFUSED';
  constructor(readonly httpStatus: number) {
    super(`Sellers API answered HTTP ${httpStatus}`);
    this.name = 'SellersApiError';
  }
}

/** Amazon refused the rotation: not enrolled for the notification (400), throttled (429), forbidden (403) or another 4xx; `httpStatus` is Amazon's. */
export class RotationRefusedError extends Error {
  readonly code = 'ROTATION_REFUSED';
  constructor(
    readonly httpStatus: number,
    readonly amazonCode: string | null,
  ) {
    super(`rotateApplicationClientSecret answered HTTP ${httpStatus}${amazonCode ? ` (${amazonCode})` : ''}`);
    this.name = 'RotationRefusedError';
  }
}

// ---------------------------------------------------------------------------------------------
// Secrets Manager.

/** The app secret is missing, unreadable or malformed. An ops problem; sellers can do nothing about it. */
export class AppCredentialsUnavailableError extends Error {
  readonly code = 'APP_CREDENTIALS_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppCredentialsUnavailableError';
  }
}

/** A grant's secret does not exist (or is scheduled for deletion, for the token service). */
export class SecretNotFoundError extends Error {
  readonly code = 'SECRET_NOT_FOUND';
  constructor(options?: { cause?: unknown }) {
    super('the secret does not exist', options);
    this.name = 'SecretNotFoundError';
  }
}

// ---------------------------------------------------------------------------------------------
// DynamoDB: a conditional write lost a race.

/** Another request changed the same item first. Safe to retry from a fresh read. */
export class ConcurrentUpdateError extends Error {
  readonly code = 'CONCURRENT_UPDATE';
  constructor(what: string, options?: { cause?: unknown }) {
    super(`${what} was changed by another request`, options);
    this.name = 'ConcurrentUpdateError';
  }
}

/** The app-credentials status changed between read and write (a concurrent notification or sweep). The message is redelivered. */
export class StatusConflictError extends Error {
  readonly code = 'STATUS_CONFLICT';
  constructor() {
    super('the app-credentials status changed while it was being updated');
    this.name = 'StatusConflictError';
  }
}

