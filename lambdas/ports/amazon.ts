import type { MarketplaceCode, Region } from '../domain/marketplaces.js';

/** What LWA answers for a code exchange or a refresh. Never logged, never stored outside Secrets Manager. */
export interface LwaTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresInSeconds: number;
}

/** Amazon's LWA token endpoint. It fails with the LWA and Amazon failures of ports/failures.ts. */
export interface LwaTokenClient {
  /** Exchanges an authorization code. Sent at most once per code: never retried, even after a timeout. */
  exchangeCode(code: string): Promise<LwaTokens>;
  /** Refreshes an access token; transient failures are retried with backoff and jitter. */
  refresh(refreshToken: string): Promise<Omit<LwaTokens, 'refreshToken'> & { refreshToken: string | null }>;
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
  /** `GET /sellers/v1/marketplaceParticipations` on the region's host; non-catalog ids are dropped. Fails with SellersApiError or AmazonTransientError. */
  marketplaceParticipations(region: Region, accessToken: string): Promise<readonly MarketplaceParticipation[]>;
}

