import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type JSONWebKeySet, type JWK, type JWTPayload, SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';

/**
 * The local stand-in for the AoB identity provider and for API Gateway's JWT authorizer.
 * Tokens are RS256 (API Gateway's JWT authorizer accepts RSA keys only), signed with a key
 * generated on first start and kept under `.local/` so tokens survive a restart. The authorizer
 * checks what API Gateway checks: signature against the JWKS, issuer, audience (or client_id),
 * exp and nbf; anything else gets API Gateway's 401 `{"message":"Unauthorized"}`.
 */

export interface DevJwtOptions {
  readonly issuer: string;
  readonly audience: string;
  /** Claim carrying the AoB account id (ACCOUNT_CLAIM). */
  readonly accountClaim: string;
  /** JSON file keeping the key pair; omit for a new key each start. */
  readonly keyFile?: string;
}

export interface IssueOptions {
  readonly accountId: string;
  readonly sub?: string;
  /** Lifetime; negative values make an already expired token (tests). Default 12 hours. */
  readonly ttlSeconds?: number;
}

/** Claims as API Gateway hands them to the integration: every value a string. */
export type AuthorizerClaims = Record<string, string>;

export interface DevJwt {
  readonly issuer: string;
  readonly audience: string;
  /** The public keys, served at `/.well-known/jwks.json`. */
  readonly jwks: JSONWebKeySet;
  issue(options: IssueOptions): Promise<string>;
  /** Verifies an `Authorization` header value; undefined when API Gateway would answer 401. */
  authorize(authorization: string | undefined): Promise<{ claims: AuthorizerClaims; scopes: string[] | null } | undefined>;
}

const DEFAULT_TTL_SECONDS = 12 * 60 * 60;
const ALGORITHM = 'RS256';

interface StoredKey {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

async function loadOrCreateKey(file: string | undefined): Promise<StoredKey> {
  if (file && existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
    if (stored.privateJwk?.kty === 'RSA' && stored.publicJwk?.kid) return stored;
  }
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const stored: StoredKey = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' },
  };
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  return stored;
}

export async function createDevJwt(options: DevJwtOptions): Promise<DevJwt> {
  const key = await loadOrCreateKey(options.keyFile);
  const privateKey = await importJWK(key.privateJwk, ALGORITHM);
  const jwks: JSONWebKeySet = { keys: [key.publicJwk] };
  const keySet = createLocalJWKSet(jwks);

  return {
    issuer: options.issuer,
    audience: options.audience,
    jwks,
    async issue({ accountId, sub, ttlSeconds = DEFAULT_TTL_SECONDS }) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ [options.accountClaim]: accountId, token_use: 'id' })
        .setProtectedHeader({ alg: ALGORITHM, kid: key.publicJwk.kid!, typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(sub ?? `local-user-${accountId}`)
        .setIssuedAt(Math.min(now, now + ttlSeconds - 1))
        .setExpirationTime(now + ttlSeconds)
        .setJti(crypto.randomUUID())
        .sign(privateKey);
    },
    async authorize(authorization) {
      const token = bearer(authorization);
      if (!token) return undefined;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keySet, { issuer: options.issuer, algorithms: [ALGORITHM], requiredClaims: ['exp'] }));
      } catch {
        return undefined;
      }
      // API Gateway accepts the audience from `aud`, or from `client_id` when `aud` is absent.
      const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
      if (!audiences.includes(options.audience)) return undefined;
      return { claims: stringClaims(payload), scopes: scopesOf(payload) };
    },
  };
}

/** API Gateway reads the token from the Authorization header, with or without the Bearer prefix. */
function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  const token = match ? match[1] : header.trim();
  return token && !/\s/.test(token) ? token : undefined;
}

/** API Gateway flattens claims to strings: arrays as `[a b]`, objects as JSON. */
function stringClaims(payload: JWTPayload): AuthorizerClaims {
  const claims: AuthorizerClaims = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') claims[name] = value;
    else if (Array.isArray(value)) claims[name] = `[${value.join(' ')}]`;
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

function scopesOf(payload: JWTPayload): string[] | null {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.map(String);
  return null;
}
