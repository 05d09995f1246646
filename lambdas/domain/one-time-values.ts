import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The one-time values of the authorization flow and the state/binding derivation. Pure: no I/O.
 *
 * Design (see docs/authorization.md, "Cookie and state design"):
 * - ticket: 256 random bits, base64url. Lives in the `authorizationUrl` the frontend opens once.
 * - binding: 256 random bits, base64url, minted when the ticket is redeemed and sent to the
 *   browser only as the HttpOnly binding cookie.
 * - state: HMAC-SHA256(binding, STATE_LABEL), base64url. Deriving the state from the cookie lets
 *   the Log-in step rebuild `state` for the redirect to Amazon from the cookie alone, so neither
 *   the raw state nor the raw binding is ever stored: the table holds only SHA-256 hashes of the
 *   ticket, the state and the binding. Knowing a state (it travels through Amazon's URLs) does
 *   not reveal the cookie: HMAC is one-way.
 */

/** 32 random bytes → 43 base64url characters. */
export const ONE_TIME_BYTES = 32;
export const ONE_TIME_VALUE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const STATE_LABEL = 'aob-amazon-connect/state/v1';

/** A fresh one-time value from the platform CSPRNG: 256 bits, base64url. */
export function newOneTimeValue(): string {
  return randomBytes(ONE_TIME_BYTES).toString('base64url');
}

/** What the table stores instead of a one-time value. */
export function hashOneTime(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The OAuth `state` belonging to a binding cookie value. */
export function stateFromBinding(binding: string): string {
  return createHmac('sha256', binding).update(STATE_LABEL).digest('base64url');
}

/** Constant-time check that `state` belongs to `binding`. */
export function stateMatchesBinding(state: string, binding: string): boolean {
  const expected = Buffer.from(stateFromBinding(binding));
  const given = Buffer.from(state);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function isOneTimeValue(value: unknown): value is string {
  return typeof value === 'string' && ONE_TIME_VALUE_PATTERN.test(value);
}
