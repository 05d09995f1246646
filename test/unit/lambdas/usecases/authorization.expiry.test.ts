import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoPendingAuthorizationStore } from '../../../../lambdas/adapters/dynamo/pending-authorization-store.js';
import { PENDING_TTL_GRACE_SECONDS } from '../../../../lambdas/adapters/dynamo/pending-authorization-items.js';
import { CONSENT_WINDOW_MS } from '../../../../lambdas/domain/flow-lifetimes.js';
import { hashOneTime } from '../../../../lambdas/domain/one-time-values.js';
import { AUTH_ACCOUNT, CALLBACK_URI, SELLING_PARTNER, authHarness, browserEvent, invoke, jwtEvent, location, MARKER_CODE as CODE, MARKER_REFRESH as REFRESH, okCallback, reasonOf } from '../../../builders/auth.js';
import { captureOutput } from '../../../builders/output.js';

/**
 * S4: expiry is checked in code at every step, to the millisecond, while the table keeps a pending
 * authorization a while longer so that a grant transaction after a last-second consume finds it.
 */

/** Handler logs, at DEBUG, go to the captured output instead of the test report. */
captureOutput();

describe('S4: expiry is checked in code at every step, to the millisecond', () => {
  it('a ticket at exactly expiresAt is refused', async () => {
    const h = authHarness();
    const started = await invoke(h.handlers.start, jwtEvent({ marketplace: 'UK' }));
    const ticket = String(JSON.parse(String(started.body)).authorizationUrl).split('/').pop() as string;
    h.clock.advance(10 * 60_000);
    const res = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    expect(res.statusCode).toBe(404);
    expect(res.cookies).toBeUndefined();
  });

  it('a state at exactly expiresAt is refused without an exchange; 1 ms earlier it is accepted', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const late = await h.startFlow('UK');
    const early = await h.startFlow('DE');
    // The state lives for the consent window from the moment the ticket sent the browser to Amazon.
    h.clock.advance(CONSENT_WINDOW_MS - 1);
    const ok = await h.callback(okCallback(early.state), early.binding);
    h.clock.advance(1);
    const refused = await h.callback(okCallback(late.state), late.binding);
    expect(String(ok.headers?.location)).toContain('amazon_authorization=success');
    // The same browser learns it took too long (and can restart in one click); nothing was exchanged.
    expect(reasonOf(refused)).toBe('FLOW_EXPIRED');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
  });

  it('the Log-in URI after expiry never sends our state to Amazon and records nothing', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    h.clock.advance(CONSENT_WINDOW_MS + 1000);
    const res = await invoke(h.handlers.login, browserEvent({ query: { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-1', selling_partner_id: SELLING_PARTNER }, cookie: binding }));
    expect(location(res).origin).toBe('https://app.aob.test');
    // Our outcome page, not the connect page claiming the flow started on Amazon.
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&marketplace=UK&reason=FLOW_EXPIRED');
    expect(String(res.headers?.location)).not.toContain(state);
    expect(h.store.pending.get(hashOneTime(state))?.sellingPartnerId).toBeNull();
  });
});

it('a pending authorization outlives its expiresAt in the table (TTL + 1 h), so a grant transaction a few seconds after a last-second consume still finds it; expiry stays enforced in code', async () => {
  // Prepare
  const ddb = mockClient(DynamoDBDocumentClient);
  ddb.on(PutCommand).resolves({});
  const store = new DynamoPendingAuthorizationStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'table');
  const expiresAt = new Date('2026-11-27T10:10:00.000Z');
  // Act
  await store.open({ stateHash: 's', ticketHash: 't', bindingHash: 'b', accountId: AUTH_ACCOUNT, sub: null, marketplace: 'UK', returnPath: '/settings/venues', expiresAt, sellingPartnerId: null });
  // Assess
  const item = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item;
  expect(PENDING_TTL_GRACE_SECONDS).toBe(3600);
  expect(item).toMatchObject({ expiresAt: expiresAt.toISOString(), ttl: expiresAt.getTime() / 1000 + 3600 });
  ddb.restore();
});
