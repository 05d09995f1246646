import { jest } from '@jest/globals';
import * as fc from 'fast-check';
import { AuthorizeTicketPath, CALLBACK_URI_SHAPE, CallbackQuery, LoginQuery } from '../../../../lambdas/contract/browser-requests.js';
import { LOGIN_INVALID_TEXT, TICKET_INVALID_TEXT } from '../../../../lambdas/shared/page-text.js';
import { parseAmazonCallbackUri } from '../../../../lambdas/domain/amazon-parameters.js';
import type { HttpResult } from '../../../../lambdas/shared/http.js';
import { logger } from '../../../../lambdas/shared/logger.js';
import { browserQuery, escapeHtml } from '../../../../lambdas/shared/pages.js';
import { CALLBACK_URI, SELLING_PARTNER, authHarness, browserEvent, invoke } from '../../../builders/auth.js';

/**
 * The browser routes' query (and ticket path) schemas (lambdas/contract/browser-requests.ts):
 * what each accepts and refuses, and that the routes answer every kind of input as they did
 * before the schemas: the same page or redirect, status, reason code and log lines.
 */

const STATE = 'S'.repeat(43);
const queryOf = (raw: string) => browserQuery(browserEvent({ query: raw }));
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe('CallbackQuery', () => {
  const full = { state: STATE, spapi_oauth_code: 'ANaRxnbk.code~+/=-', selling_partner_id: SELLING_PARTNER, error: 'access_denied' };

  it('valid: the parameters Amazon sends, each optional; others are ignored', () => {
    expect(CallbackQuery.safeParse(queryOf(q(full)))).toEqual({ success: true, data: full });
    expect(CallbackQuery.safeParse(queryOf(''))).toEqual({ success: true, data: {} });
    expect(CallbackQuery.safeParse(queryOf(q({ state: STATE, error_description: 'The user said <no>', version: 'beta' })))).toEqual({ success: true, data: { state: STATE } });
  });

  it.each([
    ['state', 'S'.repeat(42) + '<'],
    ['state', 'S'.repeat(42) + '='],
    ['spapi_oauth_code', 'code with space'],
    ['spapi_oauth_code', 'code"quote'],
    ['selling_partner_id', 'a3lowercase01'],
    ['selling_partner_id', 'A3SELLER-01'],
    ['error', 'ACCESS_DENIED'],
    ['error', 'access-denied'],
    ['error', ''],
  ])('wrong characters: %s=%j is invalid', (name, value) => {
    expect(CallbackQuery.safeParse(queryOf(q({ ...full, [name]: value })))).toEqual({ success: false, issue: { code: 'invalid', parameter: name } });
  });

  it.each([
    ['state', 'S'.repeat(42), 'S'.repeat(43), 'S'.repeat(44)],
    ['spapi_oauth_code', '', 'c'.repeat(512), 'c'.repeat(513)],
    ['selling_partner_id', 'A1234', 'A'.repeat(32), 'A'.repeat(33)],
    ['error', '', 'e'.repeat(64), 'e'.repeat(65)],
  ])('length: %s too short or too long is invalid, at its limit valid', (name, short, atLimit, long) => {
    expect(CallbackQuery.safeParse(queryOf(q({ [name]: short })))).toEqual({ success: false, issue: { code: 'invalid', parameter: name } });
    expect(CallbackQuery.safeParse(queryOf(q({ [name]: atLimit })))).toEqual({ success: true, data: { [name]: atLimit } });
    expect(CallbackQuery.safeParse(queryOf(q({ [name]: long })))).toEqual({ success: false, issue: { code: 'invalid', parameter: name } });
  });

  it('repeated parameters, or a query over 8 KiB, are unreadable (S10)', () => {
    expect(CallbackQuery.safeParse(queryOf(`state=${STATE}&state=${STATE}`))).toEqual({ success: false, issue: { code: 'unreadable' } });
    expect(CallbackQuery.safeParse(queryOf(`state=${STATE}&error_description=a&error_description=b`))).toEqual({ success: false, issue: { code: 'unreadable' } });
    expect(CallbackQuery.safeParse(queryOf(`state=${STATE}&x=${'a'.repeat(8192)}`))).toEqual({ success: false, issue: { code: 'unreadable' } });
  });
});

describe('LoginQuery', () => {
  const full = { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-state.1~+/=', selling_partner_id: SELLING_PARTNER };

  it('valid: the three parameters Amazon sends; others (version) are ignored', () => {
    expect(LoginQuery.safeParse(queryOf(q({ ...full, version: 'beta' })))).toEqual({ success: true, data: full });
  });

  it.each(Object.keys(full))('missing %s', (name) => {
    const { [name as keyof typeof full]: _dropped, ...rest } = full;
    expect(LoginQuery.safeParse(queryOf(q(rest)))).toEqual({ success: false, issue: { code: 'missing', parameter: name } });
  });

  it.each([
    ['amazon_callback_uri', `${CALLBACK_URI}#fragment`],
    ['amazon_callback_uri', 'https://sellercentral.amazon.com\\evil'],
    ['amazon_callback_uri', `${CALLBACK_URI} x`],
    ['amazon_callback_uri', `${CALLBACK_URI}é`],
    ['amazon_callback_uri', ''],
    ['amazon_state', 'state"><script>'],
    ['amazon_state', ''],
    ['selling_partner_id', 'a3lowercase01'],
  ])('wrong characters: %s=%j is invalid', (name, value) => {
    expect(LoginQuery.safeParse(queryOf(q({ ...full, [name]: value })))).toEqual({ success: false, issue: { code: 'invalid', parameter: name } });
  });

  it.each([
    ['amazon_callback_uri', `${CALLBACK_URI}?p=${'a'.repeat(2048 - CALLBACK_URI.length - 3)}`],
    ['amazon_state', 'a'.repeat(1024)],
    ['selling_partner_id', 'A'.repeat(32)],
  ])('length: %s at its limit is valid, one more is invalid', (name, atLimit) => {
    expect(LoginQuery.safeParse(queryOf(q({ ...full, [name]: atLimit })))).toEqual({ success: true, data: { ...full, [name]: atLimit } });
    expect(LoginQuery.safeParse(queryOf(q({ ...full, [name]: `${atLimit}A` })))).toEqual({ success: false, issue: { code: 'invalid', parameter: name } });
  });

  it('repeated parameters are unreadable (S10)', () => {
    expect(LoginQuery.safeParse(queryOf(`${q(full)}&amazon_state=b`))).toEqual({ success: false, issue: { code: 'unreadable' } });
  });

  it('the callback URI shape refuses nothing the full check would accept, with or without the sandbox override', () => {
    const override = 'http://127.0.0.1:4010/sellercentral/{marketplace}';
    const candidates = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('a', '/', '?', '=', '&', '#', '\\', ' ', '%', '2', 'f', '.', 'é', '\u007f'), maxLength: 40 }).map((s) => `${CALLBACK_URI}${s}`),
      fc.string({ unit: fc.constantFrom('a', '/', '#', '\\', ' '), maxLength: 20 }).map((s) => `http://127.0.0.1:4010/sellercentral/uk/${s}`),
    );
    fc.assert(
      fc.property(candidates, (raw) => {
        if (!CALLBACK_URI_SHAPE.test(raw)) {
          expect(parseAmazonCallbackUri(raw)).toBeNull();
          expect(parseAmazonCallbackUri(raw, { sellerCentralUrlOverride: override })).toBeNull();
        }
      }),
      { numRuns: 2000 },
    );
    expect(CALLBACK_URI_SHAPE.test(CALLBACK_URI)).toBe(true);
  });
});

describe('AuthorizeTicketPath', () => {
  it('a ticket is 43 base64url characters; missing, shorter, longer or other characters are refused', () => {
    expect(AuthorizeTicketPath.safeParse({ ticket: 'T'.repeat(43) })).toEqual({ success: true, data: { ticket: 'T'.repeat(43) } });
    expect(AuthorizeTicketPath.safeParse({})).toEqual({ success: false, issue: { code: 'missing', parameter: 'ticket' } });
    for (const ticket of ['T'.repeat(42), 'T'.repeat(44), `${'T'.repeat(42)}.`, `${'T'.repeat(42)}%`, ''])
      expect(AuthorizeTicketPath.safeParse({ ticket })).toEqual({ success: false, issue: { code: 'invalid', parameter: 'ticket' } });
  });
});

describe('the routes answer as they did before the schemas', () => {
  let lines: { level: string; message: string; attributes: unknown }[];
  let spies: { mockRestore(): void }[];
  beforeEach(() => {
    lines = [];
    spies = (['info', 'warn', 'error'] as const).map((level) =>
      jest.spyOn(logger, level).mockImplementation(((message: string, attributes: unknown) => void lines.push({ level, message, attributes })) as () => void),
    );
  });
  afterEach(() => spies.forEach((s) => s.mockRestore()));

  // The shared logger, as the functions have it: the spies above see every line of the route, the use case's included.
  const withFrontend = authHarness({ log: logger });
  const noFrontend = authHarness({ env: { FRONTEND_URL: undefined }, log: logger });
  const callbackQuery = { state: STATE, spapi_oauth_code: 'ANCODE', selling_partner_id: SELLING_PARTNER };

  const refusedCallbacks: [string, string][] = [
    ['a state with a wrong character', q({ ...callbackQuery, state: `${'S'.repeat(42)}<` })],
    ['an oversized code', q({ ...callbackQuery, spapi_oauth_code: 'c'.repeat(513) })],
    ['a lower-case selling partner id', q({ ...callbackQuery, selling_partner_id: 'a3authseller01' })],
    ['an error that is not an OAuth code', q({ state: STATE, error: 'Access Denied' })],
    ['a repeated state', `${q(callbackQuery)}&state=${STATE}`],
    ['a query over 8 KiB', `${q(callbackQuery)}&x=${'a'.repeat(8192)}`],
  ];

  it.each(refusedCallbacks)('callback, %s: 303 STATE_INVALID (a 400 page without a frontend), nothing written, no log line, the cookie kept', async (_what, raw) => {
    const writes = withFrontend.store.writes;
    const res = await invoke(withFrontend.handlers.callback, browserEvent({ query: raw, cookie: 'B'.repeat(43) }));
    expect(res.statusCode).toBe(303);
    expect(res.headers?.location).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&reason=STATE_INVALID');
    expect(res.cookies).toBeUndefined();
    expect(withFrontend.store.writes).toBe(writes);

    const page = await invoke(noFrontend.handlers.callback, browserEvent({ query: raw }));
    expect(page.statusCode).toBe(400);
    expect(String(page.body)).toContain('Reference: STATE_INVALID');
    expect(lines).toEqual([]);
  });

  it('callback without a state: the same outcome, refused by the use case with its log line', async () => {
    const res = await invoke(withFrontend.handlers.callback, browserEvent({ query: q({ spapi_oauth_code: 'ANCODE' }) }));
    expect(res.headers?.location).toBe('https://app.aob.test/settings/venues?amazon_authorization=error&reason=STATE_INVALID');
    expect(lines).toEqual([{ level: 'info', message: 'callback refused', attributes: expect.objectContaining({ reason: 'STATE_INVALID', why: 'malformed state' }) }]);
  });

  const loginQuery = { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-state', selling_partner_id: SELLING_PARTNER };
  const loginInvalid = (res: HttpResult) => {
    expect(res.statusCode).toBe(400);
    expect(String(res.body)).toContain(escapeHtml(LOGIN_INVALID_TEXT.title));
    expect(String(res.body)).toContain('href="https://app.aob.test/settings/venues"');
  };
  const REFUSED_LINE = { level: 'info', message: 'login refused', attributes: { outcome: 'LOGIN_INVALID' } };

  it('login, a repeated parameter: the 400 page, no log line', async () => {
    const res = await invoke(withFrontend.handlers.login, browserEvent({ query: `${q(loginQuery)}&selling_partner_id=${SELLING_PARTNER}` }));
    loginInvalid(res);
    expect(lines).toEqual([]);
  });

  it.each([
    ['amazon_state missing', q({ amazon_callback_uri: CALLBACK_URI, selling_partner_id: SELLING_PARTNER })],
    ['amazon_callback_uri missing', q({ amazon_state: 'amz-state', selling_partner_id: SELLING_PARTNER })],
    ['an oversized amazon_state', q({ ...loginQuery, amazon_state: 'a'.repeat(1025) })],
    ['a callback URI with a fragment', q({ ...loginQuery, amazon_callback_uri: `${CALLBACK_URI}#x` })],
    ['a selling partner id with wrong characters', q({ ...loginQuery, selling_partner_id: 'A3<script>' })],
    // Shaped like a URI, refused by the use case's full check (not a Seller Central host): the same answer.
    ['a callback URI on another host', q({ ...loginQuery, amazon_callback_uri: 'https://sellercentral.amazon.evil.example/apps' })],
  ])('login, %s: the 400 page and one "login refused" line', async (_what, raw) => {
    loginInvalid(await invoke(withFrontend.handlers.login, browserEvent({ query: raw })));
    expect(lines).toEqual([REFUSED_LINE]);
  });

  it('login, valid and without a pending flow: on to the frontend connect page, as before', async () => {
    const res = await invoke(withFrontend.handlers.login, browserEvent({ query: q(loginQuery) }));
    expect(res.statusCode).toBe(302);
    expect(String(res.headers?.location)).toMatch(/^https:\/\/app\.aob\.test\/settings\/venues\/amazon\/connect\?/);
  });

  it.each([['T'.repeat(42)], ['T'.repeat(44)], [`${'T'.repeat(42)}!`], ['']])('ticket %j: the 404 page, no log line', async (ticket) => {
    const res = await invoke(withFrontend.handlers.ticket, browserEvent({ ticket }));
    expect(res.statusCode).toBe(404);
    expect(String(res.body)).toContain(escapeHtml(TICKET_INVALID_TEXT.title));
    expect(res.cookies).toBeUndefined();
    expect(lines).toEqual([]);
  });

  it('ticket with no path parameter at all: the 404 page', async () => {
    const res = await invoke(withFrontend.handlers.ticket, { ...browserEvent({}), pathParameters: undefined });
    expect(res.statusCode).toBe(404);
  });
});
