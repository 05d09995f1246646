import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerAppCredentials } from '../../../lambdas/adapters/amazon/app-credentials.js';
import { LwaClient } from '../../../lambdas/adapters/amazon/lwa-client.js';
import { SellersClient } from '../../../lambdas/adapters/amazon/sellers-client.js';
import { DynamoGrantWriter } from '../../../lambdas/adapters/dynamo/grant-writer.js';
import { DynamoPendingAuthorizationStore } from '../../../lambdas/adapters/dynamo/pending-authorization-store.js';
import { EventBridgePublisher } from '../../../lambdas/adapters/events/eventbridge-publisher.js';
import { SecretsManagerGrantSecretStore } from '../../../lambdas/adapters/secrets/grant-secret-store.js';
import { hashOneTime, newOneTimeValue, stateFromBinding } from '../../../lambdas/domain/authorization.js';
import { makeCallbackHandler } from '../../../lambdas/handlers/callback.js';
import { APP, AUTH_ACCOUNT, AUTH_NOW, MutableClock, SELLING_PARTNER, browserEvent, fakeAmazon, invoke, testConfig } from '../../builders/auth.js';

/**
 * The callback's call budget, counted through the production adapters (aws-sdk-client-mock for
 * AWS, a fake Amazon behind fetch): a success costs 1 state consume, 1 LWA exchange,
 * 1 participations read, 1 secret write, 1 transaction, 1 PutEvents — nothing more.
 */

const ddb = mockClient(DynamoDBDocumentClient);
const sm = mockClient(SecretsManagerClient);
const eb = mockClient(EventBridgeClient);
const CODE = 'MARKER-CODE-BUDGET';

function wire() {
  const cfg = testConfig();
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const secretsManager = new SecretsManagerClient({});
  const amazon = fakeAmazon({ codes: { [CODE]: 'Atzr|MARKER-REFRESH-BUDGET' } });
  const credentials = new SecretsManagerAppCredentials(secretsManager, cfg.appSecretName);
  const handler = makeCallbackHandler({
    store: new DynamoPendingAuthorizationStore(doc, cfg.tableName),
    lwa: new LwaClient({ tokenUrl: cfg.lwaTokenUrl, redirectUri: cfg.redirectUri, credentials, fetch: amazon.fetch }),
    sellers: new SellersClient({ fetch: amazon.fetch }),
    secrets: new SecretsManagerGrantSecretStore(secretsManager, { recoveryWindowDays: 30, stage: 'test' }),
    grants: new DynamoGrantWriter(doc, cfg.tableName),
    events: new EventBridgePublisher(new EventBridgeClient({}), { busName: cfg.eventBusName }),
    clock: new MutableClock(),
    config: cfg,
    frontend: cfg,
    sleep: async () => {},
  });
  return { handler, amazon, credentials };
}

function pendingItem(stateHash: string, bindingHash: string, extra: Record<string, unknown> = {}) {
  return {
    pk: `AUTH#${stateHash}`,
    sk: 'AUTH',
    type: 'authorization',
    ticketHash: 'f'.repeat(64),
    bindingHash,
    accountId: AUTH_ACCOUNT,
    marketplace: 'UK',
    returnPath: '/settings/venues',
    expiresAt: new Date(AUTH_NOW.getTime() + 300_000).toISOString(),
    ttl: 1,
    ...extra,
  };
}

const WRITE_COMMANDS = ['PutCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteCommand', 'BatchWriteCommand'];
const dynamoWrites = () => ddb.calls().filter((c) => WRITE_COMMANDS.includes(c.args[0].constructor.name));

beforeEach(() => {
  ddb.reset();
  sm.reset();
  eb.reset();
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(APP) });
  sm.on(CreateSecretCommand).resolves({});
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
  ddb.on(TransactWriteCommand).resolves({});
});

it('a successful callback makes exactly: 1 consume, 1 LWA exchange, 1 participations read, 1 secret write, 1 transaction, 1 PutEvents', async () => {
  // Prepare
  const { handler, amazon, credentials } = wire();
  await credentials.get(); // the app secret is read once per container, not per request
  sm.resetHistory();
  const binding = newOneTimeValue();
  const state = stateFromBinding(binding);
  ddb.on(UpdateCommand).resolves({ Attributes: pendingItem(hashOneTime(state), hashOneTime(binding), { consumedAt: AUTH_NOW.toISOString() }) });
  // Act
  const res = await invoke(handler, browserEvent({ query: { state, spapi_oauth_code: CODE, selling_partner_id: SELLING_PARTNER }, cookie: binding }));
  // Assess
  expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=UK');
  expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual(['UpdateCommand', 'TransactWriteCommand']);
  expect(amazon.lwaCalls()).toHaveLength(1);
  expect(amazon.sellersCalls()).toHaveLength(1);
  expect(amazon.calls).toHaveLength(2);
  expect(sm.calls().map((c) => c.args[0].constructor.name)).toEqual(['CreateSecretCommand']);
  expect(eb.calls()).toHaveLength(1);
  expect(amazon.sellersCalls()[0]?.url).toBe('https://sellingpartnerapi-eu.amazon.com/sellers/v1/marketplaceParticipations');
  expect(amazon.sellersCalls()[0]?.init.headers).toMatchObject({ 'x-amz-access-token': 'Atza|MARKER-ACCESS-TOKEN' });
  expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, { Name: expect.stringMatching(new RegExp(`^aob-amazon-connect/test/grants/${AUTH_ACCOUNT}/EU/${SELLING_PARTNER}/a-[0-9a-f]{20}$`)), ClientRequestToken: expect.stringMatching(/^[0-9a-f]{64}$/) });
});

describe('a rejected callback makes 0 calls to Amazon and 0 writes besides the attempt to consume a state', () => {
  const binding = newOneTimeValue();
  const state = stateFromBinding(binding);
  const query = { state, spapi_oauth_code: CODE, selling_partner_id: SELLING_PARTNER };
  const refused = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

  it.each([
    ['unknown state', () => ddb.on(GetCommand).resolves({}), binding],
    ['used state', () => ddb.on(GetCommand).resolves({ Item: pendingItem(hashOneTime(state), hashOneTime(binding), { consumedAt: 'x' }) }), binding],
    ['expired state', () => ddb.on(GetCommand).resolves({ Item: pendingItem(hashOneTime(state), hashOneTime(binding), { expiresAt: '2020-01-01T00:00:00.000Z' }) }), binding],
    ['foreign cookie', () => ddb.on(GetCommand).resolves({ Item: pendingItem(hashOneTime(state), hashOneTime(binding)) }), newOneTimeValue()],
  ])('%s', async (_name, arrange, cookie) => {
    // Prepare
    const { handler, amazon } = wire();
    ddb.on(UpdateCommand).rejects(refused());
    arrange();
    // Act
    const res = await invoke(handler, browserEvent({ query, cookie }));
    // Assess
    expect(res.statusCode).toBe(303);
    expect(String(res.headers?.location)).toMatch(/amazon_authorization=error/);
    expect(amazon.calls).toHaveLength(0);
    expect(dynamoWrites().map((c) => c.args[0].constructor.name)).toEqual(['UpdateCommand']);
    expect(sm.calls()).toHaveLength(0);
    expect(eb.calls()).toHaveLength(0);
  });

  it('missing cookie: not even an attempt to write, one read', async () => {
    const { handler, amazon } = wire();
    ddb.on(GetCommand).resolves({ Item: pendingItem(hashOneTime(state), hashOneTime(binding)) });
    const res = await invoke(handler, browserEvent({ query, cookie: null }));
    expect(String(res.headers?.location)).toContain('reason=BROWSER_MISMATCH');
    expect(amazon.calls).toHaveLength(0);
    expect(dynamoWrites()).toHaveLength(0);
    expect(sm.calls().length + eb.calls().length).toBe(0);
  });

  it('malformed state: nothing at all', async () => {
    const { handler, amazon } = wire();
    const res = await invoke(handler, browserEvent({ query: { ...query, state: 'x<y' }, cookie: binding }));
    expect(String(res.headers?.location)).toContain('reason=STATE_INVALID');
    expect(ddb.calls().length + sm.calls().length + eb.calls().length + amazon.calls.length).toBe(0);
  });
});

describe('R5 through the production secret store', () => {
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });

  function consumable() {
    const binding = newOneTimeValue();
    const state = stateFromBinding(binding);
    ddb.on(UpdateCommand).resolves({ Attributes: pendingItem(hashOneTime(state), hashOneTime(binding), { consumedAt: AUTH_NOW.toISOString() }) });
    return browserEvent({ query: { state, spapi_oauth_code: CODE, selling_partner_id: SELLING_PARTNER }, cookie: binding });
  }

  it('throttled secret writes are retried with one ClientRequestToken, then the grant is written', async () => {
    const { handler } = wire();
    sm.on(CreateSecretCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    const res = await invoke(handler, consumable());
    expect(String(res.headers?.location)).toContain('amazon_authorization=success');
    const tokens = sm.commandCalls(CreateSecretCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('still failing: SERVICE_UNAVAILABLE, no grant row pointing at a missing secret, no event', async () => {
    const { handler } = wire();
    sm.on(CreateSecretCommand).rejects(throttled());
    const res = await invoke(handler, consumable());
    expect(String(res.headers?.location)).toContain('reason=SERVICE_UNAVAILABLE');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
    expect(eb.calls()).toHaveLength(0);
  });
});
