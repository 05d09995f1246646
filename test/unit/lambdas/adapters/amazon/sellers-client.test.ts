import { SellersClient, toParticipations } from '../../../../../lambdas/adapters/amazon/sellers-client.js';
import { marketplace } from '../../../../../lambdas/domain/marketplaces.js';
import { AmazonTransientError, SellersApiError } from '../../../../../lambdas/ports/failures.js';
import { fakeAmazon, jsonResponse, scriptedFetch } from '../../../../builders/auth.js';

/** The Sellers API client: participations on the regional host. */

describe('SellersClient', () => {
  it('reads participations on the regional host with x-amz-access-token and keeps catalog marketplaces only', async () => {
    const amazon = fakeAmazon({ participations: { [marketplace('UK').id]: true, [marketplace('DE').id]: false } });
    const result = await new SellersClient({ fetch: amazon.fetch }).marketplaceParticipations('EU', 'Atza|x');
    expect(result).toEqual([
      { marketplace: 'UK', isParticipating: true, hasSuspendedListings: false, storeName: 'Test Store' },
      { marketplace: 'DE', isParticipating: false, hasSuspendedListings: false, storeName: 'Test Store' },
    ]);
    const [call] = amazon.calls;
    expect(call?.url).toBe('https://sellingpartnerapi-eu.amazon.com/sellers/v1/marketplaceParticipations');
    expect(call?.init.headers).toMatchObject({ 'x-amz-access-token': 'Atza|x', 'user-agent': expect.stringContaining('aob-amazon-connect') });
    expect(call?.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('uses the endpoint override (local sandbox) for every region', async () => {
    const amazon = fakeAmazon({});
    await new SellersClient({ fetch: amazon.fetch, endpointOverride: 'http://127.0.0.1:3001/' }).marketplaceParticipations('FE', 't');
    expect(amazon.calls[0]?.url).toBe('http://127.0.0.1:3001/sellers/v1/marketplaceParticipations');
  });

  it.each([
    ['a timeout', 'hang' as const, AmazonTransientError],
    ['HTTP 500', jsonResponse(500, {}), AmazonTransientError],
    ['HTTP 429', jsonResponse(429, {}), AmazonTransientError],
    ['HTTP 403', jsonResponse(403, { errors: [{ code: 'Unauthorized', message: 'denied' }] }), SellersApiError],
    ['a body not in Amazon’s shape', jsonResponse(200, { payload: [{ marketplace: { id: 1 } }] }), AmazonTransientError],
    ['errors without payload', jsonResponse(200, { errors: [{ code: 'x', message: 'y' }] }), AmazonTransientError],
  ])('fails typed on %s', async (_name, answer, type) => {
    const f = scriptedFetch(answer);
    await expect(new SellersClient({ fetch: f.fetch, timeoutMs: 50 }).marketplaceParticipations('NA', 't')).rejects.toBeInstanceOf(type);
  });

  it('merges duplicate entries for one marketplace', () => {
    const entry = (isParticipating: boolean) => ({
      marketplace: { id: marketplace('US').id, name: 'US', countryCode: 'US', defaultCurrencyCode: 'USD', defaultLanguageCode: 'en_US', domainName: 'www.amazon.com' },
      participation: { isParticipating, hasSuspendedListings: false },
      storeName: 's',
    });
    expect(toParticipations({ payload: [entry(false), entry(true)] })).toEqual([{ marketplace: 'US', isParticipating: true, hasSuspendedListings: false, storeName: 's' }]);
  });
});
