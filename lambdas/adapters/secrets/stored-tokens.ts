import { SecretNotFoundError } from '../../ports/failures.js';
import type { StoredTokens } from '../../ports/token-secrets.js';

/** The secret's value: a bare refresh token (`Atzr|…`, as the authorization flow writes it) or the token service's JSON. */
export function parseStoredTokens(value: string): StoredTokens {
  if (!value.startsWith('{')) return { refreshToken: value, accessToken: null, accessTokenExpiresAt: null };
  let parsed: { refreshToken?: unknown; accessToken?: unknown; accessTokenExpiresAt?: unknown };
  try {
    parsed = JSON.parse(value) as typeof parsed;
  } catch {
    throw new SecretNotFoundError();
  }
  if (typeof parsed.refreshToken !== 'string' || parsed.refreshToken === '') throw new SecretNotFoundError();
  const expiresAt = typeof parsed.accessTokenExpiresAt === 'string' ? new Date(parsed.accessTokenExpiresAt) : null;
  return {
    refreshToken: parsed.refreshToken,
    accessToken: typeof parsed.accessToken === 'string' && expiresAt && !Number.isNaN(expiresAt.getTime()) ? parsed.accessToken : null,
    accessTokenExpiresAt: expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt : null,
  };
}
