import { grantKeyFor, grantKeyForMarketplace } from '../../../../lambdas/domain/grant.js';
import {
  consentUrl,
  isMarketplaceCode,
  marketplace,
  MARKETPLACE_CODES,
  marketplaceById,
  MARKETPLACES,
  marketplacesCoveredBy,
  marketplacesInRegion,
  REGION_ORDER,
  REGIONS,
  SELLER_CENTRAL_HOSTS,
  sellerCentralBase,
} from '../../../../lambdas/domain/marketplaces.js';

/**
 * Amazon's published marketplace facts (SP-API "Marketplace IDs" and "Authorization" pages),
 * written out independently of the catalog so a typo in either shows up here.
 */
const AMAZON = [
  ['US', 'ATVPDKIKX0DER', 'amazon.com', 'NA', 'sellercentral.amazon.com'],
  ['CA', 'A2EUQ1WTGCTBG2', 'amazon.ca', 'NA', 'sellercentral.amazon.ca'],
  ['MX', 'A1AM78C64UM0Y8', 'amazon.com.mx', 'NA', 'sellercentral.amazon.com.mx'],
  ['BR', 'A2Q3Y263D00KWC', 'amazon.com.br', 'NA', 'sellercentral.amazon.com.br'],
  ['UK', 'A1F83G8C2ARO7P', 'amazon.co.uk', 'EU', 'sellercentral-europe.amazon.com'],
  ['DE', 'A1PA6795UKMFR9', 'amazon.de', 'EU', 'sellercentral-europe.amazon.com'],
  ['FR', 'A13V1IB3VIYZZH', 'amazon.fr', 'EU', 'sellercentral-europe.amazon.com'],
  ['IT', 'APJ6JRA9NG5V4', 'amazon.it', 'EU', 'sellercentral-europe.amazon.com'],
  ['ES', 'A1RKKUPIHCS9HS', 'amazon.es', 'EU', 'sellercentral-europe.amazon.com'],
  ['NL', 'A1805IZSGTT6HS', 'amazon.nl', 'EU', 'sellercentral.amazon.nl'],
  ['SE', 'A2NODRKZP88ZB9', 'amazon.se', 'EU', 'sellercentral.amazon.se'],
  ['PL', 'A1C3SOZRARQ6R3', 'amazon.pl', 'EU', 'sellercentral.amazon.pl'],
  ['BE', 'AMEN7PMS3EDWL', 'amazon.com.be', 'EU', 'sellercentral.amazon.com.be'],
  ['IE', 'A28R8C7NBKEWEA', 'amazon.ie', 'EU', 'sellercentral.amazon.ie'],
  ['TR', 'A33AVAJ2PDY3EV', 'amazon.com.tr', 'EU', 'sellercentral.amazon.com.tr'],
  ['EG', 'ARBP9OOSHTCHU', 'amazon.eg', 'EU', 'sellercentral.amazon.eg'],
  ['SA', 'A17E79C6D8DWNP', 'amazon.sa', 'EU', 'sellercentral.amazon.sa'],
  ['AE', 'A2VIGQ35RCS4UG', 'amazon.ae', 'EU', 'sellercentral.amazon.ae'],
  ['IN', 'A21TJRUUN4KGV', 'amazon.in', 'EU', 'sellercentral.amazon.in'],
  ['ZA', 'AE08WJ6YKNBMC', 'amazon.co.za', 'EU', 'sellercentral.amazon.co.za'],
  ['JP', 'A1VC38T7YXB528', 'amazon.co.jp', 'FE', 'sellercentral.amazon.co.jp'],
  ['AU', 'A39IBJ37TRP1C6', 'amazon.com.au', 'FE', 'sellercentral.amazon.com.au'],
  ['SG', 'A19VAU5U5O7RUS', 'amazon.sg', 'FE', 'sellercentral.amazon.sg'],
] as const;

describe('the marketplace catalog', () => {
  it('holds exactly the 23 marketplaces of SP-API, NA → EU → FE', () => {
    expect(MARKETPLACE_CODES).toEqual(AMAZON.map(([code]) => code));
    expect(MARKETPLACES).toHaveLength(23);
  });

  it.each(AMAZON)('%s has marketplace id %s, domain %s, region %s and Seller Central host %s', (code, id, domain, region, host) => {
    const m = marketplace(code);

    expect(m).toMatchObject({ code, id, domain, region, sellerCentralOrigin: `https://${host}` });
    expect(marketplaceById(id)).toBe(m);
  });

  it('has unique codes and marketplace ids', () => {
    expect(new Set(MARKETPLACES.map((m) => m.code)).size).toBe(23);
    expect(new Set(MARKETPLACES.map((m) => m.id)).size).toBe(23);
  });

  it('knows no marketplace outside the catalog, by code or id', () => {
    expect(isMarketplaceCode('GB')).toBe(false);
    expect(isMarketplaceCode('uk')).toBe(false);
    expect(isMarketplaceCode('')).toBe(false);
    expect(isMarketplaceCode('UK')).toBe(true);
    // Amazon's multi-channel fulfilment and non-Amazon ids appear in participations too.
    expect(marketplaceById('A2ZV50J4W1RKNI')).toBeUndefined();
  });

  it('groups marketplaces by region: 4 in NA, 16 in EU, 3 in FE', () => {
    expect(REGION_ORDER).toEqual(['NA', 'EU', 'FE']);
    expect(marketplacesInRegion('NA').map((m) => m.code)).toEqual(['US', 'CA', 'MX', 'BR']);
    expect(marketplacesInRegion('EU').map((m) => m.code)).toEqual(['UK', 'DE', 'FR', 'IT', 'ES', 'NL', 'SE', 'PL', 'BE', 'IE', 'TR', 'EG', 'SA', 'AE', 'IN', 'ZA']);
    expect(marketplacesInRegion('FE').map((m) => m.code)).toEqual(['JP', 'AU', 'SG']);
  });

  it('points each region at its SP-API host and AWS region', () => {
    expect(REGIONS.NA).toMatchObject({ spApiHost: 'sellingpartnerapi-na.amazon.com', awsRegion: 'us-east-1' });
    expect(REGIONS.EU).toMatchObject({ spApiHost: 'sellingpartnerapi-eu.amazon.com', awsRegion: 'eu-west-1' });
    expect(REGIONS.FE).toMatchObject({ spApiHost: 'sellingpartnerapi-fe.amazon.com', awsRegion: 'us-west-2' });
  });
});

describe('what one authorization covers', () => {
  it.each(marketplacesInRegion('NA').map((m) => m.code))('a consent from %s covers every NA marketplace (unified account)', (code) => {
    expect(marketplacesCoveredBy(code).map((m) => m.code)).toEqual(['US', 'CA', 'MX', 'BR']);
  });

  it.each(marketplacesInRegion('EU').map((m) => m.code))('a consent from %s covers every EU marketplace', (code) => {
    expect(marketplacesCoveredBy(code)).toEqual(marketplacesInRegion('EU'));
  });

  it.each(['JP', 'AU', 'SG'] as const)('a consent from %s covers only %s: FE grants are per marketplace', (code) => {
    expect(marketplacesCoveredBy(code).map((m) => m.code)).toEqual([code]);
  });

  it('keys NA and EU grants by region and seller, FE grants also by marketplace', () => {
    expect(grantKeyFor('EU', 'A3SP', 'DE')).toBe('EU#A3SP');
    expect(grantKeyFor('EU', 'A3SP', 'UK')).toBe('EU#A3SP');
    expect(grantKeyFor('NA', 'A3SP', 'MX')).toBe('NA#A3SP');
    expect(grantKeyFor('FE', 'A3SP', 'JP')).toBe('FE#A3SP#JP');
    expect(grantKeyForMarketplace('AU', 'A3SP')).toBe('FE#A3SP#AU');
    expect(grantKeyForMarketplace('SG', 'A3SP')).not.toBe(grantKeyForMarketplace('JP', 'A3SP'));
  });
});

describe('Seller Central hosts Amazon may send a seller back through', () => {
  it('are exactly the hosts of the catalog, https only by construction', () => {
    expect([...SELLER_CENTRAL_HOSTS].sort()).toEqual([...new Set(AMAZON.map((row) => row[4]))].sort());
    expect(SELLER_CENTRAL_HOSTS.size).toBe(19);
  });

  it('do not include look-alikes', () => {
    for (const host of ['sellercentral.amazon.com.evil.tld', 'evil.sellercentral.amazon.com', 'sellercentral.amazon.co', 'amazon.com', 'sellercentral-europe.amazon.co.uk']) {
      expect(SELLER_CENTRAL_HOSTS.has(host)).toBe(false);
    }
  });
});

describe('the consent URL', () => {
  const input = { applicationId: 'amzn1.sp.solution.0000-app', state: 'opaque-state-value', draftApp: false };

  it.each(AMAZON)('for %s opens /apps/authorize/consent on its Seller Central', (code, _id, _domain, _region, host) => {
    const url = consentUrl({ ...input, marketplace: code });

    expect(url.origin).toBe(`https://${host}`);
    expect(url.pathname).toBe('/apps/authorize/consent');
    expect(url.searchParams.get('application_id')).toBe(input.applicationId);
    expect(url.searchParams.get('state')).toBe(input.state);
  });

  it('adds version=beta only while the app is a draft', () => {
    expect(consentUrl({ ...input, marketplace: 'DE' }).searchParams.has('version')).toBe(false);
    expect(consentUrl({ ...input, marketplace: 'DE', draftApp: true }).searchParams.get('version')).toBe('beta');
  });

  it('carries exactly application_id, state and (draft) version', () => {
    const url = consentUrl({ ...input, marketplace: 'JP', draftApp: true });

    expect([...url.searchParams.keys()].sort()).toEqual(['application_id', 'state', 'version']);
  });

  it('encodes the state so it cannot add parameters', () => {
    const url = consentUrl({ ...input, marketplace: 'US', state: 'a&redirect_uri=https://evil.tld' });

    expect(url.searchParams.get('state')).toBe('a&redirect_uri=https://evil.tld');
    expect(url.searchParams.has('redirect_uri')).toBe(false);
  });

  it('uses the local sandbox base URL template when overridden, with the marketplace in it', () => {
    const override = 'http://127.0.0.1:3001/sellercentral/{marketplace}';

    expect(sellerCentralBase('UK', override)).toBe('http://127.0.0.1:3001/sellercentral/uk');
    expect(sellerCentralBase('UK')).toBe('https://sellercentral-europe.amazon.com');
    expect(consentUrl({ ...input, marketplace: 'AU', sellerCentralUrlOverride: override }).toString()).toBe(
      'http://127.0.0.1:3001/sellercentral/au/apps/authorize/consent?application_id=amzn1.sp.solution.0000-app&state=opaque-state-value',
    );
  });
});

describe('the Venue Settings page\'s copy of the catalog (local/web/marketplaces.js)', () => {
  it('lists the same marketplaces as the catalog, in the same order, with the same names, domains and regions', async () => {
    // Prepare: the page is plain browser ES modules without a build step, so it cannot import the
    // catalog; the path is a variable because the page ships no type declarations.
    const pageModule = '../../../../local/web/marketplaces.js';
    const page = (await import(pageModule)) as { MARKETPLACES: readonly { code: string; name: string; domain: string; region: string }[] };

    // Assess
    expect(page.MARKETPLACES).toEqual(MARKETPLACES.map(({ code, name, domain, region }) => ({ code, name, domain, region })));
  });
});
