import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { newOneTimeValue } from './one-time-values.js';

/**
 * Values the table keeps sealed (AES-256-GCM) under a key only the holder of a one-time value can
 * derive (HKDF), so the table alone, or a backup of it, never reveals them. Pure: no I/O.
 *
 * - Ticket seal: a flow started on Amazon carries Amazon's `amazon_state` (the one-time value of
 *   the seller's Seller Central session) in its ticket item, which waits in the table until
 *   redeemed (and unredeemed ones until TTL, days later, and in backups). It is sealed under the
 *   raw ticket; the table keeps only sha256(ticket).
 * - Completion handle: the callback does not exchange Amazon's code. It keeps it, sealed, with the
 *   pending authorization and sends the browser to the frontend's completion page with a handle.
 *   Only a request carrying that handle AND the JWT of the AoB account that started the flow
 *   makes the service exchange the code (authorization-completion use case). The handle is
 *   `{locator}.{secret}`: the locator is base64url(sha256(state)), which names the pending item;
 *   the secret (256 random bits) is the only key material for the code's seal, and the table
 *   keeps only sha256(handle).
 */

const SEAL_INFO = 'aob-amazon-connect/ticket-seal/v1';
const CODE_SEAL_INFO = 'aob-amazon-connect/code-seal/v1';
const SEAL_PREFIX = 'v1.';

function derivedKey(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), info, 32));
}

function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return SEAL_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function open(key: Buffer, sealed: string): string | null {
  if (!sealed.startsWith(SEAL_PREFIX)) return null;
  const raw = Buffer.from(sealed.slice(SEAL_PREFIX.length), 'base64url');
  if (raw.length < 12 + 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** `plaintext` encrypted (AES-256-GCM) under a key derived from the raw ticket. */
export function sealForTicket(ticket: string, plaintext: string): string {
  return seal(derivedKey(ticket, SEAL_INFO), plaintext);
}

/** The sealed value, or null when it was not sealed for this ticket or was altered. */
export function openForTicket(ticket: string, sealed: string): string | null {
  return open(derivedKey(ticket, SEAL_INFO), sealed);
}

export const COMPLETION_HANDLE_PATTERN = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;

/** A new completion handle for the pending authorization of `stateHash` (hex sha256 of the state). */
export function newCompletionHandle(stateHash: string, secret: string = newOneTimeValue()): string {
  return `${Buffer.from(stateHash, 'hex').toString('base64url')}.${secret}`;
}

/** The pending authorization's state hash a handle names, or null when the handle is malformed. */
export function stateHashOfHandle(handle: unknown): string | null {
  if (typeof handle !== 'string' || !COMPLETION_HANDLE_PATTERN.test(handle)) return null;
  const raw = Buffer.from(handle.slice(0, 43), 'base64url');
  return raw.length === 32 ? raw.toString('hex') : null;
}

/** Amazon's code sealed (AES-256-GCM) under a key derived from the completion handle. */
export function sealForHandle(handle: string, code: string): string {
  return seal(derivedKey(handle, CODE_SEAL_INFO), code);
}

/** The code sealed for `handle`, or null when it was sealed for another handle or altered. */
export function openForHandle(handle: string, sealed: string): string | null {
  return open(derivedKey(handle, CODE_SEAL_INFO), sealed);
}
