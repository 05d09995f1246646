import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerAppCredentials } from '../../../../lambdas/adapters/amazon/app-credentials.js';
import { DynamoPendingAuthorizationStore } from '../../../../lambdas/adapters/dynamo/pending-authorization-store.js';
import { EventBridgePublisher } from '../../../../lambdas/adapters/events/eventbridge-publisher.js';
import { SecretsManagerGrantSecretStore } from '../../../../lambdas/adapters/secrets/grant-secret-store.js';
import { makeAuthorizeTicketHandler } from '../../../../lambdas/handlers/authorize-ticket.js';
import { makeCallbackHandler } from '../../../../lambdas/handlers/callback.js';
import { makeLoginHandler } from '../../../../lambdas/handlers/login.js';
import { makeStartAuthorizationHandler } from '../../../../lambdas/handlers/start-authorization.js';
import type { HttpResult } from '../../../../lambdas/shared/http.js';
import { CALLBACK_URI, completionOverAdapters, SELLING_PARTNER, authHarness, browserEvent, completionHandleOf, cookieValue, fakeAmazon, followCompletion, invoke, jwtEvent, location, testConfig, AUTH_NOW } from '../../../builders/auth.js';
import { FakeClock } from '../../../builders/clock.js';
import { logger } from '../../../../lambdas/shared/logger.js';
import { captureOutput } from '../../../builders/output.js';

/**
 * S11/S12: the whole flow runs with marker values through the production adapters; every log
 * line, response, table item written and event is scanned for them: 0 hits.
 */

const CODE = 'MARKER-CODE-7f3a9c';
const REFRESH = 'Atzr|MARKER-REFRESH-7f3a9c';
const ACCESS = 'Atza|MARKER-ACCESS-7f3a9c';
const CLIENT_SECRET = 'MARKER-CLIENT-SECRET-7f3a9c';
const AMAZON_STATE = 'MARKER-AMAZON-STATE-7f3a9c';

const ddb = mockClient(DynamoDBDocumentClient);
const sm = mockClient(SecretsManagerClient);
const eb = mockClient(EventBridgeClient);

/** A tiny stateful stand-in for the table, enough for the flow's commands. */
function tableStandIn() {
  const items = new Map<string, Record<string, unknown>>();
  const keyOf = (k: Record<string, unknown>) => `${String(k.pk)}|${String(k.sk)}`;
  ddb.on(PutCommand).callsFake((input) => {
    items.set(keyOf(input.Item), { ...input.Item });
    return {};
  });
  ddb.on(DeleteCommand).callsFake((input) => {
    const old = items.get(keyOf(input.Key));
    items.delete(keyOf(input.Key));
    return { Attributes: old };
  });
  ddb.on(UpdateCommand).callsFake((input) => {
    const current = items.get(keyOf(input.Key)) ?? {};
    const values = input.ExpressionAttributeValues ?? {};
    // `SET a = :x, b = :y [REMOVE c, d]`: enough of the expression language for the flow's updates.
    const [setPart = '', removePart = ''] = String(input.UpdateExpression).replace(/^SET /, '').split(' REMOVE ');
    const next: Record<string, unknown> = { ...current };
    for (const clause of setPart.split(',')) {
      const [name, value] = clause.split('=').map((p: string) => p.trim());
      if (name && value) next[name] = values[value];
    }
    for (const name of removePart.split(',').map((p: string) => p.trim()).filter(Boolean)) delete next[name];
    items.set(keyOf(input.Key), next);
    return { Attributes: input.ReturnValues === 'ALL_OLD' ? current : next };
  });
  ddb.on(TransactWriteCommand).resolves({});
  return items;
}

beforeEach(() => {
  ddb.reset();
  sm.reset();
  eb.reset();
});
const output = captureOutput();

const responseText = (r: HttpResult) => JSON.stringify({ headers: r.headers, body: r.body });
const hits = (haystack: string, needles: readonly string[]) => needles.filter((n) => haystack.includes(n) || haystack.includes(encodeURIComponent(n)));

it('S11/S12: a whole flow with marker values leaves 0 markers in logs, table items, events and the callback response', async () => {
  // Prepare
  const cfg = testConfig();
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const secretsManager = new SecretsManagerClient({});
  const clock = new FakeClock(AUTH_NOW);
  const table = tableStandIn();
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ clientId: 'amzn1.application-oa2-client.x', clientSecret: CLIENT_SECRET, applicationId: 'amzn1.sp.solution.x' }) });
  sm.on(CreateSecretCommand).resolves({});
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
  const amazon = fakeAmazon({ codes: { [CODE]: REFRESH }, accessToken: ACCESS, clientSecrets: [CLIENT_SECRET] });
  const store = new DynamoPendingAuthorizationStore(doc, cfg.tableName);
  const credentials = new SecretsManagerAppCredentials(secretsManager, cfg.appSecretName);
  const start = makeStartAuthorizationHandler({ store, clock, config: cfg, accountClaim: cfg.accountClaim });
  // The shared logger, as the functions have it: what reaches stdout is what is checked.
  const ticketHandler = makeAuthorizeTicketHandler({ store, tickets: store, clock, log: logger, credentials, config: cfg });
  const login = makeLoginHandler({ store, clock, log: logger, config: cfg });
  const callback = makeCallbackHandler({ store, clock, log: logger, frontend: cfg });
  const complete = completionOverAdapters({
    store,
    doc,
    credentials,
    fetch: amazon.fetch,
    secrets: new SecretsManagerGrantSecretStore(secretsManager, { recoveryWindowDays: 30, stage: 'test' }),
    events: new EventBridgePublisher(new EventBridgeClient({}), { busName: cfg.eventBusName }),
    clock,
    log: logger,
    config: cfg,
  });

  // Act: start → ticket → Log-in → callback → reload
  const started = await invoke(start, jwtEvent({ marketplace: 'UK' }));
  const ticket = String(JSON.parse(String(started.body)).authorizationUrl).split('/').pop() as string;
  const opened = await invoke(ticketHandler, browserEvent({ ticket }));
  const binding = cookieValue(opened);
  const state = location(opened).searchParams.get('state') as string;
  const loggedIn = await invoke(login, browserEvent({ query: { amazon_callback_uri: CALLBACK_URI, amazon_state: AMAZON_STATE, selling_partner_id: SELLING_PARTNER }, cookie: binding }));
  const called = await invoke(callback, browserEvent({ query: { state, selling_partner_id: SELLING_PARTNER, spapi_oauth_code: CODE }, cookie: binding }));
  const done = await followCompletion(called, complete);
  const refused = await invoke(callback, browserEvent({ query: { state, selling_partner_id: SELLING_PARTNER, spapi_oauth_code: CODE }, cookie: null }));

  // Assess
  expect(String(done.headers?.location)).toContain('amazon_authorization=success');
  const handle = completionHandleOf(called) as string;
  expect(handle).toBeTruthy();
  const markers = [CODE, REFRESH, ACCESS, CLIENT_SECRET, 'Atzr|', 'Atza|', ticket, state, binding, AMAZON_STATE, handle, handle.split('.')[1] as string];
  const secrets = [CODE, REFRESH, ACCESS, CLIENT_SECRET, 'Atzr|', 'Atza|'];
  const logs = output.join('');
  expect(output.length).toBeGreaterThan(3);
  expect(hits(logs, markers)).toEqual([]);
  const written = JSON.stringify([...table.values(), ...ddb.calls().map((c) => c.args[0].input)]);
  expect(hits(written, [CODE, REFRESH, ACCESS, CLIENT_SECRET, 'Atzr|', 'Atza|', ticket, state, binding, handle.split('.')[1] as string])).toEqual([]);
  const events = JSON.stringify(eb.calls().map((c) => c.args[0].input));
  expect(eb.calls()).toHaveLength(1);
  expect(hits(events, markers)).toEqual([]);
  for (const r of [started, opened, loggedIn, called, done, refused]) expect(hits(responseText(r), secrets)).toEqual([]);
  for (const r of [done, refused]) expect(hits(responseText(r), markers)).toEqual([]);
  // The refresh token goes to exactly one place: the grant's secret.
  expect(sm.commandCalls(CreateSecretCommand)[0]?.args[0].input.SecretString).toBe(REFRESH);
});

it('S12: failure paths (LWA refusal, timeout, invalid client, Sellers API and secret faults) log no marker either', async () => {
  const markers = [CODE, REFRESH, 'Atzr|', 'Atza|', 'MARKER-CLIENT-SECRET'];
  const scenarios = [
    authHarness({ amazon: { codes: {} } }),
    authHarness({ amazon: { codes: { [CODE]: REFRESH }, lwa: 'timeout' } }),
    authHarness({ amazon: { codes: { [CODE]: REFRESH }, lwa: 'invalid_client' } }),
    authHarness({ amazon: { codes: { [CODE]: REFRESH }, sellers: 'http403' } }),
    authHarness({ amazon: { codes: { [CODE]: REFRESH } } }),
  ];
  scenarios[4]!.secrets.failures = Array(3).fill(Object.assign(new Error(`denied ${REFRESH}`), { name: 'AccessDeniedException' }));
  const responses: HttpResult[] = [];
  for (const h of scenarios) {
    const { binding, state } = await h.startFlow('UK');
    responses.push(await h.callback({ state, selling_partner_id: SELLING_PARTNER, spapi_oauth_code: CODE }, binding));
    const flowMarkers = [...markers, state, binding];
    expect(hits(output.join(''), flowMarkers)).toEqual([]);
    expect(hits(responseText(responses.at(-1)!), flowMarkers)).toEqual([]);
  }
  expect(responses.map((r) => new URL(String(r.headers?.location)).searchParams.get('reason'))).toEqual([
    'CODE_EXCHANGE_FAILED',
    'AMAZON_UNAVAILABLE',
    'APP_CREDENTIALS_INVALID',
    'AMAZON_UNAVAILABLE',
    'SERVICE_UNAVAILABLE',
  ]);
});
