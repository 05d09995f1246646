import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { fromGrantItem, fromVenueItem, grantItemKey, toVenueItem, venueKey } from '../../lambdas/adapters/dynamo/items.js';
import { DynamoPendingAuthorizationStore } from '../../lambdas/adapters/dynamo/pending-authorization-store.js';
import { CONSENT_WINDOW_MS } from '../../lambdas/domain/flow-lifetimes.js';
import { DETAIL_TYPES } from '../../lambdas/domain/events.js';
import { marketplace } from '../../lambdas/domain/marketplaces.js';
import { makeAuthorizeTicketHandler } from '../../lambdas/handlers/authorize-ticket.js';
import { makeCallbackHandler } from '../../lambdas/handlers/callback.js';
import { makeContinueLoginHandler } from '../../lambdas/handlers/continue-login.js';
import { makeLoginHandler } from '../../lambdas/handlers/login.js';
import { makeStartAuthorizationHandler } from '../../lambdas/handlers/start-authorization.js';
import { useDynamoDbLocal } from '../builders/dynamodb-local.js';
import { RecordingLog } from '../builders/log.js';
import {
  completionOverAdapters,
  AUTH_ACCOUNT,
  AUTH_NOW,
  CALLBACK_URI,
  SELLING_PARTNER,
  StaticCredentials,
  browserEvent,
  cookieValue,
  fakeAmazon,
  invoke,
  jwtEvent,
  location,
  testConfig,
  followCompletion,
} from '../builders/auth.js';
import { InMemorySecretStore } from '../builders/secrets.js';
import { FakeClock } from '../builders/clock.js';
import { RecordingPublisher } from '../builders/publisher.js';

/**
 * The flow's DynamoDB adapters on AWS's own engine (DynamoDB Local): the real condition
 * expressions, the real transaction, the real race. No timing is asserted.
 */

const local = useDynamoDbLocal();
let doc: DynamoDBDocumentClient;
beforeAll(() => {
  doc = local.doc();
});
async function world(participations: Record<string, boolean> = { [marketplace('UK').id]: true }) {
  const tableName = await local.newTable('auth-it');
  const cfg = testConfig({ TABLE_NAME: tableName });
  const clock = new FakeClock(AUTH_NOW);
  const log = new RecordingLog();
  const store = new DynamoPendingAuthorizationStore(doc, tableName);
  const credentials = new StaticCredentials();
  const codes: Record<string, string> = {};
  for (let i = 0; i < 5; i++) codes[`MARKER-CODE-${i}`] = `Atzr|MARKER-REFRESH-${i}`;
  const amazon = fakeAmazon({ codes, participations, lwaDelayMs: 5 });
  const secrets = new InMemorySecretStore();
  const events = new RecordingPublisher();
  const start = makeStartAuthorizationHandler({ store, clock, config: cfg, accountClaim: cfg.accountClaim });
  const ticket = makeAuthorizeTicketHandler({ store, tickets: store, clock, log, credentials, config: cfg });
  const callback = makeCallbackHandler({ store, clock, log, frontend: cfg });
  const complete = completionOverAdapters({ store, doc, credentials, fetch: amazon.fetch, secrets, events, clock, log, config: cfg, overrides: { sleep: async () => {} } });
  async function mint(code = 'UK') {
    const started = await invoke(start, jwtEvent({ marketplace: code }));
    return String(JSON.parse(String(started.body)).authorizationUrl).split('/').pop() as string;
  }
  async function startFlow(code = 'UK') {
    const t = await mint(code);
    const opened = await invoke(ticket, browserEvent({ ticket: t }));
    return { ticket: t, binding: cookieValue(opened), state: location(opened).searchParams.get('state') as string, opened };
  }
  const call = async (state: string, binding: string | null, extra: Record<string, string> = {}, caller: { accountId?: string; sub?: string } = {}) =>
    followCompletion(await invoke(callback, browserEvent({ query: { state, selling_partner_id: SELLING_PARTNER, spapi_oauth_code: 'MARKER-CODE-0', ...extra }, cookie: binding })), complete, caller);
  const scan = async () => (await doc.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
  const login = makeLoginHandler({ store, clock, log, config: cfg });
  const continueLogin = makeContinueLoginHandler({ store, clock, config: cfg, accountClaim: cfg.accountClaim });
  return { tableName, clock, amazon, secrets, events, mint, startFlow, call, scan, ticket, login, continueLogin };
}

it('a whole flow: one consumed state, the grant and 16 EU venues, no raw one-time value anywhere in the table (S1)', async () => {
  // Prepare
  const w = await world();
  const flow = await w.startFlow('UK');
  // Act
  const res = await w.call(flow.state, flow.binding);
  // Assess
  expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=UK');
  const items = await w.scan();
  const grant = items.find((i) => String(i.sk).startsWith('GRANT#'));
  expect(fromGrantItem(grant!)).toMatchObject({ grantKey: `EU#${SELLING_PARTNER}`, version: 1, alertsSent: [], revokedAt: null });
  expect(grant?.dueShard).toMatch(/^DUE#/);
  expect(items.filter((i) => String(i.sk).startsWith('VENUE#'))).toHaveLength(16);
  const pending = items.find((i) => String(i.pk).startsWith('AUTH#'));
  expect(pending).toMatchObject({ outcome: 'success', consumedAt: expect.any(String), ttl: expect.any(Number) });
  const dump = JSON.stringify(items);
  for (const raw of [flow.ticket, flow.state, flow.binding, 'MARKER-CODE-0', 'Atzr|']) expect(dump).not.toContain(raw);
});

it('S3: 20 concurrent callbacks with one state on the real engine → 1 exchange, 1 secret write, 1 Granted event', async () => {
  const w = await world();
  const flow = await w.startFlow('UK');
  const results = await Promise.all(Array.from({ length: 20 }, () => w.call(flow.state, flow.binding)));
  expect(w.amazon.lwaCalls()).toHaveLength(1);
  expect(w.secrets.puts).toBe(1);
  expect(w.events.published.filter((e) => e.detailType === DETAIL_TYPES.granted)).toHaveLength(1);
  expect(results.every((r) => r.statusCode === 303)).toBe(true);
});

it('a ticket is redeemed once on the real engine, even by 10 concurrent opens', async () => {
  const w = await world();
  const ticket = await w.mint('UK');
  const opens = await Promise.all(Array.from({ length: 10 }, () => invoke(w.ticket, browserEvent({ ticket }))));
  expect(opens.filter((r) => r.statusCode === 302)).toHaveLength(1);
  expect(opens.filter((r) => r.statusCode === 404)).toHaveLength(9);
  expect((await w.scan()).filter((i) => String(i.pk).startsWith('AUTH#'))).toHaveLength(1);
});

it('R8 and S2 on the real engine: reload by the same browser → success again; another browser → STATE_INVALID; foreign cookie on a fresh state → BROWSER_MISMATCH', async () => {
  const w = await world();
  const flow = await w.startFlow('UK');
  const first = await w.call(flow.state, flow.binding);
  expect((await w.call(flow.state, flow.binding)).headers?.location).toBe(first.headers?.location);
  expect(String((await w.call(flow.state, null)).headers?.location)).toContain('reason=STATE_INVALID');
  const other = await w.startFlow('UK');
  expect(String((await w.call(other.state, flow.binding)).headers?.location)).toContain('reason=BROWSER_MISMATCH');
  w.clock.advance(CONSENT_WINDOW_MS + 1000);
  expect(String((await w.call(other.state, other.binding)).headers?.location)).toContain('reason=FLOW_EXPIRED');
  expect(String((await w.call(other.state, null)).headers?.location)).toContain('reason=STATE_INVALID');
  expect(w.amazon.lwaCalls()).toHaveLength(1);
});

it('re-authorization keeps active flags, bumps versions and resets alerts; another selling partner replaces the grant', async () => {
  const w = await world({ [marketplace('UK').id]: true, [marketplace('DE').id]: true });
  const first = await w.startFlow('UK');
  await w.call(first.state, first.binding);
  const de = (await doc.send(new GetCommand({ TableName: w.tableName, Key: venueKey(AUTH_ACCOUNT, 'DE') }))).Item!;
  await doc.send(new PutCommand({ TableName: w.tableName, Item: { ...toVenueItem({ ...fromVenueItem(de), active: true }) } }));
  const grantKey = grantItemKey(AUTH_ACCOUNT, `EU#${SELLING_PARTNER}`);
  const stored = (await doc.send(new GetCommand({ TableName: w.tableName, Key: grantKey }))).Item!;
  await doc.send(new PutCommand({ TableName: w.tableName, Item: { ...stored, alertsSent: ['30d'], revokedAt: '2026-12-01T00:00:00.000Z' } }));
  const firstSecret = String(stored.secretName);

  w.clock.advance(200 * 86_400_000);
  const second = await w.startFlow('DE');
  await w.call(second.state, second.binding, { spapi_oauth_code: 'MARKER-CODE-1' });
  const regrant = fromGrantItem((await doc.send(new GetCommand({ TableName: w.tableName, Key: grantKey }))).Item!);
  expect(regrant).toMatchObject({ version: 2, alertsSent: [], revokedAt: null });
  // Each authorization has its own secret; the replaced one is retired once no row names it.
  expect(regrant.secretName).not.toBe(firstSecret);
  expect(w.secrets.deleted).toEqual([firstSecret]);
  expect(regrant.generatedAt.toISOString()).toBe(w.clock.now().toISOString());
  const deAfter = fromVenueItem((await doc.send(new GetCommand({ TableName: w.tableName, Key: venueKey(AUTH_ACCOUNT, 'DE') }))).Item!);
  expect(deAfter).toMatchObject({ active: true, participating: true, grantKey: `EU#${SELLING_PARTNER}` });

  const third = await w.startFlow('UK');
  await w.call(third.state, third.binding, { spapi_oauth_code: 'MARKER-CODE-2', selling_partner_id: 'A9OTHERSELLER' });
  const items = await w.scan();
  expect(items.filter((i) => String(i.sk).startsWith('GRANT#')).map((i) => i.grantKey)).toEqual(['EU#A9OTHERSELLER']);
  expect(items.filter((i) => String(i.sk).startsWith('VENUE#')).every((i) => i.grantKey === 'EU#A9OTHERSELLER')).toBe(true);
  expect(fromVenueItem(items.find((i) => i.sk === 'VENUE#DE')!).active).toBe(true);
  expect(w.secrets.deleted).toEqual([firstSecret, regrant.secretName]);
  expect(w.events.published.map((e) => e.detailType)).toEqual([DETAIL_TYPES.granted, DETAIL_TYPES.granted, DETAIL_TYPES.granted, DETAIL_TYPES.disconnected]);
});

it('R4 on the real engine: an older exchange never overwrites a newer grant', async () => {
  const w = await world();
  const older = await w.startFlow('UK');
  const newer = await w.startFlow('UK');
  w.clock.advance(2000);
  await w.call(newer.state, newer.binding, { spapi_oauth_code: 'MARKER-CODE-1' });
  const key = grantItemKey(AUTH_ACCOUNT, `EU#${SELLING_PARTNER}`);
  const before = (await doc.send(new GetCommand({ TableName: w.tableName, Key: key }))).Item;
  w.clock.advance(-1000);
  const res = await w.call(older.state, older.binding, { spapi_oauth_code: 'MARKER-CODE-2' });
  expect(String(res.headers?.location)).toContain('amazon_authorization=success');
  expect((await doc.send(new GetCommand({ TableName: w.tableName, Key: key }))).Item).toEqual(before);
  expect(w.events.published).toHaveLength(1);
});

it('S4 on the real engine, to the millisecond: at expiresAt a ticket, a Log-in step and a state are refused; 1 ms before, a state is accepted', async () => {
  // Prepare: a ticket lives 10 minutes; a state the consent window from the ticket's redemption.
  const w = await world();
  const lateTicket = await w.mint('UK');
  w.clock.advance(10 * 60_000);
  const ticketAtExpiry = await invoke(w.ticket, browserEvent({ ticket: lateTicket }));
  const late = await w.startFlow('UK');
  const early = await w.startFlow('UK');
  // Act
  w.clock.advance(CONSENT_WINDOW_MS - 1);
  const accepted = await w.call(early.state, early.binding);
  w.clock.advance(1);
  const loginAtExpiry = await invoke(w.login, browserEvent({ query: { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-1', selling_partner_id: SELLING_PARTNER }, cookie: late.binding }));
  const stateAtExpiry = await w.call(late.state, late.binding);
  // Assess
  expect(String(accepted.headers?.location)).toContain('amazon_authorization=success');
  expect(ticketAtExpiry.statusCode).toBe(404);
  expect(String(loginAtExpiry.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&marketplace=UK&reason=FLOW_EXPIRED');
  expect(String(stateAtExpiry.headers?.location)).toContain('reason=FLOW_EXPIRED');
  expect(w.amazon.lwaCalls()).toHaveLength(1);
});

it('a flow started on Amazon leaves no amazon_state in the table, and the ticket still continues to Amazon with it', async () => {
  const w = await world();
  const amazonState = 'MARKER-AMAZON-STATE-LOCAL';
  const created = await invoke(w.continueLogin, jwtEvent({ body: { amazonCallbackUri: CALLBACK_URI, amazonState, sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' } }));
  expect(JSON.stringify(await w.scan())).not.toContain(amazonState);
  const ticket = String(JSON.parse(String(created.body)).authorizationUrl).split('/').pop() as string;
  const opened = await invoke(w.ticket, browserEvent({ ticket }));
  expect(location(opened).searchParams.get('amazon_state')).toBe(amazonState);
  const done = await w.call(location(opened).searchParams.get('state') as string, cookieValue(opened));
  expect(String(done.headers?.location)).toContain('amazon_authorization=success');
  expect(JSON.stringify(await w.scan())).not.toContain(amazonState);
});

it('on the real engine: the completion is bound to the account (another account is refused with nothing written), the code and the held grant leave the table once claimed, and no marker is ever stored in clear', async () => {
  const w = await world();
  const flow = await w.startFlow('UK');
  const foreign = await w.call(flow.state, flow.binding, {}, { accountId: 'acct-attacker' });
  expect(String(foreign.headers?.location)).toContain('reason=ACCOUNT_MISMATCH');
  expect(w.amazon.lwaCalls()).toHaveLength(0);
  const items = await w.scan();
  expect(items.filter((i) => String(i.sk).startsWith('GRANT#'))).toHaveLength(0);
  const pending = items.find((i) => String(i.pk).startsWith('AUTH#'));
  expect(pending).toMatchObject({ sealedCode: expect.stringMatching(/^v1\./), completionHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  expect(JSON.stringify(items)).not.toContain('MARKER-CODE-0');

  // Started on Amazon: exchanged and held sealed until the seller confirms.
  const created = await invoke(w.continueLogin, jwtEvent({ body: { amazonCallbackUri: CALLBACK_URI, amazonState: 'amz-1', sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' } }));
  const opened = await invoke(w.ticket, browserEvent({ ticket: String(JSON.parse(String(created.body)).authorizationUrl).split('/').pop() as string }));
  const done = await w.call(location(opened).searchParams.get('state') as string, cookieValue(opened), { spapi_oauth_code: 'MARKER-CODE-1' });
  expect(String(done.headers?.location)).toContain('amazon_authorization=success');
  const after = JSON.stringify(await w.scan());
  expect(after).not.toContain('MARKER-REFRESH-1');
  expect(after).not.toContain('"sealedGrant"');
});
