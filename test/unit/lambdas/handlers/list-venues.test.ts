import { jest } from '@jest/globals';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { toGrantItem, toVenueItem } from '../../../../lambdas/adapters/dynamo/items.js';
import { ErrorBodySchema } from '../../../../lambdas/contract/errors.js';
import { VenueListSchema } from '../../../../lambdas/contract/venues.js';
import { MARKETPLACE_CODES } from '../../../../lambdas/domain/marketplaces.js';
import { handler, makeListVenuesHandler } from '../../../../lambdas/handlers/list-venues.js';
import { logger } from '../../../../lambdas/shared/logger.js';
import { A_NOW, AN_ACCOUNT, aGrant, anAccountWith, venuesServedBy } from '../../../builders/grants.js';
import { InMemoryAccountStore } from '../../../builders/venues.js';
import { aJwtRequest, aLambdaContext, bodyOf } from '../../../builders/requests.js';
import { FakeClock } from '../../../builders/clock.js';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

describe('GET /v1/amazon/venues', () => {
  const make = (accounts: InMemoryAccountStore) => makeListVenuesHandler({ accounts, clock: new FakeClock(A_NOW), accountClaim: 'custom:accountId' });

  it('answers 200 with every marketplace of the caller\'s account, in the contract\'s shape', async () => {
    const accounts = new InMemoryAccountStore(anAccountWith(aGrant({ region: 'EU' })));

    const result = await make(accounts)(aJwtRequest(), aLambdaContext());

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    const body = VenueListSchema.parse(bodyOf(result));
    expect(body.venues.map((v) => v.marketplace)).toEqual([...MARKETPLACE_CODES]);
    expect(body.venues.find((v) => v.marketplace === 'UK')!.token.status).toBe('current');
  });

  it('takes the account only from the JWT: query, path or headers naming another account change nothing', async () => {
    const accounts = new InMemoryAccountStore(anAccountWith(aGrant({ accountId: 'acct-victim', region: 'NA' })));
    const request = aJwtRequest({ query: { accountId: 'acct-victim', account: 'acct-victim' } });
    request.headers['x-account-id'] = 'acct-victim';
    request.pathParameters = { accountId: 'acct-victim' };

    const body = VenueListSchema.parse(bodyOf(await make(accounts)(request, aLambdaContext())));

    expect(body.venues.every((v) => v.token.status === 'none')).toBe(true);
  });

  it.each([
    ['no authorizer context', null],
    ['no account claim', { sub: 'user-1' }],
    ['an empty account claim', { 'custom:accountId': '' }],
    ['an account claim that is not an id', { 'custom:accountId': 'acct/../other' }],
    ['an account claim that is a list', { 'custom:accountId': ['a', 'b'] }],
  ])('answers 401 UNAUTHORIZED with %s, reading nothing', async (_label, claims) => {
    const accounts = new InMemoryAccountStore();

    const result = await make(accounts)(aJwtRequest({ claims }), aLambdaContext());

    expect(result.statusCode).toBe(401);
    expect(ErrorBodySchema.parse(bodyOf(result)).error.code).toBe('UNAUTHORIZED');
    expect(accounts.loads).toBe(0);
  });

  it('answers a generic 500 without details when the store fails', async () => {
    const accounts = new InMemoryAccountStore();
    accounts.load = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:443 table aob-amazon-connect-prod'));
    const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

    const result = await make(accounts)(aJwtRequest(), aLambdaContext());

    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side. Please try again in a minute.' } });
    expect(logged).toHaveBeenCalledWith('request failed', expect.objectContaining({ errorName: 'Error' }));
    logged.mockRestore();
  });

  describe('in production wiring', () => {
    it('lists all venues of an account with exactly one DynamoDB call, a Query on the caller\'s partition', async () => {
      // Prepare
      const grant = aGrant({ region: 'EU' });
      ddb.on(QueryCommand).resolves({ Items: [...venuesServedBy(grant).map(toVenueItem), toGrantItem(grant)] });

      // Act
      const result = await handler(aJwtRequest({ claims: { 'custom:accountId': AN_ACCOUNT }, query: { accountId: 'acct-other' } }), aLambdaContext());

      // Assess
      expect(result.statusCode).toBe(200);
      expect(VenueListSchema.parse(bodyOf(result)).venues).toHaveLength(23);
      expect(ddb.calls()).toHaveLength(1);
      expect(ddb).toHaveReceivedCommandWith(QueryCommand, { TableName: 'aob-amazon-connect-test', ExpressionAttributeValues: { ':pk': `ACCOUNT#${AN_ACCOUNT}` } });
    });

    it('answers 401 without any DynamoDB call when the JWT carries no account', async () => {
      const result = await handler(aJwtRequest({ claims: { sub: 'user-1' } }), aLambdaContext());

      expect(result.statusCode).toBe(401);
      expect(ddb.calls()).toHaveLength(0);
    });
  });
});
