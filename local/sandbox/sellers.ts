import { type MarketplaceCode, type Region, marketplace } from '../../lambdas/domain/marketplaces.js';

/**
 * The sandbox's sellers and the marketplace facts Amazon's Sellers API reports that the
 * service's catalog does not hold (currency, language, ISO country code, display name).
 */

export interface TestSeller {
  /** Amazon's `selling_partner_id` (merchant token): upper-case letters and digits. */
  readonly sellingPartnerId: string;
  /** What the Sellers API reports as `storeName`. */
  readonly storeName: string;
  /** One line for the seller picker, e.g. "EU unified account". */
  readonly description: string;
  /** Marketplaces the seller participates in, across regions. */
  readonly marketplaces: readonly MarketplaceCode[];
  /** Marketplaces where the seller's listings are inactive (`hasSuspendedListings: true`). */
  readonly suspendedListingsIn: readonly MarketplaceCode[];
}

export const TEST_SELLERS: readonly TestSeller[] = [
  {
    sellingPartnerId: 'ASANDBOXNA0001',
    storeName: 'Sandbox Trading Co.',
    description: 'North America unified account',
    marketplaces: ['US', 'CA', 'MX'],
    suspendedListingsIn: [],
  },
  {
    sellingPartnerId: 'ASANDBOXEU0001',
    storeName: 'Sandbox Trading Europe',
    description: 'Europe unified account',
    marketplaces: ['UK', 'DE', 'FR', 'IT', 'ES'],
    suspendedListingsIn: [],
  },
  {
    sellingPartnerId: 'ASANDBOXJP0001',
    storeName: 'Sandbox Shoten',
    description: 'Japan account',
    marketplaces: ['JP'],
    suspendedListingsIn: [],
  },
  {
    sellingPartnerId: 'ASANDBOXEU0002',
    storeName: 'Sandbox Crafts',
    description: 'Europe account, not registered in Germany',
    marketplaces: ['UK', 'FR', 'IT', 'ES'],
    suspendedListingsIn: ['IT'],
  },
];

export function findSeller(sellingPartnerId: string): TestSeller | undefined {
  return TEST_SELLERS.find((s) => s.sellingPartnerId === sellingPartnerId);
}

export function sellsOn(seller: TestSeller, code: MarketplaceCode): boolean {
  return seller.marketplaces.includes(code);
}

/**
 * The seller Seller Central would have signed in on this marketplace: one who sells there,
 * else one from the same region (a seller who is not registered there), else the first.
 */
export function preselectedSeller(code: MarketplaceCode): TestSeller {
  const region = marketplace(code).region;
  return (
    TEST_SELLERS.find((s) => sellsOn(s, code)) ??
    TEST_SELLERS.find((s) => s.marketplaces.some((m) => marketplace(m).region === region)) ??
    (TEST_SELLERS[0] as TestSeller)
  );
}

interface MarketplaceFacts {
  readonly countryCode: string;
  readonly currency: string;
  readonly language: string;
}

/** Amazon reports locale-style language codes (`en_GB`) and ISO 3166 countries (`GB` for the UK). */
const FACTS: Readonly<Record<MarketplaceCode, MarketplaceFacts>> = {
  US: { countryCode: 'US', currency: 'USD', language: 'en_US' },
  CA: { countryCode: 'CA', currency: 'CAD', language: 'en_CA' },
  MX: { countryCode: 'MX', currency: 'MXN', language: 'es_MX' },
  BR: { countryCode: 'BR', currency: 'BRL', language: 'pt_BR' },
  UK: { countryCode: 'GB', currency: 'GBP', language: 'en_GB' },
  DE: { countryCode: 'DE', currency: 'EUR', language: 'de_DE' },
  FR: { countryCode: 'FR', currency: 'EUR', language: 'fr_FR' },
  IT: { countryCode: 'IT', currency: 'EUR', language: 'it_IT' },
  ES: { countryCode: 'ES', currency: 'EUR', language: 'es_ES' },
  NL: { countryCode: 'NL', currency: 'EUR', language: 'nl_NL' },
  SE: { countryCode: 'SE', currency: 'SEK', language: 'sv_SE' },
  PL: { countryCode: 'PL', currency: 'PLN', language: 'pl_PL' },
  BE: { countryCode: 'BE', currency: 'EUR', language: 'fr_BE' },
  IE: { countryCode: 'IE', currency: 'EUR', language: 'en_IE' },
  TR: { countryCode: 'TR', currency: 'TRY', language: 'tr_TR' },
  EG: { countryCode: 'EG', currency: 'EGP', language: 'ar_EG' },
  SA: { countryCode: 'SA', currency: 'SAR', language: 'ar_SA' },
  AE: { countryCode: 'AE', currency: 'AED', language: 'en_AE' },
  IN: { countryCode: 'IN', currency: 'INR', language: 'en_IN' },
  ZA: { countryCode: 'ZA', currency: 'ZAR', language: 'en_ZA' },
  JP: { countryCode: 'JP', currency: 'JPY', language: 'ja_JP' },
  AU: { countryCode: 'AU', currency: 'AUD', language: 'en_AU' },
  SG: { countryCode: 'SG', currency: 'SGD', language: 'en_SG' },
};

/**
 * "Non-Amazon" marketplace ids Amazon attaches to an account for multi-channel fulfilment
 * (community-collected, models#1367); the real API returns them among the participations.
 */
export const NON_AMAZON_MARKETPLACE_IDS: Readonly<Partial<Record<MarketplaceCode, string>>> = {
  US: 'A2ZV50J4W1RKNI',
  CA: 'A1MQXOICRS2Z7M',
  MX: 'A3H6HPSLHAK3XG',
  UK: 'AZMDEXL2RVFNN',
  DE: 'A38D8NSA03LJTC',
  FR: 'A1ZFFQZ3HTUKT9',
  IT: 'A62U237T8HV6N',
  ES: 'AFQLKURYRPEL8',
  JP: 'A1VN0HAN483KP2',
};

/** One element of `GetMarketplaceParticipationsResponse.payload` (Amazon's sellers model). */
export interface MarketplaceParticipation {
  marketplace: {
    id: string;
    name: string;
    countryCode: string;
    defaultCurrencyCode: string;
    defaultLanguageCode: string;
    domainName: string;
  };
  participation: { isParticipating: boolean; hasSuspendedListings: boolean };
  storeName: string;
}

/**
 * What `GET /sellers/v1/marketplaceParticipations` answers for a grant: the seller's
 * marketplaces in the grant's region, each followed by its non-Amazon twin where one exists.
 */
export function participationsFor(seller: TestSeller, region: Region): MarketplaceParticipation[] {
  const result: MarketplaceParticipation[] = [];
  for (const code of seller.marketplaces) {
    const m = marketplace(code);
    if (m.region !== region) continue;
    const facts = FACTS[code];
    const base = { countryCode: facts.countryCode, defaultCurrencyCode: facts.currency, defaultLanguageCode: facts.language };
    result.push({
      marketplace: { id: m.id, name: `Amazon${m.domain.slice('amazon'.length)}`, ...base, domainName: `www.${m.domain}` },
      participation: { isParticipating: true, hasSuspendedListings: seller.suspendedListingsIn.includes(code) },
      storeName: seller.storeName,
    });
    const nonAmazonId = NON_AMAZON_MARKETPLACE_IDS[code];
    if (nonAmazonId) {
      result.push({
        marketplace: { id: nonAmazonId, name: 'Non-Amazon', ...base, domainName: `sim1.stores.${m.domain}` },
        participation: { isParticipating: true, hasSuspendedListings: false },
        storeName: seller.storeName,
      });
    }
  }
  return result;
}
