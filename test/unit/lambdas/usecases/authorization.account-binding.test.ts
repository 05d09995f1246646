import { AUTH_ACCOUNT, CALLBACK_URI, SELLING_PARTNER, authHarness, completionHandleOf, invoke, jwtEvent, MARKER_CODE as CODE, MARKER_REFRESH as REFRESH, okCallback } from '../../../builders/auth.js';
import { logger } from '../../../../lambdas/shared/logger.js';
import { captureOutput } from '../../../builders/output.js';

/**
 * S15: the account comes from the verified JWT only, and the completion is bound to the AoB account
 * (and user) that started the flow.
 */

const output = captureOutput();

describe('S15: the account comes from the verified JWT only', () => {
  it('a body naming an account is refused (400) and stores nothing', async () => {
    const h = authHarness();
    const start = await invoke(h.handlers.start, jwtEvent({ marketplace: 'UK', body: { accountId: 'acct-victim' } }));
    const cont = await invoke(h.handlers.continueLogin, jwtEvent({ body: { amazonCallbackUri: CALLBACK_URI, amazonState: 'a', sellingPartnerId: SELLING_PARTNER, marketplace: 'UK', accountId: 'acct-victim' } }));
    expect([start.statusCode, cont.statusCode]).toEqual([400, 400]);
    expect(h.store.writes).toBe(0);
  });

  it('the grant lands on the account of the JWT that started the flow, whatever the callback carries', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const { binding, state } = await h.startFlow('UK', undefined, 'acct-owner');
    await h.callback(okCallback(state, { account: AUTH_ACCOUNT, accountId: AUTH_ACCOUNT }), binding, { accountId: 'acct-owner' });
    expect([...h.grants.grants.values()].map((g) => g.accountId)).toEqual(['acct-owner']);
  });
});

describe('completion bound to the AoB account that started the flow', () => {
  it('planted ticket: a flow the attacker’s account started, finished in the seller’s signed-in browser, ends in ACCOUNT_MISMATCH with an alarm: no exchange, no grant anywhere', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } }, log: logger });
    const { binding, state } = await h.startFlow('UK', undefined, 'acct-attacker');
    const res = await h.callback(okCallback(state), binding, { accountId: AUTH_ACCOUNT });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&marketplace=UK&reason=ACCOUNT_MISMATCH');
    expect(JSON.parse(String(res.body)).error).toMatchObject({ code: 'ACCOUNT_MISMATCH', message: 'This authorization was started from another AoB account. Nothing was saved.' });
    expect(h.amazon.calls).toHaveLength(0);
    expect(h.grants.grants.size + h.secrets.puts + h.events.calls).toBe(0);
    expect(output.join('')).toMatch(/"alarm":"ACCOUNT_MISMATCH"/);
    // The code stays sealed in the table for the owner only; the attacker never had the handle.
  });

  it('the same account with another user (sub) is refused too; the right user still completes afterwards', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const { binding, state } = await h.startFlow('UK');
    const called = await h.rawCallback(okCallback(state), binding);
    const handle = completionHandleOf(called) as string;
    const other = await h.complete(handle, { sub: 'someone-else' });
    expect(other.statusCode).toBe(403);
    expect(h.amazon.calls).toHaveLength(0);
    const owner = await h.complete(handle);
    expect(JSON.parse(String(owner.body)).amazonAuthorization).toBe('success');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
  });

  it('a completion after Amazon’s 5-minute code lifetime is not sent to Amazon: CODE_EXCHANGE_FAILED', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const { binding, state } = await h.startFlow('UK');
    const called = await h.rawCallback(okCallback(state), binding);
    h.clock.advance(5 * 60_000);
    const late = await h.complete(completionHandleOf(called) as string);
    expect(JSON.parse(String(late.body))).toMatchObject({ amazonAuthorization: 'error', reason: 'CODE_EXCHANGE_FAILED' });
    expect(h.amazon.calls).toHaveLength(0);
  });

  it('a completion is claimed once: a repeat after success answers success without a second exchange; a forged or altered handle is STATE_INVALID', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const { binding, state } = await h.startFlow('UK');
    const handle = completionHandleOf(await h.rawCallback(okCallback(state), binding)) as string;
    const [first, second] = await Promise.all([h.complete(handle), h.complete(handle)]);
    const outcomes = [first, second].map((r) => JSON.parse(String(r.body)).amazonAuthorization);
    expect(outcomes).toContain('success');
    const again = await h.complete(handle);
    expect(JSON.parse(String(again.body)).amazonAuthorization).toBe('success');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
    const [locator] = handle.split('.');
    const forged = await h.complete(`${locator}.${'A'.repeat(43)}`);
    expect(JSON.parse(String(forged.body))).toMatchObject({ amazonAuthorization: 'error', reason: 'STATE_INVALID' });
    const malformed = await invoke(h.handlers.complete, jwtEvent({ body: { completion: 'x' } }));
    expect(malformed.statusCode).toBe(400);
    expect(h.amazon.lwaCalls()).toHaveLength(1);
  });
});
