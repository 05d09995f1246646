import { CONSENT_WINDOW_MS } from '../../../../lambdas/domain/flow-lifetimes.js';
import { hashOneTime, stateFromBinding } from '../../../../lambdas/domain/one-time-values.js';
import { DETAIL_TYPES } from '../../../../lambdas/domain/events.js';
import { marketplace } from '../../../../lambdas/domain/marketplaces.js';
import {
  APP,
  AUTH_ACCOUNT,
  AUTH_SUB,
  CALLBACK_URI,
  SELLING_PARTNER,
  StaticCredentials,
  authHarness,
  browserEvent,
  cookieValue,
  invoke,
  jwtEvent,
  location,
  completionHandleOf,
} from '../../../builders/auth.js';

const CODE = 'MARKER-CODE-0001';
const REFRESH = 'Atzr|MARKER-REFRESH-0001';
const okCallback = (state: string, extra: Record<string, string> = {}) => ({ state, selling_partner_id: SELLING_PARTNER, spapi_oauth_code: CODE, ...extra });

describe('authorization started in AoB (docs/authorization.md, website workflow)', () => {
  it('POST …/authorizations answers 201 with a one-time ticket URL on this API, valid 10 minutes, and stores only its hash', async () => {
    // Prepare
    const h = authHarness();
    // Act
    const res = await invoke(h.handlers.start, jwtEvent({ marketplace: 'uk' }));
    // Assess
    expect(res.statusCode).toBe(201);
    const body = JSON.parse(String(res.body));
    expect(body.authorizationUrl).toMatch(/^https:\/\/api\.aob\.test\/v1\/amazon\/authorize\/[A-Za-z0-9_-]{43}$/);
    expect(body.expiresAt).toBe(new Date(h.clock.now().getTime() + 10 * 60_000).toISOString());
    const ticket = body.authorizationUrl.split('/').pop();
    const [stored] = [...h.store.tickets.values()];
    expect(stored).toMatchObject({ ticketHash: hashOneTime(ticket), accountId: AUTH_ACCOUNT, sub: AUTH_SUB, marketplace: 'UK', returnPath: '/settings/venues', continuation: null });
    expect(JSON.stringify([...h.store.tickets.entries()])).not.toContain(ticket);
  });

  it('accepts a configured returnPath and refuses anything else with 400 (never a URL)', async () => {
    const h = authHarness();
    const ok = await invoke(h.handlers.start, jwtEvent({ marketplace: 'DE', body: { returnPath: '/onboarding/amazon' } }));
    expect(ok.statusCode).toBe(201);
    expect([...h.store.tickets.values()][0]?.returnPath).toBe('/onboarding/amazon');
    for (const returnPath of ['//evil.example', 'https://evil.example/settings/venues', '/settings/venues/../x', '/elsewhere', '/settings/venues?x=1']) {
      const bad = await invoke(h.handlers.start, jwtEvent({ marketplace: 'DE', body: { returnPath } }));
      expect(bad.statusCode).toBe(400);
    }
  });

  it('refuses an unknown marketplace (400, listing the valid ones) and a token without an account (401)', async () => {
    const h = authHarness();
    const unknown = await invoke(h.handlers.start, jwtEvent({ marketplace: 'XX' }));
    expect(unknown.statusCode).toBe(400);
    expect(JSON.parse(String(unknown.body)).error.details.validMarketplaces).toContain('UK');
    const anonymous = await invoke(h.handlers.start, jwtEvent({ marketplace: 'UK', accountId: null }));
    expect(anonymous.statusCode).toBe(401);
    expect(h.store.writes).toBe(0);
  });

  it('the ticket sets the binding cookie and 302s to the pinned consent URL (S5); the state is derived from the cookie', async () => {
    const h = authHarness();
    const { opened, consent, binding, state } = await h.startFlow('UK');
    expect(opened.statusCode).toBe(302);
    expect(consent.origin + consent.pathname).toBe('https://sellercentral-europe.amazon.com/apps/authorize/consent');
    expect([...consent.searchParams.keys()].sort()).toEqual(['application_id', 'state']);
    expect(consent.searchParams.get('application_id')).toBe(APP.applicationId);
    expect(state).toBe(stateFromBinding(binding));
    expect(opened.cookies).toHaveLength(1);
    const cookie = String(opened.cookies?.[0]);
    expect(cookie).toBe(`aob_amazon_auth=${binding}; Path=/v1/amazon/; Max-Age=4800; HttpOnly; SameSite=Lax; Secure`);
    expect(opened.headers).toMatchObject({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    expect([...h.store.pending.values()][0]).toMatchObject({ stateHash: hashOneTime(state), bindingHash: hashOneTime(binding), accountId: AUTH_ACCOUNT, marketplace: 'UK' });
  });

  it('sends version=beta for a draft app and uses the Seller Central override locally; no Secure flag on loopback http', async () => {
    const h = authHarness({
      env: { DRAFT_APP: 'true', SELLER_CENTRAL_URL_OVERRIDE: 'http://127.0.0.1:3001/sellercentral/{marketplace}', API_BASE_URL: 'http://127.0.0.1:3000' },
    });
    const { consent, opened } = await h.startFlow('JP');
    expect(consent.href).toMatch(/^http:\/\/127\.0\.0\.1:3001\/sellercentral\/jp\/apps\/authorize\/consent\?/);
    expect(consent.searchParams.get('version')).toBe('beta');
    expect(String(opened.cookies?.[0])).not.toContain('Secure');
  });

  it('a ticket works once: a second open, an unknown or an expired ticket gets an HTML page (4xx) linking back to Venue Settings', async () => {
    const h = authHarness();
    const { ticket } = await h.startFlow('UK');
    const again = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    expect(again.statusCode).toBe(404);
    expect(again.headers?.['content-type']).toContain('text/html');
    expect(String(again.body)).toContain('expired or was already used');
    expect(String(again.body)).toContain('href="https://app.aob.test/settings/venues"');
    expect(again.headers).toMatchObject({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });

    const started = await invoke(h.handlers.start, jwtEvent({ marketplace: 'UK' }));
    const expiring = JSON.parse(String(started.body)).authorizationUrl.split('/').pop();
    h.clock.advance(10 * 60_000 + 1000);
    expect((await invoke(h.handlers.ticket, browserEvent({ ticket: expiring }))).statusCode).toBe(404);
    expect((await invoke(h.handlers.ticket, browserEvent({ ticket: 'not-a-ticket' }))).statusCode).toBe(404);
  });

  it('Log-in URI with the binding cookie: records the selling partner and 302s to amazon_callback_uri with amazon_state and state', async () => {
    const h = authHarness({ env: { DRAFT_APP: 'true' } });
    const { binding, state } = await h.startFlow('UK');
    const res = await invoke(h.handlers.login, browserEvent({ query: { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-state-1', selling_partner_id: SELLING_PARTNER, version: 'beta' }, cookie: binding }));
    expect(res.statusCode).toBe(302);
    const to = location(res);
    expect(to.origin + to.pathname).toBe(CALLBACK_URI);
    expect(Object.fromEntries(to.searchParams)).toEqual({ amazon_state: 'amz-state-1', state, version: 'beta' });
    expect(h.store.pending.get(hashOneTime(state))?.sellingPartnerId).toBe(SELLING_PARTNER);
  });

  it('success: 303 to the frontend return path, grant and every EU venue stored, one Granted event, secret holds the refresh token', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK', { returnPath: '/onboarding/amazon' });
    const called = await h.rawCallback(okCallback(state), binding);
    // The callback exchanges nothing: 303 to the completion page, the binding cookie removed.
    expect(called.statusCode).toBe(303);
    expect(called.headers).toMatchObject({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store', 'strict-transport-security': 'max-age=63072000; includeSubDomains' });
    expect(String(called.headers?.location)).toMatch(/^https:\/\/app\.aob\.test\/settings\/venues\/amazon\/complete#completion=/);
    expect(called.cookies).toEqual(['aob_amazon_auth=; Path=/v1/amazon/; Max-Age=0; HttpOnly; SameSite=Lax; Secure']);
    expect(h.amazon.calls).toHaveLength(0);
    expect(h.grants.writes).toBe(0);
    const done = await h.complete(completionHandleOf(called) as string);
    expect(done.statusCode).toBe(200);
    expect(JSON.parse(String(done.body))).toEqual({
      amazonAuthorization: 'success',
      marketplace: 'UK',
      message: 'Amazon is connected',
      redirectUrl: 'https://app.aob.test/onboarding/amazon?amazon_authorization=success&marketplace=UK',
    });
    const grant = h.grants.grants.get(`EU#${SELLING_PARTNER}`);
    expect(grant).toMatchObject({ accountId: AUTH_ACCOUNT, region: 'EU', sellingPartnerId: SELLING_PARTNER, alertsSent: [], revokedAt: null });
    expect(grant?.expiresAt.getTime()).toBe(h.clock.now().getTime() + 365 * 86_400_000);
    expect(grant?.nextAlertAt?.toISOString()).toBe(new Date(grant!.expiresAt.getTime() - 30 * 86_400_000).toISOString());
    expect(grant?.secretName).toMatch(new RegExp(`^aob-amazon-connect/test/grants/${AUTH_ACCOUNT}/EU/${SELLING_PARTNER}/a-[0-9a-f]{20}$`));
    expect(h.secrets.secrets.get(grant!.secretName)).toBe(REFRESH);
    expect([...h.grants.venues.keys()].sort()).toEqual(['AE', 'BE', 'DE', 'EG', 'ES', 'FR', 'IE', 'IN', 'IT', 'NL', 'PL', 'SA', 'SE', 'TR', 'UK', 'ZA']);
    expect(h.events.published).toHaveLength(1);
    expect(h.events.published[0]).toMatchObject({ detailType: DETAIL_TYPES.granted, detail: { reauthorization: false, accountId: AUTH_ACCOUNT, region: 'EU' } });
  });

  it('exchanges the code with the configured redirect_uri only; injected redirect_uri / return_to parameters are ignored (S5)', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback(okCallback(state, { redirect_uri: 'https://evil.example/cb', return_to: 'https://evil.example' }), binding);
    expect(location(res).origin).toBe('https://app.aob.test');
    const [call] = h.amazon.lwaCalls();
    expect(call?.url).toBe('https://api.amazon.com/auth/o2/token');
    expect(new URLSearchParams(call?.body).get('redirect_uri')).toBe('https://api.aob.test/v1/amazon/callback');
    expect(call?.init.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' });
  });

  it('FE: only the authorized marketplace is covered, with its own grant key', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH }, participations: { [marketplace('JP').id]: true } } });
    const { binding, state } = await h.startFlow('JP');
    const res = await h.callback(okCallback(state), binding);
    expect(String(res.headers?.location)).toContain('amazon_authorization=success&marketplace=JP');
    expect([...h.grants.grants.keys()]).toEqual([`FE#${SELLING_PARTNER}#JP`]);
    expect([...h.grants.venues.keys()]).toEqual(['JP']);
  });

  it('stored but not registered on the authorized marketplace: success with notice=NOT_REGISTERED, participating flags from the Sellers API', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH }, participations: { [marketplace('DE').id]: true } } });
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback(okCallback(state), binding);
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=UK&notice=NOT_REGISTERED');
    expect(h.grants.venues.get('UK')?.participating).toBe(false);
    expect(h.grants.venues.get('DE')?.participating).toBe(true);
    // The Granted event tells the 16 covered marketplaces and the one the seller sells on apart.
    expect(h.events.published[0]?.detail).toMatchObject({ sellingMarketplaces: ['DE'] });
    expect(h.events.published[0]?.detail.marketplaces).toHaveLength(16);
  });

  it('WRONG_REGION when the participations hold no marketplace of the region: nothing stored, no event', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH }, participations: { [marketplace('US').id]: true } } });
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback(okCallback(state), binding);
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&marketplace=UK&reason=WRONG_REGION');
    expect(h.secrets.puts).toBe(0);
    expect(h.grants.writes).toBe(0);
    expect(h.events.calls).toBe(0);
  });

  it('a re-authorization replaces the token, resets thresholds and emits Granted with reauthorization=true; active flags are kept', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH, 'MARKER-CODE-0002': 'Atzr|MARKER-REFRESH-0002' } } });
    const first = await h.startFlow('UK');
    await h.callback(okCallback(first.state), first.binding);
    h.grants.venues.set('UK', { ...h.grants.venues.get('UK')!, active: true });
    h.grants.grants.set(`EU#${SELLING_PARTNER}`, { ...h.grants.grants.get(`EU#${SELLING_PARTNER}`)!, alertsSent: ['30d'] });
    h.clock.advance(300 * 86_400_000);
    const second = await h.startFlow('DE');
    const res = await h.callback(okCallback(second.state, { spapi_oauth_code: 'MARKER-CODE-0002' }), second.binding);
    // The outcome says it is a renewal, not a first connection.
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=DE&change=renewed');
    const grant = h.grants.grants.get(`EU#${SELLING_PARTNER}`)!;
    expect(grant.generatedAt.toISOString()).toBe(h.clock.now().toISOString());
    expect(grant.alertsSent).toEqual([]);
    expect(h.grants.venues.get('UK')?.active).toBe(true);
    expect(h.secrets.secrets.get(grant.secretName)).toBe('Atzr|MARKER-REFRESH-0002');
    expect(h.events.published.map((e) => (e.detail as { reauthorization?: boolean }).reauthorization)).toEqual([false, true]);
  });

  it('authorizing another selling partner for the region replaces the old grant: its secret is scheduled for deletion and a Disconnected event is sent', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH, 'MARKER-CODE-0002': 'Atzr|MARKER-REFRESH-0002' } } });
    const first = await h.startFlow('UK');
    await h.callback(okCallback(first.state), first.binding);
    const oldSecret = h.grants.grants.get(`EU#${SELLING_PARTNER}`)!.secretName;
    const second = await h.startFlow('UK');
    const res = await h.callback(okCallback(second.state, { spapi_oauth_code: 'MARKER-CODE-0002', selling_partner_id: 'A9OTHERSELLER' }), second.binding);
    // The outcome names the Amazon seller account whose authorization was replaced.
    expect(String(res.headers?.location)).toBe(`https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=UK&change=replaced&replaced=${SELLING_PARTNER}`);
    expect([...h.grants.grants.keys()]).toEqual(['EU#A9OTHERSELLER']);
    expect(h.secrets.deleted).toEqual([oldSecret]);
    expect(h.events.published.slice(1).map((e) => e.detailType)).toEqual([DETAIL_TYPES.granted, DETAIL_TYPES.disconnected]);
  });
});

describe('authorization started on Amazon (docs/authorization.md, "Started on Amazon")', () => {
  const loginQuery = { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-state-2', selling_partner_id: SELLING_PARTNER };

  it('Log-in URI without a cookie 302s to the frontend connect page with the three parameters', async () => {
    const h = authHarness();
    const res = await invoke(h.handlers.login, browserEvent({ query: loginQuery }));
    expect(res.statusCode).toBe(302);
    const to = location(res);
    expect(to.origin + to.pathname).toBe('https://app.aob.test/settings/venues/amazon/connect');
    expect(Object.fromEntries(to.searchParams)).toEqual(loginQuery);
    expect(h.store.writes).toBe(0);
  });

  it('a stale cookie (no pending authorization) is ignored: the flow goes to the connect page', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    await h.callback(okCallback(state), binding);
    const res = await invoke(h.handlers.login, browserEvent({ query: loginQuery, cookie: binding }));
    expect(location(res).pathname).toBe('/settings/venues/amazon/connect');
  });

  it('with no frontend configured the Log-in URI answers a page asking to sign in to AoB first', async () => {
    const h = authHarness({ env: { FRONTEND_URL: undefined } });
    const res = await invoke(h.handlers.login, browserEvent({ query: loginQuery }));
    expect(res.statusCode).toBe(200);
    expect(String(res.body)).toContain('Sign in to AoB first');
  });

  it('invalid or duplicated Log-in parameters get a 400 page, never a redirect', async () => {
    const h = authHarness();
    const cases = [
      { ...loginQuery, amazon_callback_uri: 'https://evil.example/x' },
      { ...loginQuery, selling_partner_id: 'a<script>' },
      { ...loginQuery, amazon_state: '' },
      { amazon_callback_uri: CALLBACK_URI, amazon_state: 'x' },
    ];
    for (const query of cases) {
      const res = await invoke(h.handlers.login, browserEvent({ query }));
      expect(res.statusCode).toBe(400);
      expect(res.headers?.location).toBeUndefined();
    }
    const dup = await invoke(h.handlers.login, browserEvent({ query: `${new URLSearchParams(loginQuery)}&selling_partner_id=A9OTHER` }));
    expect(dup.statusCode).toBe(400);
  });

  it('login-continuations mints a ticket that sets the cookie and 302s to amazon_callback_uri; the callback then completes (S7 partner known)', async () => {
    const h = authHarness({ env: { DRAFT_APP: 'true' } });
    const body = { amazonCallbackUri: CALLBACK_URI, amazonState: 'amz-state-2', sellingPartnerId: SELLING_PARTNER, marketplace: 'de' };
    const created = await invoke(h.handlers.continueLogin, jwtEvent({ body }));
    expect(created.statusCode).toBe(201);
    const ticket = JSON.parse(String(created.body)).authorizationUrl.split('/').pop();
    const opened = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    expect(opened.statusCode).toBe(302);
    const to = location(opened);
    expect(to.origin + to.pathname).toBe(CALLBACK_URI);
    const binding = cookieValue(opened);
    expect(Object.fromEntries(to.searchParams)).toEqual({ amazon_state: 'amz-state-2', state: stateFromBinding(binding), version: 'beta' });
    const res = await h.callback(okCallback(to.searchParams.get('state')!), binding);
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=DE');
  });

  async function continuedFlow(h: ReturnType<typeof authHarness>) {
    const body = { amazonCallbackUri: CALLBACK_URI, amazonState: 'amz-state-3', sellingPartnerId: SELLING_PARTNER, marketplace: 'UK' };
    const created = await invoke(h.handlers.continueLogin, jwtEvent({ body }));
    const opened = await invoke(h.handlers.ticket, browserEvent({ ticket: JSON.parse(String(created.body)).authorizationUrl.split('/').pop() }));
    const called = await h.rawCallback(okCallback(location(opened).searchParams.get('state')!), cookieValue(opened));
    return completionHandleOf(called) as string;
  }

  it('started on Amazon: before anything is saved the completion names the Amazon seller (store name from the Sellers API, selling partner id) and the AoB account; only the seller’s Connect click saves it', async () => {
    const h = authHarness();
    const handle = await continuedFlow(h);
    const asked = await h.complete(handle);
    expect(asked.statusCode).toBe(200);
    expect(JSON.parse(String(asked.body))).toEqual({
      amazonAuthorization: 'confirm',
      marketplace: 'UK',
      confirmation: { sellingPartnerId: SELLING_PARTNER, storeName: 'Test Store', accountId: AUTH_ACCOUNT },
      message: `Connect the Amazon seller Test Store (${SELLING_PARTNER}) to the AoB account ${AUTH_ACCOUNT}?`,
    });
    expect(h.amazon.lwaCalls()).toHaveLength(1);
    expect(h.grants.grants.size + h.secrets.puts + h.events.calls).toBe(0);
    // A reload shows the same question without a second exchange.
    expect(JSON.parse(String((await h.complete(handle)).body)).amazonAuthorization).toBe('confirm');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
    const confirmed = await invoke(h.handlers.complete, jwtEvent({ body: { completion: handle, decision: 'confirm' } }));
    expect(JSON.parse(String(confirmed.body))).toMatchObject({ amazonAuthorization: 'success', redirectUrl: 'https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=UK' });
    expect(h.grants.grants.get(`EU#${SELLING_PARTNER}`)?.accountId).toBe(AUTH_ACCOUNT);
    expect(h.secrets.secrets.get(h.grants.grants.get(`EU#${SELLING_PARTNER}`)!.secretName)).toBe(REFRESH);
    expect(h.events.calls).toBe(1);
    expect(h.amazon.calls).toHaveLength(2);
  });

  it('started on Amazon: Cancel saves nothing (ACCESS_DENIED); another account cannot confirm; a confirmation without the question first is STATE_INVALID', async () => {
    const h = authHarness();
    const early = await continuedFlow(h);
    expect(JSON.parse(String((await invoke(h.handlers.complete, jwtEvent({ body: { completion: early, decision: 'confirm' } }))).body)).reason).toBe('STATE_INVALID');
    const h2 = authHarness();
    const handle = await continuedFlow(h2);
    await h2.complete(handle);
    const foreign = await invoke(h2.handlers.complete, jwtEvent({ accountId: 'acct-attacker', body: { completion: handle, decision: 'confirm' } }));
    expect(foreign.statusCode).toBe(403);
    const cancelled = await invoke(h2.handlers.complete, jwtEvent({ body: { completion: handle, decision: 'cancel' } }));
    expect(JSON.parse(String(cancelled.body))).toMatchObject({ amazonAuthorization: 'error', reason: 'ACCESS_DENIED' });
    const after = await invoke(h2.handlers.complete, jwtEvent({ body: { completion: handle, decision: 'confirm' } }));
    expect(JSON.parse(String(after.body)).reason).toBe('STATE_INVALID');
    expect(h2.grants.grants.size + h2.secrets.puts + h2.events.calls).toBe(0);
  });

  it('login-continuations refuses a callback URI that is not Amazon with 400 and stores nothing', async () => {
    const h = authHarness();
    const res = await invoke(h.handlers.continueLogin, jwtEvent({ body: { amazonCallbackUri: 'https://sellercentral.amazon.com.evil.tld/x', amazonState: 's', sellingPartnerId: SELLING_PARTNER, marketplace: 'US' } }));
    expect(res.statusCode).toBe(400);
    expect(h.store.writes).toBe(0);
  });
});

describe('callback refusals (SECURITY S2–S4, S7–S10)', () => {
  it('S2: valid state with a missing or foreign cookie → BROWSER_MISMATCH, 0 LWA calls, 0 writes', async () => {
    const h = authHarness();
    const { state } = await h.startFlow('UK');
    const other = await h.startFlow('UK');
    const writes = h.store.writes;
    for (const cookie of [null, other.binding]) {
      const res = await h.callback(okCallback(state), cookie);
      expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&marketplace=UK&reason=BROWSER_MISMATCH');
    }
    expect(h.amazon.calls).toHaveLength(0);
    expect(h.store.writes).toBe(writes);
    expect(h.secrets.puts + h.grants.writes + h.events.calls).toBe(0);
  });

  it('S3: a replayed state → STATE_INVALID without a second exchange', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH } } });
    const { binding, state } = await h.startFlow('UK');
    await h.callback(okCallback(state, { error: 'access_denied' }), binding);
    const replay = await h.callback(okCallback(state), binding);
    expect(String(replay.headers?.location)).toContain('reason=STATE_INVALID');
    expect(h.amazon.lwaCalls()).toHaveLength(0);
  });

  it('S4: a state at expiresAt + 1 s is rejected (checked in code, whatever TTL does): its own browser reads FLOW_EXPIRED, any other STATE_INVALID', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    h.clock.advance(CONSENT_WINDOW_MS + 1000);
    const res = await h.callback(okCallback(state), binding);
    expect(String(res.headers?.location)).toContain('reason=FLOW_EXPIRED');
    const other = await h.callback(okCallback(state), 'B'.repeat(43));
    expect(String(other.headers?.location)).toContain('reason=STATE_INVALID');
    expect(h.amazon.calls).toHaveLength(0);
  });

  it('S7: a callback selling_partner_id different from the Log-in step’s is rejected with no exchange', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    await invoke(h.handlers.login, browserEvent({ query: { amazon_callback_uri: CALLBACK_URI, amazon_state: 'a', selling_partner_id: SELLING_PARTNER }, cookie: binding }));
    const res = await h.callback(okCallback(state, { selling_partner_id: 'A9INJECTEDSELLER' }), binding);
    expect(String(res.headers?.location)).toContain('reason=STATE_INVALID');
    expect(h.amazon.calls).toHaveLength(0);
    expect(h.secrets.puts).toBe(0);
  });

  it('S9: error=access_denied consumes the state and lands on ACCESS_DENIED without an exchange', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback({ state, error: 'access_denied', error_description: 'The user denied' }, binding);
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&marketplace=UK&reason=ACCESS_DENIED');
    expect(h.amazon.calls).toHaveLength(0);
    expect(h.store.pending.get(hashOneTime(state))?.consumedAt).toBeDefined();
  });

  it('S10: duplicate or malformed parameters are refused before anything is read or written', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    const dup = await invoke(h.handlers.callback, browserEvent({ query: `state=${state}&state=${state}&spapi_oauth_code=${CODE}&selling_partner_id=${SELLING_PARTNER}`, cookie: binding }));
    expect(String(dup.headers?.location)).toContain('reason=STATE_INVALID');
    const bad = await h.callback(okCallback(state, { spapi_oauth_code: 'x y<' }), binding);
    expect(String(bad.headers?.location)).toContain('reason=STATE_INVALID');
    expect(h.store.pending.get(hashOneTime(state))?.consumedAt).toBeUndefined();
  });

  it('S8: with no frontend the callback is a self-contained page naming the completion reference, never the code or state; the completion then answers the outcome', async () => {
    const h = authHarness({ env: { FRONTEND_URL: undefined } });
    const { binding, state } = await h.startFlow('UK');
    const ok = await h.rawCallback(okCallback(state), binding);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers).toMatchObject({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' });
    expect(ok.headers?.['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(String(ok.body)).toContain('Finish in AoB');
    expect(String(ok.body)).not.toContain('<script');
    const handle = /Completion reference: ([A-Za-z0-9_.-]+)/.exec(String(ok.body))?.[1] as string;
    const done = await h.complete(handle);
    expect(JSON.parse(String(done.body))).toEqual({ amazonAuthorization: 'success', marketplace: 'UK', message: 'Amazon is connected' });
    const replay = await h.callback(okCallback(state), null);
    expect(replay.statusCode).toBe(400);
    expect(String(replay.body)).toContain('This authorization link is no longer valid');
    for (const res of [ok, replay]) {
      expect(String(res.body)).not.toContain(state);
      expect(String(res.body)).not.toContain(CODE);
    }
  });

  it('an unknown state with a frontend goes to the default return path without a marketplace', async () => {
    const h = authHarness();
    const res = await h.callback(okCallback('A'.repeat(43)), null);
    expect(res.statusCode).toBe(303);
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&reason=STATE_INVALID');
  });
});

describe('callback faults (SECURITY S14, R1, R4, R5, R8)', () => {
  it('R1/S14: an LWA timeout → AMAZON_UNAVAILABLE, the code is sent exactly once, nothing written', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH }, lwa: 'timeout' } });
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback(okCallback(state), binding);
    expect(String(res.headers?.location)).toContain('reason=AMAZON_UNAVAILABLE');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
    expect(h.secrets.puts + h.grants.writes + h.events.calls).toBe(0);
  });

  it('R1: an LWA 5xx → AMAZON_UNAVAILABLE, not retried', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH }, lwa: 'http500' } });
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback(okCallback(state), binding);
    expect(String(res.headers?.location)).toContain('reason=AMAZON_UNAVAILABLE');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
  });

  it('invalid_grant on the code → CODE_EXCHANGE_FAILED', async () => {
    const h = authHarness({ amazon: { codes: {} } });
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback(okCallback(state), binding);
    expect(String(res.headers?.location)).toContain('reason=CODE_EXCHANGE_FAILED');
  });

  it('invalid_client: the app secret is reloaded once; unchanged → APP_CREDENTIALS_INVALID without re-sending the code', async () => {
    const credentials = new StaticCredentials();
    const h = authHarness({ credentials, amazon: { codes: { [CODE]: REFRESH }, clientSecrets: ['rotated-secret'] } });
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback(okCallback(state), binding);
    expect(String(res.headers?.location)).toContain('reason=APP_CREDENTIALS_INVALID');
    expect(credentials.reloads).toBe(1);
    expect(h.amazon.lwaCalls()).toHaveLength(1);
  });

  it('invalid_client with a rotated app secret: reloaded, the refused exchange is sent once more with the new secret and succeeds', async () => {
    const credentials = new StaticCredentials(APP, { ...APP, clientSecret: 'rotated-secret' });
    const h = authHarness({ credentials, amazon: { codes: { [CODE]: REFRESH }, clientSecrets: ['rotated-secret'] } });
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback(okCallback(state), binding);
    expect(String(res.headers?.location)).toContain('amazon_authorization=success');
    expect(h.amazon.lwaCalls()).toHaveLength(2);
  });

  it('a Sellers API failure after a good exchange → AMAZON_UNAVAILABLE, nothing stored', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH }, sellers: 'http500' } });
    const { binding, state } = await h.startFlow('UK');
    const res = await h.callback(okCallback(state), binding);
    expect(String(res.headers?.location)).toContain('reason=AMAZON_UNAVAILABLE');
    expect(h.secrets.puts + h.grants.writes).toBe(0);
  });

  it('R5: Secrets Manager throttling is retried with one client request token; still failing → clear outcome, no grant row', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    h.secrets.failures = [throttled, throttled];
    const ok = await h.callback(okCallback(state), binding);
    expect(String(ok.headers?.location)).toContain('amazon_authorization=success');
    expect(h.secrets.puts).toBe(3);
    expect(new Set(h.secrets.requestTokens).size).toBe(1);

    const h2 = authHarness();
    const flow = await h2.startFlow('UK');
    h2.secrets.failures = [throttled, throttled, throttled];
    const failed = await h2.callback(okCallback(flow.state), flow.binding);
    expect(String(failed.headers?.location)).toContain('reason=SERVICE_UNAVAILABLE');
    expect(h2.grants.writes).toBe(0);
    expect(h2.events.calls).toBe(0);
  });

  it('R8: a reload by the same browser after success shows success again with no second exchange; another browser gets STATE_INVALID', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH }, participations: { [marketplace('DE').id]: true } } });
    const { binding, state } = await h.startFlow('UK');
    const first = await h.callback(okCallback(state), binding);
    const reload = await h.callback(okCallback(state), binding);
    expect(reload.headers?.location).toBe(first.headers?.location);
    expect(String(reload.headers?.location)).toContain('notice=NOT_REGISTERED');
    expect(h.amazon.lwaCalls()).toHaveLength(1);
    expect(h.events.calls).toBe(1);
    const stranger = await h.callback(okCallback(state), null);
    expect(String(stranger.headers?.location)).toContain('reason=STATE_INVALID');
  });

  it('S3: 20 concurrent callbacks with one state → exactly 1 code exchange, 1 secret write, 1 Granted event', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH }, lwaDelayMs: 5 } });
    const { binding, state } = await h.startFlow('UK');
    const results = await Promise.all(Array.from({ length: 20 }, () => h.callback(okCallback(state), binding)));
    expect(h.amazon.lwaCalls()).toHaveLength(1);
    expect(h.secrets.puts).toBe(1);
    expect(h.events.published.filter((e) => e.detailType === DETAIL_TYPES.granted)).toHaveLength(1);
    expect(results.every((r) => r.statusCode === 303)).toBe(true);
    expect(results.filter((r) => String(r.headers?.location).includes('amazon_authorization=success')).length).toBeGreaterThanOrEqual(1);
  });

  it('R4: two tabs racing for the same grant: the older exchange never overwrites the newer grant', async () => {
    const h = authHarness({ amazon: { codes: { [CODE]: REFRESH, 'MARKER-CODE-0002': 'Atzr|MARKER-REFRESH-0002' } } });
    const older = await h.startFlow('UK');
    const newer = await h.startFlow('DE');
    // The newer exchange lands first (e.g. the older tab's request was slow).
    h.clock.advance(1000);
    await h.callback(okCallback(newer.state, { spapi_oauth_code: 'MARKER-CODE-0002' }), newer.binding);
    const newerGrant = h.grants.grants.get(`EU#${SELLING_PARTNER}`)!;
    h.clock.advance(-500);
    const res = await h.callback(okCallback(older.state), older.binding);
    expect(String(res.headers?.location)).toContain('amazon_authorization=success');
    expect(h.grants.grants.get(`EU#${SELLING_PARTNER}`)).toEqual(newerGrant);
    expect(h.events.calls).toBe(1);
  });

  it('S13: 1,000 random-state callbacks → 0 LWA calls, 0 5xx', async () => {
    const h = authHarness();
    const { binding } = await h.startFlow('UK');
    let fiveHundreds = 0;
    for (let i = 0; i < 1000; i++) {
      const state = Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('base64url');
      const res = await h.callback(okCallback(state), i % 2 ? binding : null);
      if ((res.statusCode ?? 0) >= 500) fiveHundreds++;
    }
    expect(fiveHundreds).toBe(0);
    expect(h.amazon.calls).toHaveLength(0);
  });
});

describe('callback storage faults (R10)', () => {
  it('a DynamoDB fault while consuming the state lands on SERVICE_UNAVAILABLE at the frontend, never a bare 500', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    h.store.consume = async () => {
      throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
    };
    const res = await h.callback(okCallback(state), binding);
    expect(res.statusCode).toBe(303);
    expect(String(res.headers?.location)).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&reason=SERVICE_UNAVAILABLE');
    expect(h.amazon.calls).toHaveLength(0);
  });
});

describe('ticket with the app secret unavailable', () => {
  it('answers a 503 page naming APP_CREDENTIALS_INVALID (error log for the alarm) instead of a broken consent URL', async () => {
    const credentials = new StaticCredentials();
    credentials.get = async () => {
      throw Object.assign(new Error('the app secret could not be read (ResourceNotFoundException)'), { name: 'AppCredentialsUnavailableError' });
    };
    const h = authHarness({ credentials });
    const started = await invoke(h.handlers.start, jwtEvent({ marketplace: 'UK' }));
    const ticket = JSON.parse(String(started.body)).authorizationUrl.split('/').pop();
    const res = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    expect(res.statusCode).toBe(503);
    expect(String(res.body)).toContain('AoB cannot talk to Amazon right now');
    expect(res.headers?.location).toBeUndefined();
    expect(res.cookies).toBeUndefined();
  });
});
