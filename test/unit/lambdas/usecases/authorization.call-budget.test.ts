import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerAppCredentials } from '../../../../lambdas/adapters/amazon/app-credentials.js';
import { DynamoPendingAuthorizationStore } from '../../../../lambdas/adapters/dynamo/pending-authorization-store.js';
import { EventBridgePublisher } from '../../../../lambdas/adapters/events/eventbridge-publisher.js';
import { SecretsManagerGrantSecretStore } from '../../../../lambdas/adapters/secrets/grant-secret-store.js';
import { hashOneTime, newOneTimeValue, stateFromBinding } from '../../../../lambdas/domain/one-time-values.js';
import { makeCallbackHandler } from '../../../../lambdas/handlers/callback.js';
import type { HttpResult } from '../../../../lambdas/shared/http.js';
import {
  completionOverAdapters,
  APP,
  AUTH_ACCOUNT,
  AUTH_NOW,
  AUTH_SUB,
  SELLING_PARTNER,
  browserEvent,
  completionHandleOf,
  fakeAmazon,
  invoke,
  jwtEvent,
  testConfig,
} from '../../../builders/auth.js';
import { RecordingLog } from '../../../builders/log.js';
import { FakeClock } from '../../../builders/clock.js';
import { conditionFailed } from '../../../builders/dynamodb-errors.js';

/**
 * The call budget of an authorization, counted through the production adapters
 * (aws-sdk-client-mock for AWS, a fake Amazon behind fetch):
 * - the callback step costs 1 conditional UpdateItem (consumes the state and keeps the sealed
 *   code) and nothing else: no call to Amazon, Secrets Manager or EventBridge;
 * - a successful completion costs 1 claim (conditional UpdateItem), 1 LWA exchange,
 *   1 participations read, 1 secret write, 1 transaction, 1 PutEvents — nothing more.
 */

const ddb = mockClient(DynamoDBDocumentClient);
const sm = mockClient(SecretsManagerClient);
const eb = mockClient(EventBridgeClient);
const CODE = 'MARKER-CODE-BUDGET';

function wire(completion: { sleep?: (ms: number) => Promise<void>; random?: () => number } = {}) {
  const cfg = testConfig();
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const secretsManager = new SecretsManagerClient({});
  const amazon = fakeAmazon({ codes: { [CODE]: 'Atzr|MARKER-REFRESH-BUDGET' } });
  const credentials = new SecretsManagerAppCredentials(secretsManager, cfg.appSecretName);
  const store = new DynamoPendingAuthorizationStore(doc, cfg.tableName);
  const clock = new FakeClock(AUTH_NOW);
  const log = new RecordingLog();
  const handler = makeCallbackHandler({ store, clock, log, frontend: cfg });
  const complete = completionOverAdapters({
    store,
    doc,
    credentials,
    fetch: amazon.fetch,
    secrets: new SecretsManagerGrantSecretStore(secretsManager, { recoveryWindowDays: 30, stage: 'test' }),
    events: new EventBridgePublisher(new EventBridgeClient({}), { busName: cfg.eventBusName }),
    clock,
    log,
    config: cfg,
    overrides: { sleep: async () => {}, ...completion },
  });
  return { handler, complete, amazon, credentials, log };
}

/**
 * The completion of a callback that consumed `stateHash`: DynamoDB answers the claim with the
 * item as the callback's own write left it (the sealed code it sent).
 */
async function completeAfter(callback: HttpResult, complete: ReturnType<typeof wire>['complete'], stateHash: string, bindingHash: string) {
  const handle = completionHandleOf(callback);
  if (!handle) throw new Error('the callback did not go on to the completion page');
  const write = ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues ?? {};
  ddb.on(UpdateCommand).resolves({
    Attributes: pendingItem(stateHash, bindingHash, { sub: AUTH_SUB, consumedAt: AUTH_NOW.toISOString(), completionHash: write[':ch'], sealedCode: write[':code'], codeExpiresAt: write[':cx'], sellingPartnerId: SELLING_PARTNER }),
  });
  ddb.resetHistory();
  return invoke(complete, jwtEvent({ body: { completion: handle } }));
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

it('the callback step makes exactly 1 UpdateItem (consume + sealed code) and calls nothing else; the completion then makes exactly: 1 claim, 1 LWA exchange, 1 participations read, 1 secret write, 1 transaction, 1 PutEvents', async () => {
  // Prepare
  const { handler, complete, amazon, credentials } = wire();
  await credentials.get(); // the app secret is read once per container, not per request
  sm.resetHistory();
  const binding = newOneTimeValue();
  const state = stateFromBinding(binding);
  ddb.on(UpdateCommand).resolves({ Attributes: pendingItem(hashOneTime(state), hashOneTime(binding), { consumedAt: AUTH_NOW.toISOString() }) });
  // Act: the callback
  const callback = await invoke(handler, browserEvent({ query: { state, spapi_oauth_code: CODE, selling_partner_id: SELLING_PARTNER }, cookie: binding }));
  // Assess: the callback's budget
  expect(String(callback.headers?.location)).toMatch(/^https:\/\/app\.aob\.test\/settings\/venues\/amazon\/complete#completion=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
  expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual(['UpdateCommand']);
  expect(JSON.stringify(ddb.calls()[0]?.args[0].input)).not.toContain(CODE);
  expect(amazon.calls.length + sm.calls().length + eb.calls().length).toBe(0);
  // Act: the completion with the JWT of the account that started the flow
  const res = await completeAfter(callback, complete, hashOneTime(state), hashOneTime(binding));
  // Assess: the completion's budget
  expect(res.statusCode).toBe(200);
  expect(JSON.parse(String(res.body)).redirectUrl).toBe('https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=UK');
  expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual(['UpdateCommand', 'TransactWriteCommand']);
  expect(amazon.lwaCalls()).toHaveLength(1);
  expect(new URLSearchParams(amazon.lwaCalls()[0]?.body).get('code')).toBe(CODE);
  expect(amazon.sellersCalls()).toHaveLength(1);
  expect(amazon.calls).toHaveLength(2);
  expect(sm.calls().map((c) => c.args[0].constructor.name)).toEqual(['CreateSecretCommand']);
  expect(eb.calls()).toHaveLength(1);
  expect(amazon.sellersCalls()[0]?.url).toBe('https://sellingpartnerapi-eu.amazon.com/sellers/v1/marketplaceParticipations');
  expect(amazon.sellersCalls()[0]?.init.headers).toMatchObject({ 'x-amz-access-token': 'Atza|MARKER-ACCESS-TOKEN' });
  expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, { Name: expect.stringMatching(new RegExp(`^aob-amazon-connect/test/grants/${AUTH_ACCOUNT}/EU/${SELLING_PARTNER}/a-[0-9a-f]{20}$`)), ClientRequestToken: expect.stringMatching(/^[0-9a-f]{64}$/) });
});

it('a completion with another account’s JWT: the refused claim and one read, 0 calls to Amazon, Secrets Manager or EventBridge', async () => {
  const { handler, complete, amazon } = wire();
  const binding = newOneTimeValue();
  const state = stateFromBinding(binding);
  ddb.on(UpdateCommand).resolves({ Attributes: pendingItem(hashOneTime(state), hashOneTime(binding), { consumedAt: AUTH_NOW.toISOString() }) });
  const callback = await invoke(handler, browserEvent({ query: { state, spapi_oauth_code: CODE, selling_partner_id: SELLING_PARTNER }, cookie: binding }));
  const handle = completionHandleOf(callback) as string;
  const write = ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues ?? {};
  ddb.reset();
  ddb.on(UpdateCommand).rejects(conditionFailed());
  ddb.on(GetCommand).resolves({ Item: pendingItem(hashOneTime(state), hashOneTime(binding), { completionHash: write[':ch'], sealedCode: write[':code'], codeExpiresAt: write[':cx'] }) });
  const res = await invoke(complete, jwtEvent({ accountId: 'acct-attacker', body: { completion: handle } }));
  expect(res.statusCode).toBe(403);
  expect(JSON.parse(String(res.body)).error.code).toBe('ACCOUNT_MISMATCH');
  expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual(['UpdateCommand', 'GetCommand']);
  expect(amazon.calls.length + sm.calls().length + eb.calls().length).toBe(0);
});

describe('a rejected callback makes 0 calls to Amazon and 0 writes besides the attempt to consume a state', () => {
  const binding = newOneTimeValue();
  const state = stateFromBinding(binding);
  const query = { state, spapi_oauth_code: CODE, selling_partner_id: SELLING_PARTNER };

  it.each([
    ['unknown state', () => ddb.on(GetCommand).resolves({}), binding],
    ['used state', () => ddb.on(GetCommand).resolves({ Item: pendingItem(hashOneTime(state), hashOneTime(binding), { consumedAt: 'x' }) }), binding],
    ['expired state', () => ddb.on(GetCommand).resolves({ Item: pendingItem(hashOneTime(state), hashOneTime(binding), { expiresAt: '2020-01-01T00:00:00.000Z' }) }), binding],
    ['foreign cookie', () => ddb.on(GetCommand).resolves({ Item: pendingItem(hashOneTime(state), hashOneTime(binding)) }), newOneTimeValue()],
  ])('%s', async (_name, arrange, cookie) => {
    // Prepare
    const { handler, amazon } = wire();
    ddb.on(UpdateCommand).rejects(conditionFailed());
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

  async function completed(wired: ReturnType<typeof wire>) {
    const binding = newOneTimeValue();
    const state = stateFromBinding(binding);
    ddb.on(UpdateCommand).resolves({ Attributes: pendingItem(hashOneTime(state), hashOneTime(binding), { consumedAt: AUTH_NOW.toISOString() }) });
    const callback = await invoke(wired.handler, browserEvent({ query: { state, spapi_oauth_code: CODE, selling_partner_id: SELLING_PARTNER }, cookie: binding }));
    const res = await completeAfter(callback, wired.complete, hashOneTime(state), hashOneTime(binding));
    return String(JSON.parse(String(res.body)).redirectUrl);
  }

  it('throttled secret writes are retried with one ClientRequestToken, then the grant is written', async () => {
    const wired = wire();
    sm.on(CreateSecretCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    expect(await completed(wired)).toContain('amazon_authorization=success');
    const tokens = sm.commandCalls(CreateSecretCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('the waits between secret writes are full jitter over 200 ms, doubling (random 0.5: 100 ms, then 200 ms), each failed write a warning', async () => {
    const waits: number[] = [];
    const wired = wire({ sleep: async (ms) => void waits.push(ms), random: () => 0.5 });
    sm.on(CreateSecretCommand).rejects(throttled());
    expect(await completed(wired)).toContain('reason=SERVICE_UNAVAILABLE');
    expect(sm).toHaveReceivedCommandTimes(CreateSecretCommand, 3);
    expect(waits).toEqual([100, 200]);
    expect(wired.log.warns.filter(({ message }) => message === 'grant secret write failed').map(({ attributes }) => attributes)).toEqual(
      [1, 2, 3].map((attempt) => ({ attempt, errorName: 'ThrottlingException' })),
    );
  });

  it('still failing: SERVICE_UNAVAILABLE, no grant row pointing at a missing secret, no event', async () => {
    const wired = wire();
    sm.on(CreateSecretCommand).rejects(throttled());
    expect(await completed(wired)).toContain('reason=SERVICE_UNAVAILABLE');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
    expect(eb.calls()).toHaveLength(0);
  });
});
