import * as v from 'valibot';
import { type Region, REGIONS, marketplaceById } from '../../domain/marketplaces.js';
import type { MarketplaceParticipation, SellersApi } from '../../ports/amazon.js';
import { AmazonTransientError, SellersApiError } from '../../ports/failures.js';
import { type FetchLike, readJson, spApiRequest } from './http.js';

/** `GetMarketplaceParticipationsResponse` of Amazon's Sellers API model (sellers.json), as Amazon shapes it. */
export const MarketplaceSchema = v.object({
  id: v.string(),
  name: v.string(),
  countryCode: v.string(),
  defaultCurrencyCode: v.string(),
  defaultLanguageCode: v.string(),
  domainName: v.string(),
});
export const ParticipationSchema = v.object({ isParticipating: v.boolean(), hasSuspendedListings: v.boolean() });
export const MarketplaceParticipationSchema = v.object({ marketplace: MarketplaceSchema, participation: ParticipationSchema, storeName: v.string() });
export const ErrorSchema = v.object({ code: v.string(), message: v.string(), details: v.optional(v.string()) });
export const GetMarketplaceParticipationsResponse = v.object({
  payload: v.optional(v.array(MarketplaceParticipationSchema)),
  errors: v.optional(v.array(ErrorSchema)),
});
export type GetMarketplaceParticipationsResponse = v.InferOutput<typeof GetMarketplaceParticipationsResponse>;

export interface SellersClientOptions {
  /** Local sandbox only: one origin for every region instead of Amazon's regional hosts. */
  readonly endpointOverride?: string | undefined;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly userAgent?: string;
}

/**
 * The Sellers API over fetch. Since Oct 2023 SP-API needs no SigV4: the LWA access token in
 * `x-amz-access-token` is enough. Not retried here: its rate is 0.016 req/s and the callback
 * must answer within API Gateway's 29 s.
 */
export class SellersClient implements SellersApi {
  private readonly fetch: FetchLike;

  /** Its configuration as given: `timeoutMs` bounds each call (8 s unless set). */
  constructor(readonly options: SellersClientOptions = {}) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async marketplaceParticipations(region: Region, accessToken: string): Promise<readonly MarketplaceParticipation[]> {
    const origin = (this.options.endpointOverride ?? `https://${REGIONS[region].spApiHost}`).replace(/\/$/, '');
    const response = await spApiRequest(this.fetch, `${origin}/sellers/v1/marketplaceParticipations`, 'GET', accessToken, 'Sellers API', this.options);
    if (response.status >= 500 || response.status === 429) throw new AmazonTransientError(`Sellers API (HTTP ${response.status})`);
    if (!response.ok) throw new SellersApiError(response.status);
    const parsed = v.safeParse(GetMarketplaceParticipationsResponse, await readJson(response));
    if (!parsed.success || !parsed.output.payload) throw new AmazonTransientError('Sellers API (unreadable answer)');
    return toParticipations(parsed.output);
  }
}

/** Catalog marketplaces only (the payload also lists e.g. multi-channel fulfilment ids); one entry per marketplace. */
export function toParticipations(response: GetMarketplaceParticipationsResponse): MarketplaceParticipation[] {
  const byCode = new Map<string, MarketplaceParticipation>();
  for (const p of response.payload ?? []) {
    const m = marketplaceById(p.marketplace.id);
    if (!m) continue;
    const previous = byCode.get(m.code);
    byCode.set(m.code, {
      marketplace: m.code,
      isParticipating: p.participation.isParticipating || (previous?.isParticipating ?? false),
      hasSuspendedListings: p.participation.hasSuspendedListings || (previous?.hasSuspendedListings ?? false),
      ...(previous?.storeName || p.storeName ? { storeName: previous?.storeName || p.storeName } : {}),
    });
  }
  return [...byCode.values()];
}
