import { CALLBACK_URI, SELLING_PARTNER, authHarness, browserEvent, cookieValue, invoke, jwtEvent, location, MARKER_CODE as CODE, MARKER_REFRESH as REFRESH, okCallback, reasonOf } from '../../../builders/auth.js';
import { captureOutput } from '../../../builders/output.js';

/** S7: the selling partner of a flow started on Amazon is bound too, at the Log-in URI and at the callback. */

/** Handler logs, at DEBUG, go to the captured output instead of the test report. */
captureOutput();

describe('S7: the selling partner of a flow started on Amazon is bound too', () => {
  it('a callback naming another selling partner than the continuation is refused without an exchange and leaves the state usable', async () => {
    // Prepare
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const body = { amazonCallbackUri: CALLBACK_URI, amazonState: 'amz-state-7', sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' };
    const created = await invoke(h.handlers.continueLogin, jwtEvent({ body }));
    const ticket = String(JSON.parse(String(created.body)).authorizationUrl).split('/').pop() as string;
    const opened = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    const binding = cookieValue(opened);
    const state = location(opened).searchParams.get('state') as string;
    // Act
    const injected = await h.callback(okCallback(state, { selling_partner_id: 'A9INJECTEDSELLER' }), binding);
    const genuine = await h.callback(okCallback(state), binding);
    // Assess
    expect(reasonOf(injected)).toBe('STATE_INVALID');
    expect(String(genuine.headers?.location)).toContain('amazon_authorization=success');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
    expect([...h.grants.grants.keys()]).toEqual([`EU#${SELLING_PARTNER}`]);
  });

  it('a Log-in URI naming another selling partner than the continuation does not send our state to Amazon', async () => {
    const h = authHarness();
    const body = { amazonCallbackUri: CALLBACK_URI, amazonState: 'amz-state-8', sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' };
    const created = await invoke(h.handlers.continueLogin, jwtEvent({ body }));
    const ticket = String(JSON.parse(String(created.body)).authorizationUrl).split('/').pop() as string;
    const opened = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    const binding = cookieValue(opened);
    const res = await invoke(h.handlers.login, browserEvent({ query: { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-9', selling_partner_id: 'A9INJECTEDSELLER' }, cookie: binding }));
    expect(location(res).origin).toBe('https://app.aob.test');
    expect(location(res).searchParams.get('state')).toBeNull();
  });
});
