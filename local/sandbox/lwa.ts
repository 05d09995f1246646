import { randomBytes } from 'node:crypto';
import { type MarketplaceCode, type Region, REGIONS, marketplace } from '../../lambdas/domain/marketplaces.js';
import { randomAlphanumeric } from './http.js';

/**
 * Login with Amazon's token endpoint and the authorizations behind it, in memory: codes,
 * refresh tokens (one per authorization) and access tokens, all timed by the injected clock.
 */

export const CODE_LIFETIME_MS = 5 * 60 * 1000;
export const ACCESS_TOKEN_LIFETIME_S = 3600;
/** Public-app authorizations lapse after 365 days unless the seller re-authorizes. */
export const AUTHORIZATION_LIFETIME_MS = 365 * 24 * 3600 * 1000;

/** What one consent covers: the seller's unified account in a region, or one marketplace in FE. */
export interface GrantScope {
  readonly sellingPartnerId: string;
  readonly region: Region;
  /** The marketplace the consent was given on; it bounds the grant only where grants are per marketplace (FE). */
  readonly marketplace: MarketplaceCode;
}

export function grantScopeFor(sellingPartnerId: string, code: MarketplaceCode): GrantScope {
  return { sellingPartnerId, region: marketplace(code).region, marketplace: code };
}

function sameGrantScope(a: GrantScope, b: GrantScope): boolean {
  if (a.sellingPartnerId !== b.sellingPartnerId || a.region !== b.region) return false;
  return !REGIONS[a.region].perMarketplaceGrant || a.marketplace === b.marketplace;
}

export interface Authorization {
  readonly scope: GrantScope;
  readonly issuedAt: number;
  readonly expiresAt: number;
  revoked: boolean;
}

interface IssuedCode {
  readonly scope: GrantScope;
  readonly redirectUri: string;
  readonly expiresAt: number;
  used: boolean;
}

interface AccessToken {
  /** Undefined for grantless (client_credentials) tokens, which cannot act for a seller. */
  readonly authorization: Authorization | undefined;
  readonly expiresAt: number;
  /** The grantless scope, e.g. `sellingpartnerapi::client_credential:rotation`. */
  readonly scope?: string;
}

/** A client secret Amazon accepts until `expiresAt`. */
export interface ClientSecret {
  readonly value: string;
  expiresAt: number;
}

/** Amazon's client secrets live 180 days; after a rotation the old one about 7 more days. */
export const CLIENT_SECRET_LIFETIME_MS = 180 * 24 * 3600 * 1000;
export const OLD_SECRET_GRACE_MS = 7 * 24 * 3600 * 1000;

export interface TokenResponse {
  readonly status: number;
  readonly body: Record<string, string | number>;
  /** Ids and outcome only, for the sandbox log. */
  readonly outcome: string;
}

export interface LwaOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * When the initial client secret expires. Default: not until an expiry is announced
   * (`announceExpiry`), so moving the local clock a year ahead does not lapse the app.
   */
  readonly clientSecretExpiresAt?: number;
  readonly redirectUri: string;
  readonly now: () => number;
}

/** Amazon's tokens are long opaque strings; these keep the prefixes the service may recognise. */
function opaqueToken(prefix: 'Atza|' | 'Atzr|'): string {
  return `${prefix}IwEB${randomBytes(180).toString('base64url')}`;
}

function oauthError(status: number, error: string, description: string, outcome: string): TokenResponse {
  return { status, body: { error, error_description: description }, outcome };
}

export class LoginWithAmazon {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, Authorization>();
  private readonly accessTokens = new Map<string, AccessToken>();
  /** Every client secret ever issued, newest last; each is accepted until its own expiry. */
  private readonly secrets: ClientSecret[];

  constructor(private readonly options: LwaOptions) {
    this.secrets = [{ value: options.clientSecret, expiresAt: options.clientSecretExpiresAt ?? Number.POSITIVE_INFINITY }];
  }

  /** Amazon decides when the current secret expires (what its expiry notice then says). */
  announceExpiry(expiresAt: number): void {
    (this.currentSecret() as ClientSecret).expiresAt = expiresAt;
  }

  /** The newest client secret (what the Developer Console shows). */
  currentSecret(): Readonly<ClientSecret> {
    return this.secrets.at(-1) as ClientSecret;
  }

  /**
   * A rotation: a new secret valid 180 days; the one it replaces keeps working until its own
   * expiry or 7 days from now, whichever is sooner. Returns the facts Amazon's
   * APPLICATION_OAUTH_CLIENT_NEW_SECRET notification carries.
   */
  rotateClientSecret(): { newClientSecret: string; newExpiresAt: number; oldExpiresAt: number } {
    const now = this.options.now();
    const old = this.currentSecret() as ClientSecret;
    old.expiresAt = Math.min(old.expiresAt, now + OLD_SECRET_GRACE_MS);
    const fresh: ClientSecret = { value: `amzn1.oa2-cs.v1.sandbox${randomAlphanumeric(40)}`, expiresAt: now + CLIENT_SECRET_LIFETIME_MS };
    this.secrets.push(fresh);
    return { newClientSecret: fresh.value, newExpiresAt: fresh.expiresAt, oldExpiresAt: old.expiresAt };
  }

  secretsExpiry(): { expiresAt: string | null; current: boolean }[] {
    return this.secrets.map((s, i) => ({ expiresAt: Number.isFinite(s.expiresAt) ? new Date(s.expiresAt).toISOString() : null, current: i === this.secrets.length - 1 }));
  }

  /** Whether `secret` is one Amazon issued and has not expired at `now`. */
  private acceptsSecret(secret: string | null): boolean {
    const now = this.options.now();
    return this.secrets.some((s) => s.value === secret && now < s.expiresAt);
  }

  /** The grantless scope an access token was issued for, if it is a live grantless token. */
  grantlessScope(accessToken: string): string | undefined {
    const issued = this.accessTokens.get(accessToken);
    if (!issued || issued.authorization || this.options.now() >= issued.expiresAt) return undefined;
    return issued.scope;
  }

  /** A single-use code for the Redirect URI, valid 5 minutes. */
  issueCode(scope: GrantScope): string {
    const now = this.options.now();
    for (const [code, issued] of this.codes) if (issued.expiresAt < now) this.codes.delete(code);
    const code = `ANsandbox${randomAlphanumeric(24)}`;
    this.codes.set(code, { scope, redirectUri: this.options.redirectUri, expiresAt: now + CODE_LIFETIME_MS, used: false });
    return code;
  }

  /** `POST /auth/o2/token` with its form already parsed. */
  token(form: URLSearchParams): TokenResponse {
    for (const name of new Set(form.keys())) {
      if (form.getAll(name).length > 1) return oauthError(400, 'invalid_request', `The request has a repeated parameter : ${name}`, `repeated ${name}`);
    }
    const grantType = form.get('grant_type');
    if (!grantType) return oauthError(400, 'invalid_request', 'The request is missing a required parameter : grant_type', 'missing grant_type');
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
      return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server', 'unsupported grant_type');
    }
    for (const name of ['client_id', 'client_secret']) {
      if (!form.get(name)) return oauthError(400, 'invalid_request', `The request is missing a required parameter : ${name}`, `${grantType} missing ${name}`);
    }
    if (form.get('client_id') !== this.options.clientId || !this.acceptsSecret(form.get('client_secret'))) {
      return this.invalidClient(grantType);
    }
    if (grantType === 'authorization_code') return this.exchangeCode(form);
    if (grantType === 'refresh_token') return this.refresh(form);
    return this.clientCredentials(form);
  }

  invalidClient(grantType: string): TokenResponse {
    return oauthError(401, 'invalid_client', 'Client authentication failed', `${grantType} invalid_client`);
  }

  private exchangeCode(form: URLSearchParams): TokenResponse {
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!code) return oauthError(400, 'invalid_request', 'The request is missing a required parameter : code', 'authorization_code missing code');
    if (!redirectUri) return oauthError(400, 'invalid_request', 'The request is missing a required parameter : redirect_uri', 'authorization_code missing redirect_uri');
    const issued = this.codes.get(code);
    const now = this.options.now();
    const invalid = (why: string) => oauthError(400, 'invalid_grant', 'The request has an invalid grant parameter : code', `authorization_code invalid_grant (${why})`);
    if (!issued) return invalid('unknown code');
    if (issued.used) return invalid(`code already used, seller=${issued.scope.sellingPartnerId}`);
    if (now > issued.expiresAt) return invalid(`code expired, seller=${issued.scope.sellingPartnerId}`);
    // RFC 6749 §4.1.3: a code is bound to the redirect_uri it was issued for.
    if (redirectUri !== issued.redirectUri) return invalid(`redirect_uri mismatch, seller=${issued.scope.sellingPartnerId}`);
    issued.used = true;
    const authorization: Authorization = { scope: issued.scope, issuedAt: now, expiresAt: now + AUTHORIZATION_LIFETIME_MS, revoked: false };
    const refreshToken = opaqueToken('Atzr|');
    this.refreshTokens.set(refreshToken, authorization);
    return {
      status: 200,
      body: { access_token: this.issueAccessToken(authorization), refresh_token: refreshToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_LIFETIME_S },
      outcome: `authorization_code ok seller=${issued.scope.sellingPartnerId} region=${issued.scope.region} marketplace=${issued.scope.marketplace}`,
    };
  }

  private refresh(form: URLSearchParams): TokenResponse {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) return oauthError(400, 'invalid_request', 'The request is missing a required parameter : refresh_token', 'refresh_token missing refresh_token');
    const authorization = this.refreshTokens.get(refreshToken);
    const invalid = (why: string) => oauthError(400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token', `refresh_token invalid_grant (${why})`);
    if (!authorization) return invalid('unknown token');
    const seller = authorization.scope.sellingPartnerId;
    if (authorization.revoked) return invalid(`revoked, seller=${seller}`);
    if (this.options.now() >= authorization.expiresAt) return invalid(`authorization expired, seller=${seller}`);
    return {
      status: 200,
      body: { access_token: this.issueAccessToken(authorization), refresh_token: refreshToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_LIFETIME_S },
      outcome: `refresh_token ok seller=${seller} region=${authorization.scope.region}`,
    };
  }

  private clientCredentials(form: URLSearchParams): TokenResponse {
    const scope = form.get('scope');
    if (!scope) return oauthError(400, 'invalid_request', 'The request is missing a required parameter : scope', 'client_credentials missing scope');
    if (!/^sellingpartnerapi::[a-z_:]+$/.test(scope)) return oauthError(400, 'invalid_scope', 'An unknown scope was requested', 'client_credentials invalid_scope');
    const accessToken = opaqueToken('Atza|');
    this.accessTokens.set(accessToken, { authorization: undefined, scope, expiresAt: this.options.now() + ACCESS_TOKEN_LIFETIME_S * 1000 });
    return { status: 200, body: { access_token: accessToken, scope, token_type: 'bearer', expires_in: ACCESS_TOKEN_LIFETIME_S }, outcome: 'client_credentials ok' };
  }

  private issueAccessToken(authorization: Authorization): string {
    const now = this.options.now();
    for (const [token, issued] of this.accessTokens) if (issued.expiresAt <= now) this.accessTokens.delete(token);
    const accessToken = opaqueToken('Atza|');
    this.accessTokens.set(accessToken, { authorization, expiresAt: now + ACCESS_TOKEN_LIFETIME_S * 1000 });
    return accessToken;
  }

  /** The seller authorization an `x-amz-access-token` acts for; undefined if it is unknown, expired, grantless or revoked. */
  authorizationFor(accessToken: string): Authorization | undefined {
    const issued = this.accessTokens.get(accessToken);
    if (!issued?.authorization || this.options.now() >= issued.expiresAt || issued.authorization.revoked) return undefined;
    return issued.authorization;
  }

  /** Revokes every authorization the seller has given the app; returns how many were live. */
  revoke(sellingPartnerId: string): number {
    let revoked = 0;
    for (const authorization of this.refreshTokens.values()) {
      if (authorization.scope.sellingPartnerId === sellingPartnerId && !authorization.revoked) {
        authorization.revoked = true;
        revoked += 1;
      }
    }
    return revoked;
  }

  /** The newest live authorization for a scope, which Manage Your Apps shows as "Re-Authorize". */
  liveAuthorization(scope: GrantScope): Authorization | undefined {
    const now = this.options.now();
    let newest: Authorization | undefined;
    for (const authorization of this.refreshTokens.values()) {
      if (authorization.revoked || now >= authorization.expiresAt || !sameGrantScope(authorization.scope, scope)) continue;
      if (!newest || authorization.issuedAt > newest.issuedAt) newest = authorization;
    }
    return newest;
  }
}
