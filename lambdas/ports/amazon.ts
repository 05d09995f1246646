import type { MarketplaceCode, Region } from '../domain/marketplaces.js';

/** What LWA answers for a code exchange or a refresh. Never logged, never stored outside Secrets Manager. */
export interface LwaTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresInSeconds: number;
}

/** Amazon's LWA token endpoint. */
export interface LwaTokenClient {
  /** Exchanges an authorization code. Sent at most once per code: never retried, even after a timeout. */
  exchangeCode(code: string): Promise<LwaTokens>;
  /** Refreshes an access token; transient failures are retried with backoff and jitter. */
  refresh(refreshToken: string): Promise<Omit<LwaTokens, 'refreshToken'> & { refreshToken: string | null }>;
}

/** LWA answered `invalid_grant`: the code is bad/used/expired, or the refresh token was revoked. */
export class LwaInvalidGrantError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('LWA answered invalid_grant', options);
    this.name = 'LwaInvalidGrantError';
  }
}

/** LWA refused the app's client credentials (`invalid_client`), even after reloading them. */
export class LwaInvalidClientError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('LWA answered invalid_client', options);
    this.name = 'LwaInvalidClientError';
  }
}

/** Another OAuth error (unauthorized_client, invalid_request, invalid_scope, access_denied, …). */
export class LwaOAuthError extends Error {
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
  constructor(
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`${what}: Amazon did not answer usably`, options);
    this.name = 'AmazonTransientError';
  }
}

/** One marketplace of the seller, from the Sellers API, limited to the catalog. */
export interface MarketplaceParticipation {
  readonly marketplace: MarketplaceCode;
  readonly isParticipating: boolean;
  readonly hasSuspendedListings: boolean;
  /** The seller's store name on that marketplace, as the Sellers API reports it (shown before a flow started on Amazon is saved). */
  readonly storeName?: string;
}

export interface SellersApi {
  /** `GET /sellers/v1/marketplaceParticipations` on the region's host; non-catalog ids are dropped. */
  marketplaceParticipations(region: Region, accessToken: string): Promise<readonly MarketplaceParticipation[]>;
}

/** The Sellers API refused the access token or the request (4xx other than 429). */
export class SellersApiError extends Error {
  constructor(readonly httpStatus: number) {
    super(`Sellers API answered HTTP ${httpStatus}`);
    this.name = 'SellersApiError';
  }
}
