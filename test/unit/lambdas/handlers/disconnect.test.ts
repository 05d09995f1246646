import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { jest } from '@jest/globals';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { toGrantItem, toVenueItem } from '../../../../lambdas/adapters/dynamo/items.js';
import { ErrorBodySchema } from '../../../../lambdas/contract/errors.js';
import { VenueListSchema } from '../../../../lambdas/contract/venues.js';
import { marketplacesInRegion } from '../../../../lambdas/domain/marketplaces.js';
import { handler, makeDisconnectHandler } from '../../../../lambdas/handlers/disconnect.js';
import { logger } from '../../../../lambdas/shared/logger.js';
import { A_NOW, AN_ACCOUNT, aGrant, anAccountWith, venuesServedBy } from '../../../builders/grants.js';
import { RecordingLog } from '../../../builders/log.js';
import { InMemoryAccountStore } from '../../../builders/venues.js';
import { aJwtRequest, aLambdaContext, bodyOf } from '../../../builders/requests.js';
import { InMemorySecretStore } from '../../../builders/secrets.js';
import { FakeClock } from '../../../builders/clock.js';
import { RecordingPublisher } from '../../../builders/publisher.js';

const ddb = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);
const bus = mockClient(EventBridgeClient);
beforeEach(() => {
  ddb.reset();
  secrets.reset();
  bus.reset();
});

const del = (marketplace: string, more: Parameters<typeof aJwtRequest>[0] = {}) =>
  aJwtRequest({ method: 'DELETE', path: `/v1/amazon/venues/${marketplace}/authorization`, marketplace, ...more });

describe('DELETE /v1/amazon/venues/{marketplace}/authorization', () => {
  const setup = (...snapshots: ReturnType<typeof anAccountWith>[]) => {
    const deps = {
      accounts: new InMemoryAccountStore(...snapshots),
      secrets: new InMemorySecretStore(),
      events: new RecordingPublisher(),
      log: new RecordingLog(),
      clock: new FakeClock(A_NOW),
      accountClaim: 'custom:accountId',
    };
    return { deps, handle: makeDisconnectHandler(deps) };
  };

  it('answers 200 with the venues the grant covered, now inactive and without a token', async () => {
    const { deps, handle } = setup(anAccountWith(aGrant({ region: 'NA' })));

    const result = await handle(del('CA'), aLambdaContext());

    expect(result.statusCode).toBe(200);
    const { venues } = VenueListSchema.parse(bodyOf(result));
    expect(venues.map((v) => v.marketplace)).toEqual(['US', 'CA', 'MX', 'BR']);
    expect(venues.every((v) => !v.active && v.token.status === 'none')).toBe(true);
    expect(deps.events.published).toHaveLength(1);
  });

  it('answers 404 NO_AUTHORIZATION when nothing serves the venue', async () => {
    const { handle } = setup();

    const result = await handle(del('SG'), aLambdaContext());

    expect(result.statusCode).toBe(404);
    expect(ErrorBodySchema.parse(bodyOf(result)).error).toEqual({ code: 'NO_AUTHORIZATION', message: 'There is no Amazon authorization for amazon.sg to disconnect. Nothing was changed.' });
  });

  it('answers 400 for an unknown marketplace and 401 without an account, changing nothing', async () => {
    const { deps, handle } = setup(anAccountWith(aGrant()));

    expect((await handle(del('EU'), aLambdaContext())).statusCode).toBe(400);
    expect((await handle(del('UK', { claims: {} }), aLambdaContext())).statusCode).toBe(401);
    expect(deps.accounts.writes).toBe(0);
  });

  it('only ever disconnects the caller\'s own grant, whatever the query says', async () => {
    const victim = aGrant({ accountId: 'acct-victim' });
    const { deps, handle } = setup(anAccountWith(victim));

    const result = await handle(del('UK', { query: { accountId: 'acct-victim' } }), aLambdaContext());

    expect(result.statusCode).toBe(404);
    expect(deps.accounts.peek('acct-victim')).toEqual(anAccountWith(victim));
  });

  describe('in production wiring', () => {
    const grant = aGrant({ region: 'EU', version: 2 });
    const venues = venuesServedBy(grant, { active: true, version: 5 });

    it('queries once, removes the grant and its 16 venues in one transaction, schedules the secret for deletion and publishes one event', async () => {
      // Prepare
      ddb.on(QueryCommand).resolves({ Items: [...venues.map(toVenueItem), toGrantItem(grant)] });
      ddb.on(TransactWriteCommand).resolves({});
      secrets.on(DeleteSecretCommand).resolves({});
      bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

      // Act
      const result = await handler(del('IT'), aLambdaContext());

      // Assess
      expect(result.statusCode).toBe(200);
      expect(VenueListSchema.parse(bodyOf(result)).venues.map((v) => v.marketplace)).toEqual(marketplacesInRegion('EU').map((m) => m.code));
      expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
      expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems).toHaveLength(17);
      expect(secrets).toHaveReceivedCommandWith(DeleteSecretCommand, { SecretId: grant.secretName, RecoveryWindowInDays: 30 });
      expect(secrets).not.toHaveReceivedCommandWith(DeleteSecretCommand, { ForceDeleteWithoutRecovery: true });
      expect(bus).toHaveReceivedCommandTimes(PutEventsCommand, 1);
      const entry = bus.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
      expect(entry).toMatchObject({ EventBusName: 'aob-amazon-connect-test', Source: 'aob.amazon-connect', DetailType: 'Amazon Authorization Disconnected' });
      expect(JSON.parse(entry.Detail!)).toMatchObject({ accountId: AN_ACCOUNT, region: 'EU', sellingPartnerId: grant.sellingPartnerId });
    });

    it('answers 200 even when EventBridge keeps refusing the event, and logs it as an error', async () => {
      ddb.on(QueryCommand).resolves({ Items: [...venues.map(toVenueItem), toGrantItem(grant)] });
      ddb.on(TransactWriteCommand).resolves({});
      secrets.on(DeleteSecretCommand).resolves({});
      bus.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }] });
      const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

      const result = await handler(del('IT'), aLambdaContext());

      expect(result.statusCode).toBe(200);
      expect(bus.commandCalls(PutEventsCommand).length).toBeGreaterThan(1);
      expect(logged).toHaveBeenCalledWith('disconnected event not published', expect.objectContaining({ errorCode: 'InternalFailure' }));
      logged.mockRestore();
    });

    it('touches nothing but the one Query when no grant serves the venue', async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });

      const result = await handler(del('IT'), aLambdaContext());

      expect(result.statusCode).toBe(404);
      expect(ddb.calls()).toHaveLength(1);
      expect(secrets.calls()).toHaveLength(0);
      expect(bus.calls()).toHaveLength(0);
    });
  });
});
