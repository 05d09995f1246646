/**
 * The Amazon marketplace catalog: every fact about a marketplace the service depends on, in one
 * place. Seller Central hosts are the detail most likely to drift, so the `amazon_callback_uri`
 * allow-list and the consent URLs are derived from this table rather than written again.
 */

export type Region = 'NA' | 'EU' | 'FE';

export interface RegionInfo {
  readonly region: Region;
  /** Regional SP-API host. */
  readonly spApiHost: string;
  /** AWS region the SP-API endpoint lives in. */
  readonly awsRegion: string;
  /**
   * In NA and EU one consent covers every marketplace of the seller's unified account in the
   * region; FE marketplaces are authorized one by one.
   */
  readonly perMarketplaceGrant: boolean;
}

export const REGIONS: Readonly<Record<Region, RegionInfo>> = {
  NA: { region: 'NA', spApiHost: 'sellingpartnerapi-na.amazon.com', awsRegion: 'us-east-1', perMarketplaceGrant: false },
  EU: { region: 'EU', spApiHost: 'sellingpartnerapi-eu.amazon.com', awsRegion: 'eu-west-1', perMarketplaceGrant: false },
  FE: { region: 'FE', spApiHost: 'sellingpartnerapi-fe.amazon.com', awsRegion: 'us-west-2', perMarketplaceGrant: true },
};

export const REGION_ORDER: readonly Region[] = ['NA', 'EU', 'FE'];

export interface Marketplace {
  readonly code: MarketplaceCode;
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly region: Region;
  /** https origin of the Seller Central site that serves this marketplace. */
  readonly sellerCentralOrigin: string;
}

const SC_EUROPE = 'https://sellercentral-europe.amazon.com';

/** NA → EU → FE, the order the Venue Settings page shows. */
export const MARKETPLACES = [
  { code: 'US', id: 'ATVPDKIKX0DER', name: 'United States', domain: 'amazon.com', region: 'NA', sellerCentralOrigin: 'https://sellercentral.amazon.com' },
  { code: 'CA', id: 'A2EUQ1WTGCTBG2', name: 'Canada', domain: 'amazon.ca', region: 'NA', sellerCentralOrigin: 'https://sellercentral.amazon.ca' },
  { code: 'MX', id: 'A1AM78C64UM0Y8', name: 'Mexico', domain: 'amazon.com.mx', region: 'NA', sellerCentralOrigin: 'https://sellercentral.amazon.com.mx' },
  { code: 'BR', id: 'A2Q3Y263D00KWC', name: 'Brazil', domain: 'amazon.com.br', region: 'NA', sellerCentralOrigin: 'https://sellercentral.amazon.com.br' },
  { code: 'UK', id: 'A1F83G8C2ARO7P', name: 'United Kingdom', domain: 'amazon.co.uk', region: 'EU', sellerCentralOrigin: SC_EUROPE },
  { code: 'DE', id: 'A1PA6795UKMFR9', name: 'Germany', domain: 'amazon.de', region: 'EU', sellerCentralOrigin: SC_EUROPE },
  { code: 'FR', id: 'A13V1IB3VIYZZH', name: 'France', domain: 'amazon.fr', region: 'EU', sellerCentralOrigin: SC_EUROPE },
  { code: 'IT', id: 'APJ6JRA9NG5V4', name: 'Italy', domain: 'amazon.it', region: 'EU', sellerCentralOrigin: SC_EUROPE },
  { code: 'ES', id: 'A1RKKUPIHCS9HS', name: 'Spain', domain: 'amazon.es', region: 'EU', sellerCentralOrigin: SC_EUROPE },
  { code: 'NL', id: 'A1805IZSGTT6HS', name: 'Netherlands', domain: 'amazon.nl', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.nl' },
  { code: 'SE', id: 'A2NODRKZP88ZB9', name: 'Sweden', domain: 'amazon.se', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.se' },
  { code: 'PL', id: 'A1C3SOZRARQ6R3', name: 'Poland', domain: 'amazon.pl', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.pl' },
  { code: 'BE', id: 'AMEN7PMS3EDWL', name: 'Belgium', domain: 'amazon.com.be', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.com.be' },
  // IE and ZA Seller Central hosts are not confirmed by Amazon's published list; revisit if consent fails there.
  { code: 'IE', id: 'A28R8C7NBKEWEA', name: 'Ireland', domain: 'amazon.ie', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.ie' },
  { code: 'TR', id: 'A33AVAJ2PDY3EV', name: 'Turkey', domain: 'amazon.com.tr', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.com.tr' },
  { code: 'EG', id: 'ARBP9OOSHTCHU', name: 'Egypt', domain: 'amazon.eg', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.eg' },
  { code: 'SA', id: 'A17E79C6D8DWNP', name: 'Saudi Arabia', domain: 'amazon.sa', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.sa' },
  { code: 'AE', id: 'A2VIGQ35RCS4UG', name: 'United Arab Emirates', domain: 'amazon.ae', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.ae' },
  { code: 'IN', id: 'A21TJRUUN4KGV', name: 'India', domain: 'amazon.in', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.in' },
  { code: 'ZA', id: 'AE08WJ6YKNBMC', name: 'South Africa', domain: 'amazon.co.za', region: 'EU', sellerCentralOrigin: 'https://sellercentral.amazon.co.za' },
  { code: 'JP', id: 'A1VC38T7YXB528', name: 'Japan', domain: 'amazon.co.jp', region: 'FE', sellerCentralOrigin: 'https://sellercentral.amazon.co.jp' },
  { code: 'AU', id: 'A39IBJ37TRP1C6', name: 'Australia', domain: 'amazon.com.au', region: 'FE', sellerCentralOrigin: 'https://sellercentral.amazon.com.au' },
  { code: 'SG', id: 'A19VAU5U5O7RUS', name: 'Singapore', domain: 'amazon.sg', region: 'FE', sellerCentralOrigin: 'https://sellercentral.amazon.sg' },
] as const satisfies readonly (Omit<Marketplace, 'code' | 'region'> & { code: string; region: Region })[];

export type MarketplaceCode = (typeof MARKETPLACES)[number]['code'];

export const MARKETPLACE_CODES: readonly MarketplaceCode[] = /* @__PURE__ */ MARKETPLACES.map((m) => m.code);

const byCode = /* @__PURE__ */ new Map<string, Marketplace>(/* @__PURE__ */ MARKETPLACES.map((m) => [m.code, m]));
const byId = /* @__PURE__ */ new Map<string, Marketplace>(/* @__PURE__ */ MARKETPLACES.map((m) => [m.id, m]));

export function isMarketplaceCode(value: string): value is MarketplaceCode {
  return byCode.has(value);
}

export function marketplace(code: MarketplaceCode): Marketplace {
  // Every MarketplaceCode is in the map by construction.
  return byCode.get(code) as Marketplace;
}

/** The catalog entry for an Amazon marketplace id, or undefined for ids outside the catalog (e.g. multi-channel fulfilment ids). */
export function marketplaceById(id: string): Marketplace | undefined {
  return byId.get(id);
}

export function marketplacesInRegion(region: Region): readonly Marketplace[] {
  return MARKETPLACES.filter((m) => m.region === region);
}

/**
 * The marketplaces one grant covers: every marketplace of the region in NA and EU, only the
 * authorized marketplace in FE.
 */
export function marketplacesCoveredBy(code: MarketplaceCode): readonly Marketplace[] {
  const m = marketplace(code);
  return REGIONS[m.region].perMarketplaceGrant ? [m] : marketplacesInRegion(m.region);
}

/** Hosts Amazon may legitimately send a seller back through (`amazon_callback_uri`). */
export const SELLER_CENTRAL_HOSTS: ReadonlySet<string> = /* @__PURE__ */ new Set(/* @__PURE__ */ MARKETPLACES.map((m) => new URL(m.sellerCentralOrigin).host));

export interface ConsentUrlInput {
  readonly marketplace: MarketplaceCode;
  readonly applicationId: string;
  readonly state: string;
  /** `version=beta` is required while the app is a draft, and must not be sent once published. */
  readonly draftApp: boolean;
  /** Local sandbox only: see {@link sellerCentralBase}. */
  readonly sellerCentralUrlOverride?: string | undefined;
}

/**
 * The Seller Central base URL for a marketplace. The local sandbox replaces Amazon's hosts with
 * one base URL template such as `http://127.0.0.1:3001/sellercentral/{marketplace}`, so that
 * it can tell which marketplace is being authorized, as the real host does.
 */
export function sellerCentralBase(code: MarketplaceCode, override?: string): string {
  return override ? override.replace('{marketplace}', code.toLowerCase()) : marketplace(code).sellerCentralOrigin;
}

export function consentUrl(input: ConsentUrlInput): URL {
  const url = new URL(`${sellerCentralBase(input.marketplace, input.sellerCentralUrlOverride)}/apps/authorize/consent`);
  url.searchParams.set('application_id', input.applicationId);
  url.searchParams.set('state', input.state);
  if (input.draftApp) url.searchParams.set('version', 'beta');
  return url;
}
