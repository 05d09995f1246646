import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { toGrantItem, toVenueItem } from '../../../../lambdas/adapters/dynamo/items.js';
import { ErrorBodySchema } from '../../../../lambdas/contract/errors.js';
import { VenueSchema } from '../../../../lambdas/contract/venues.js';
import { DAY_MS } from '../../../../lambdas/domain/time.js';
import { handler, makeSetVenueActiveHandler } from '../../../../lambdas/handlers/set-venue-active.js';
import { A_NOW, AN_ACCOUNT, aGrant, aGrantExpiringIn, anAccountWith, venuesServedBy } from '../../../builders/grants.js';
import { InMemoryAccountStore } from '../../../builders/venues.js';
import { aJwtRequest, aLambdaContext, bodyOf } from '../../../builders/requests.js';
import { FakeClock } from '../../../builders/clock.js';
import { conditionFailed } from '../../../builders/dynamodb-errors.js';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const put = (marketplace: string, body: string | undefined, more: Parameters<typeof aJwtRequest>[0] = {}) => aJwtRequest({ method: 'PUT', marketplace, body, ...more });

describe('PUT /v1/amazon/venues/{marketplace}', () => {
  const setup = (...snapshots: ReturnType<typeof anAccountWith>[]) => {
    const accounts = new InMemoryAccountStore(...snapshots);
    return { accounts, handle: makeSetVenueActiveHandler({ accounts, clock: new FakeClock(A_NOW), accountClaim: 'custom:accountId' }) };
  };

  it('answers 200 with the venue set Active', async () => {
    const { accounts, handle } = setup(anAccountWith(aGrant({ region: 'EU' })));

    const result = await handle(put('DE', '{"active":true}'), aLambdaContext());

    expect(result.statusCode).toBe(200);
    expect(VenueSchema.parse(bodyOf(result))).toMatchObject({ marketplace: 'DE', active: true });
    expect(accounts.writes).toBe(1);
  });

  it('accepts a base64-encoded body (API Gateway sends some bodies that way)', async () => {
    const { handle } = setup(anAccountWith(aGrant({ region: 'EU' })));

    const result = await handle(put('UK', Buffer.from('{"active":true}').toString('base64'), { isBase64Encoded: true }), aLambdaContext());

    expect(VenueSchema.parse(bodyOf(result)).active).toBe(true);
  });

  it.each([
    ['NO_TOKEN', anAccountWith(), 'Authorize AoB on Amazon for amazon.de before setting this venue Active.'],
    ['TOKEN_EXPIRED', anAccountWith(aGrantExpiringIn(-DAY_MS)), 'The authorization for amazon.de has expired. Authorize again to set this venue Active.'],
    ['TOKEN_REVOKED', anAccountWith(aGrant({ revokedAt: A_NOW })), 'The authorization for amazon.de was revoked on Amazon. Authorize again to set this venue Active.'],
  ])('answers 409 %s with the plain message and the marketplace', async (code, snapshot, message) => {
    const { accounts, handle } = setup(snapshot);

    const result = await handle(put('DE', '{"active":true}'), aLambdaContext());

    expect(result.statusCode).toBe(409);
    expect(ErrorBodySchema.parse(bodyOf(result))).toEqual({ error: { code, message, details: expect.objectContaining({ marketplace: 'DE' }) } });
    expect(accounts.writes).toBe(0);
  });

  it('answers 409 NOT_REGISTERED naming the domain', async () => {
    const grant = aGrant({ region: 'EU' });
    const { handle } = setup({ grants: [grant], venues: venuesServedBy(grant, { participating: false }) });

    const result = await handle(put('de', '{"active":true}'), aLambdaContext());

    expect(bodyOf(result)).toMatchObject({ error: { code: 'NOT_REGISTERED', message: 'Your Amazon seller account is not registered to sell on amazon.de.' } });
  });

  it.each([
    ['no body', undefined, 400, 'VALIDATION_FAILED'],
    ['an empty body', '   ', 400, 'VALIDATION_FAILED'],
    ['a body that is not JSON', '{active: true}', 400, 'VALIDATION_FAILED'],
    ['active as a string', '{"active":"true"}', 400, 'VALIDATION_FAILED'],
    ['active as a number', '{"active":1}', 400, 'VALIDATION_FAILED'],
    ['active missing', '{}', 400, 'VALIDATION_FAILED'],
    ['an extra field', '{"active":true,"note":"x"}', 400, 'VALIDATION_FAILED'],
    ['an array', '[true]', 400, 'VALIDATION_FAILED'],
    ['null', 'null', 400, 'VALIDATION_FAILED'],
    ['a body over 16 KB', JSON.stringify({ active: true, pad: 'x'.repeat(16 * 1024) }), 413, 'PAYLOAD_TOO_LARGE'],
  ])('answers %s with %i %s and writes nothing', async (_label, body, status, code) => {
    const { accounts, handle } = setup(anAccountWith(aGrant()));

    const result = await handle(put('UK', body), aLambdaContext());

    expect(result.statusCode).toBe(status);
    expect(ErrorBodySchema.parse(bodyOf(result)).error.code).toBe(code);
    expect(accounts.writes).toBe(0);
  });

  it('cannot be pointed at another account through the body, query or path', async () => {
    const victim = aGrant({ accountId: 'acct-victim' });
    const { accounts, handle } = setup(anAccountWith(victim), anAccountWith(aGrant()));

    const viaBody = await handle(put('UK', JSON.stringify({ active: true, accountId: 'acct-victim' })), aLambdaContext());
    const request = put('UK', '{"active":true}', { query: { accountId: 'acct-victim' } });
    request.pathParameters = { marketplace: 'UK', accountId: 'acct-victim' };
    const viaQuery = await handle(request, aLambdaContext());

    expect(viaBody.statusCode).toBe(400);
    expect(viaQuery.statusCode).toBe(200);
    expect(accounts.peek('acct-victim')).toEqual(anAccountWith(victim));
    expect(accounts.peek(AN_ACCOUNT).venues.find((v) => v.marketplace === 'UK')!.active).toBe(true);
  });

  describe('in production wiring', () => {
    const grant = aGrantExpiringIn(300 * DAY_MS, new Date());
    const stored = () => ({ Items: [...venuesServedBy(grant, { version: 3 }).map(toVenueItem), toGrantItem(grant)] });

    it('reads once and writes once, conditioned on the version it read', async () => {
      ddb.on(QueryCommand).resolves(stored());
      ddb.on(UpdateCommand).resolves({});

      const result = await handler(put('FR', '{"active":true}'), aLambdaContext());

      expect(result.statusCode).toBe(200);
      expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
      expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        Key: { pk: `ACCOUNT#${AN_ACCOUNT}`, sk: 'VENUE#FR' },
        ExpressionAttributeValues: { ':active': true, ':next': 4, ':expected': 3 },
      });
    });

    it('answers 409 CONCURRENT_UPDATE after two lost races, never a 500', async () => {
      ddb.on(QueryCommand).resolves(stored());
      ddb.on(UpdateCommand).rejects(conditionFailed());

      const result = await handler(put('FR', '{"active":true}'), aLambdaContext());

      expect(result.statusCode).toBe(409);
      expect(ErrorBodySchema.parse(bodyOf(result)).error.code).toBe('CONCURRENT_UPDATE');
      expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    });

    it('answers 400 for bad input without calling DynamoDB', async () => {
      const result = await handler(put('FR', '{"active":"yes"}'), aLambdaContext());

      expect(result.statusCode).toBe(400);
      expect(ddb.calls()).toHaveLength(0);
    });
  });
});
