import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoPendingAuthorizationStore } from '../../../../lambdas/adapters/dynamo/pending-authorization-store.js';
import { makeAuthorizeTicketHandler } from '../../../../lambdas/handlers/authorize-ticket.js';
import { makeContinueLoginHandler } from '../../../../lambdas/handlers/continue-login.js';
import { hashOneTime } from '../../../../lambdas/domain/one-time-values.js';
import { openForTicket, sealForTicket } from '../../../../lambdas/domain/sealing.js';
import { CALLBACK_URI, SELLING_PARTNER, authHarness, browserEvent, invoke, jwtEvent, location, testConfig, AUTH_NOW } from '../../../builders/auth.js';
import { FakeClock } from '../../../builders/clock.js';
import { logger } from '../../../../lambdas/shared/logger.js';
import { captureOutput } from '../../../builders/output.js';

/** amazon_state never reaches the table: it is sealed under the raw ticket, and only that ticket opens it. */

/** Handler logs, at DEBUG, go to the captured output instead of the test report. */
captureOutput();

describe('amazon_state never reaches the table: sealed under the raw ticket', () => {
  const AMAZON_STATE = 'MARKER-AMAZON-STATE-ADV3';

  it('seals so that only the same ticket opens it; another ticket or an altered value opens nothing', () => {
    const ticket = 'T'.repeat(43);
    const sealed = sealForTicket(ticket, AMAZON_STATE);
    expect(sealed).not.toContain(AMAZON_STATE);
    expect(sealed).not.toBe(sealForTicket(ticket, AMAZON_STATE));
    expect(openForTicket(ticket, sealed)).toBe(AMAZON_STATE);
    expect(openForTicket('U'.repeat(43), sealed)).toBeNull();
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1);
    expect(openForTicket(ticket, flipped)).toBeNull();
    expect(openForTicket(ticket, AMAZON_STATE)).toBeNull();
    expect(openForTicket(ticket, 'v1.')).toBeNull();
  });

  it('login-continuations writes no amazon_state to DynamoDB; the ticket still continues to Amazon with it', async () => {
    // Prepare
    const ddb = mockClient(DynamoDBDocumentClient);
    const cfg = testConfig();
    const store = new DynamoPendingAuthorizationStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), cfg.tableName);
    ddb.on(PutCommand).resolves({});
    const handler = makeContinueLoginHandler({ store, clock: new FakeClock(AUTH_NOW), config: cfg, accountClaim: cfg.accountClaim });
    // Act
    const res = await invoke(handler, jwtEvent({ body: { amazonCallbackUri: CALLBACK_URI, amazonState: AMAZON_STATE, sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' } }));
    // Assess
    expect(res.statusCode).toBe(201);
    const written = JSON.stringify(ddb.calls().map((c) => c.args[0].input));
    expect(written).toContain('amazonState');
    expect(written).not.toContain(AMAZON_STATE);

    // The browser redeems the ticket: the stored item comes back and is opened with the raw ticket.
    const ticket = String(JSON.parse(String(res.body)).authorizationUrl).split('/').pop() as string;
    const item = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item;
    ddb.on(DeleteCommand).resolves({ Attributes: item });
    const h = authHarness();
    const opened = await invoke(makeAuthorizeTicketHandler({ store, tickets: store, clock: new FakeClock(AUTH_NOW), log: logger, credentials: h.credentials, config: cfg }), browserEvent({ ticket }));
    expect(opened.statusCode).toBe(302);
    expect(location(opened).searchParams.get('amazon_state')).toBe(AMAZON_STATE);
    expect(JSON.stringify(ddb.commandCalls(PutCommand).slice(1).map((c) => c.args[0].input))).not.toContain(AMAZON_STATE);
    ddb.restore();
  });

  it('a stored continuation that was not sealed for this ticket is refused, never forwarded', async () => {
    const h = authHarness();
    const created = await invoke(h.handlers.continueLogin, jwtEvent({ body: { amazonCallbackUri: CALLBACK_URI, amazonState: AMAZON_STATE, sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' } }));
    const ticket = String(JSON.parse(String(created.body)).authorizationUrl).split('/').pop() as string;
    expect(JSON.stringify([...h.store.tickets.values()])).not.toContain(AMAZON_STATE);
    const stored = h.store.tickets.get(hashOneTime(ticket))!;
    h.store.tickets.set(hashOneTime(ticket), { ...stored, continuation: { ...stored.continuation!, amazonState: 'planted-by-someone-with-table-access' } });
    const res = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    expect(res.statusCode).toBe(404);
    expect(res.headers?.location).toBeUndefined();
  });
});
