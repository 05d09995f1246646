import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as z from 'zod';
import { MINUTE, type Harness, grant, participations, refresh, startSandbox, type Tokens } from './harness.js';

/** Amazon's sellers model (GetMarketplaceParticipationsResponse), written out as a schema. */
const MarketplaceSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  countryCode: z.string().regex(/^([A-Z]{2})$/),
  defaultCurrencyCode: z.string(),
  defaultLanguageCode: z.string(),
  domainName: z.string(),
});
const ParticipationSchema = z.strictObject({ isParticipating: z.boolean(), hasSuspendedListings: z.boolean() });
const ErrorSchema = z.strictObject({ code: z.string(), message: z.string(), details: z.string().optional() });
const GetMarketplaceParticipationsResponse = z.strictObject({
  payload: z.array(z.strictObject({ marketplace: MarketplaceSchema, participation: ParticipationSchema, storeName: z.string() })).optional(),
  errors: z.array(ErrorSchema).optional(),
});
type Payload = NonNullable<z.infer<typeof GetMarketplaceParticipationsResponse>['payload']>;

const IDS = { US: 'ATVPDKIKX0DER', CA: 'A2EUQ1WTGCTBG2', MX: 'A1AM78C64UM0Y8', UK: 'A1F83G8C2ARO7P', DE: 'A1PA6795UKMFR9', FR: 'A13V1IB3VIYZZH', IT: 'APJ6JRA9NG5V4', ES: 'A1RKKUPIHCS9HS', JP: 'A1VC38T7YXB528' };

describe('Amazon sandbox: Sellers API marketplaceParticipations', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  async function payloadFor(mp: string, seller?: string): Promise<Payload> {
    const tokens = await grant(h, mp, seller);
    const response = await participations(h, tokens.access_token);
    expect(response.status).toBe(200);
    const body = GetMarketplaceParticipationsResponse.parse(await response.json());
    return body.payload ?? [];
  }

  it('answers in Amazon\'s shape for the unified EU seller, with every EU marketplace and the non-Amazon ids', async () => {
    // Act
    const payload = await payloadFor('uk', 'ASANDBOXEU0001');

    // Assess
    const ids = payload.map((p) => p.marketplace.id);
    expect(ids).toEqual(expect.arrayContaining([IDS.UK, IDS.DE, IDS.FR, IDS.IT, IDS.ES, 'A1ZFFQZ3HTUKT9']));
    expect(payload.find((p) => p.marketplace.id === 'A1ZFFQZ3HTUKT9')?.marketplace.name).toBe('Non-Amazon');
    expect(payload.find((p) => p.marketplace.id === IDS.UK)).toEqual({
      marketplace: { id: IDS.UK, name: 'Amazon.co.uk', countryCode: 'GB', defaultCurrencyCode: 'GBP', defaultLanguageCode: 'en_GB', domainName: 'www.amazon.co.uk' },
      participation: { isParticipating: true, hasSuspendedListings: false },
      storeName: 'Sandbox Trading Europe',
    });
    expect(ids).not.toContain(IDS.US);
  });

  it('leaves Germany out for the EU seller who is not registered there', async () => {
    // Act
    const payload = await payloadFor('de', 'ASANDBOXEU0002');

    // Assess
    const ids = payload.map((p) => p.marketplace.id);
    expect(ids).toEqual(expect.arrayContaining([IDS.UK, IDS.FR, IDS.IT, IDS.ES, 'A1ZFFQZ3HTUKT9']));
    expect(ids).not.toContain(IDS.DE);
    expect(ids).not.toContain('A38D8NSA03LJTC');
    expect(payload.find((p) => p.marketplace.id === IDS.IT)?.participation.hasSuspendedListings).toBe(true);
  });

  it('answers the NA seller\'s marketplaces', async () => {
    // Act
    const payload = await payloadFor('us');

    // Assess
    const ids = payload.map((p) => p.marketplace.id);
    expect(ids).toEqual(expect.arrayContaining([IDS.US, IDS.CA, IDS.MX, 'A2ZV50J4W1RKNI']));
    expect(payload.find((p) => p.marketplace.id === IDS.MX)?.marketplace.defaultCurrencyCode).toBe('MXN');
  });

  it('answers Japan alone for the JP seller', async () => {
    // Act
    const payload = await payloadFor('jp');

    // Assess
    const amazonIds = payload.filter((p) => p.marketplace.name !== 'Non-Amazon').map((p) => p.marketplace.id);
    expect(amazonIds).toEqual([IDS.JP]);
  });

  it('answers an empty list for a seller who authorized from another region', async () => {
    // Act: the NA seller signs in on amazon.co.uk's Seller Central.
    const payload = await payloadFor('uk', 'ASANDBOXNA0001');

    // Assess
    expect(payload).toEqual([]);
  });

  it.each([
    ['no access token', undefined],
    ['an access token it never issued', 'Atza|forged'],
  ])('answers 403 Unauthorized for %s', async (_name, token) => {
    // Act
    const response = await participations(h, token);

    // Assess
    expect(response.status).toBe(403);
    expect(GetMarketplaceParticipationsResponse.parse(await response.json())).toEqual({
      errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided is revoked, malformed or invalid.' }],
    });
  });

  it('answers 403 once the access token is an hour old, and 200 with a refreshed one', async () => {
    // Prepare
    const tokens = await grant(h, 'uk');
    h.clock.advance(60 * MINUTE);

    // Act
    const stale = await participations(h, tokens.access_token);
    const fresh = (await (await refresh(h, tokens.refresh_token)).json()) as Tokens;
    const renewed = await participations(h, fresh.access_token);

    // Assess
    expect(stale.status).toBe(403);
    expect(renewed.status).toBe(200);
  });

  it('sends a request id, counts the calls and logs no token', async () => {
    // Prepare
    const tokens = await grant(h, 'uk');

    // Act
    const response = await participations(h, tokens.access_token);
    await participations(h);

    // Assess
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.sandbox.stats().participationsRequests).toBe(2);
    expect(h.logs.join('\n')).not.toMatch(/Atz[ar]\|/);
  });
});
