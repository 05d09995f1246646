import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { toGrantItem, toVenueItem } from '../../../../lambdas/adapters/dynamo/items.js';
import { ErrorBodySchema } from '../../../../lambdas/contract/errors.js';
import { VenueSchema } from '../../../../lambdas/contract/venues.js';
import { MARKETPLACE_CODES } from '../../../../lambdas/domain/marketplaces.js';
import { DAY_MS } from '../../../../lambdas/domain/time.js';
import { handler, makeGetVenueHandler } from '../../../../lambdas/handlers/get-venue.js';
import { A_NOW, aGrantExpiringIn, anAccountWith, venuesServedBy } from '../../../builders/grants.js';
import { InMemoryAccountStore } from '../../../builders/venues.js';
import { aJwtRequest, aLambdaContext, bodyOf } from '../../../builders/requests.js';
import { FakeClock } from '../../../builders/clock.js';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

describe('GET /v1/amazon/venues/{marketplace}', () => {
  const accounts = new InMemoryAccountStore(anAccountWith(aGrantExpiringIn(20 * DAY_MS, A_NOW, { region: 'FE', marketplaces: ['JP'] })));
  const get = makeGetVenueHandler({ accounts, clock: new FakeClock(A_NOW), accountClaim: 'custom:accountId' });

  it('answers 200 with the venue', async () => {
    const result = await get(aJwtRequest({ marketplace: 'JP' }), aLambdaContext());

    expect(result.statusCode).toBe(200);
    expect(VenueSchema.parse(bodyOf(result))).toMatchObject({ marketplace: 'JP', domain: 'amazon.co.jp', token: { status: 'expiring', message: 'Expires in 20 days', daysRemaining: 20 } });
  });

  it('accepts the marketplace code in any letter case', async () => {
    const result = await get(aJwtRequest({ marketplace: 'jp' }), aLambdaContext());

    expect(VenueSchema.parse(bodyOf(result)).marketplace).toBe('JP');
  });

  it.each(['GB', 'XX', '', 'amazon.de', 'U K', '../UK', 'A1F83G8C2ARO7P', 'x'.repeat(500)])('answers 400 UNKNOWN_MARKETPLACE for "%s", listing the valid codes', async (code) => {
    const result = await get(aJwtRequest({ marketplace: code }), aLambdaContext());

    expect(result.statusCode).toBe(400);
    const { error } = ErrorBodySchema.parse(bodyOf(result));
    expect(error.code).toBe('UNKNOWN_MARKETPLACE');
    expect(error.details).toEqual({ validMarketplaces: [...MARKETPLACE_CODES] });
    expect(error.message).toContain('US, CA, MX');
    expect(error.message.length).toBeLessThan(300);
  });

  it('answers 401 before looking at the marketplace when the JWT carries no account', async () => {
    const result = await get(aJwtRequest({ marketplace: 'nope', claims: {} }), aLambdaContext());

    expect(result.statusCode).toBe(401);
  });

  it('in production wiring reads the venue with one Query', async () => {
    const grant = aGrantExpiringIn(400 * DAY_MS, new Date());
    ddb.on(QueryCommand).resolves({ Items: [...venuesServedBy(grant).map(toVenueItem), toGrantItem(grant)] });

    const result = await handler(aJwtRequest({ marketplace: 'DE' }), aLambdaContext());

    expect(VenueSchema.parse(bodyOf(result))).toMatchObject({ marketplace: 'DE', token: { status: 'current' }, activation: { allowed: true } });
    expect(ddb.calls()).toHaveLength(1);
  });
});
