import { MARKETPLACE_CODES } from './marketplaces.js';

/**
 * Errors the caller (or the browser) can act on. Each has a stable UPPER_SNAKE code, an HTTP
 * status and a plain sentence; one mapper turns them into the error shape of docs/venues.md, "Errors". Anything
 * that is not a DomainError is a fault of ours and becomes a generic 500 without details.
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
    super('VALIDATION_FAILED', 400, message, details);
  }
}

export class UnknownMarketplaceError extends DomainError {
  constructor(value: string) {
    // Only a value shaped like a code is repeated back: anything else could be markup or a pasted secret.
    const named = /^[A-Za-z]{1,8}$/.test(value) ? `"${value}"` : 'That';
    super('UNKNOWN_MARKETPLACE', 400, `${named} is not a supported Amazon marketplace. Use one of: ${MARKETPLACE_CODES.join(', ')}.`, {
      validMarketplaces: MARKETPLACE_CODES,
    });
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'Sign in again: the request carries no verified AoB account.') {
    super('UNAUTHORIZED', 401, message);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super(code, 404, message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, 409, message, details);
  }
}

/** A return path that is not one of the configured frontend paths (S6); the use case answers it as a ValidationError. */
export class ReturnPathError extends Error {
  constructor(readonly allowed: readonly string[]) {
    super(`returnPath must be one of: ${allowed.join(', ')}`);
    this.name = 'ReturnPathError';
  }
}
