/**
 * Display facts the HTTP contract does not carry (marketplace names, region titles), so the page
 * can name a marketplace even before the API answers (the connect view needs its list at once).
 * Codes, domains and order mirror lambdas/domain/marketplaces.ts; the API's answer wins where
 * both exist.
 */

export const REGION_TITLES = Object.freeze({ NA: 'North America', EU: 'Europe', FE: 'Far East' });

/** Why a region's marketplaces share one authorization, in the seller's words. */
export const REGION_NOTES = Object.freeze({
  NA: 'One Amazon authorization covers all your North American marketplaces. Authorize from any of them: Amazon then tells us where your seller account is registered to sell.',
  EU: 'One Amazon authorization covers all your European marketplaces. Authorize from any of them: Amazon then tells us where your seller account is registered to sell.',
  FE: 'Each Far East marketplace is authorized on its own: authorize every marketplace you want AoB to use.',
});

export const MARKETPLACES = Object.freeze([
  { code: 'US', name: 'United States', domain: 'amazon.com', region: 'NA' },
  { code: 'CA', name: 'Canada', domain: 'amazon.ca', region: 'NA' },
  { code: 'MX', name: 'Mexico', domain: 'amazon.com.mx', region: 'NA' },
  { code: 'BR', name: 'Brazil', domain: 'amazon.com.br', region: 'NA' },
  { code: 'UK', name: 'United Kingdom', domain: 'amazon.co.uk', region: 'EU' },
  { code: 'DE', name: 'Germany', domain: 'amazon.de', region: 'EU' },
  { code: 'FR', name: 'France', domain: 'amazon.fr', region: 'EU' },
  { code: 'IT', name: 'Italy', domain: 'amazon.it', region: 'EU' },
  { code: 'ES', name: 'Spain', domain: 'amazon.es', region: 'EU' },
  { code: 'NL', name: 'Netherlands', domain: 'amazon.nl', region: 'EU' },
  { code: 'SE', name: 'Sweden', domain: 'amazon.se', region: 'EU' },
  { code: 'PL', name: 'Poland', domain: 'amazon.pl', region: 'EU' },
  { code: 'BE', name: 'Belgium', domain: 'amazon.com.be', region: 'EU' },
  { code: 'IE', name: 'Ireland', domain: 'amazon.ie', region: 'EU' },
  { code: 'TR', name: 'Turkey', domain: 'amazon.com.tr', region: 'EU' },
  { code: 'EG', name: 'Egypt', domain: 'amazon.eg', region: 'EU' },
  { code: 'SA', name: 'Saudi Arabia', domain: 'amazon.sa', region: 'EU' },
  { code: 'AE', name: 'United Arab Emirates', domain: 'amazon.ae', region: 'EU' },
  { code: 'IN', name: 'India', domain: 'amazon.in', region: 'EU' },
  { code: 'ZA', name: 'South Africa', domain: 'amazon.co.za', region: 'EU' },
  { code: 'JP', name: 'Japan', domain: 'amazon.co.jp', region: 'FE' },
  { code: 'AU', name: 'Australia', domain: 'amazon.com.au', region: 'FE' },
  { code: 'SG', name: 'Singapore', domain: 'amazon.sg', region: 'FE' },
]);

const byCode = new Map(MARKETPLACES.map((m) => [m.code, m]));

/** The marketplace's display facts; unknown codes (a newer API) fall back to the code itself. */
export function marketplaceInfo(code) {
  return byCode.get(code) ?? { code, name: code, domain: code, region: '' };
}

export function regionTitle(region) {
  return REGION_TITLES[region] ?? region;
}
