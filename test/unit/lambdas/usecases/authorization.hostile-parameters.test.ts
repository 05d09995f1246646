import { hashOneTime } from '../../../../lambdas/domain/one-time-values.js';
import { parseAmazonCallbackUri } from '../../../../lambdas/domain/amazon-parameters.js';
import type { HttpEvent } from '../../../../lambdas/shared/http.js';
import { CALLBACK_URI, SELLING_PARTNER, authHarness, browserEvent, invoke, MARKER_CODE as CODE, okCallback, reasonOf } from '../../../builders/auth.js';
import { captureOutput } from '../../../builders/output.js';

/**
 * S10 and S6 at the browser routes: repeated parameters (API Gateway joins them with commas, or one
 * is percent-encoded), unicode and oversized values, and ";" inside amazon_callback_uri.
 */

/** Handler logs, at DEBUG, go to the captured output instead of the test report. */
captureOutput();

describe('S10: API Gateway joins repeated parameters with commas; unicode and oversized values', () => {
  /** An event as API Gateway builds it when the raw query string is not passed on. */
  const joined = (queryStringParameters: Record<string, string>, cookie: string | null): HttpEvent =>
    ({ ...browserEvent({ cookie }), rawQueryString: undefined, queryStringParameters }) as unknown as HttpEvent;

  it('a comma-joined state, code, selling partner or error is refused before anything is read or written', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    const writes = h.store.writes;
    for (const query of [
      okCallback(`${state},${state}`),
      okCallback(state, { spapi_oauth_code: `${CODE},OTHER` }),
      okCallback(state, { selling_partner_id: `${SELLING_PARTNER},A9OTHER` }),
      okCallback(state, { error: 'access_denied,server_error' }),
    ]) {
      const res = await invoke(h.handlers.callback, joined(query, binding));
      expect(reasonOf(res)).toBe('STATE_INVALID');
    }
    expect(h.store.writes).toBe(writes);
    expect(h.store.pending.get(hashOneTime(state))?.consumedAt).toBeUndefined();
    expect(h.amazon.calls).toHaveLength(0);
  });

  it('the same parameter spelled twice (one of them percent-encoded) counts as a duplicate', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    const res = await invoke(h.handlers.callback, browserEvent({ query: `state=${state}&%73tate=${state}&spapi_oauth_code=${CODE}`, cookie: binding }));
    expect(reasonOf(res)).toBe('STATE_INVALID');
    expect(h.store.pending.get(hashOneTime(state))?.consumedAt).toBeUndefined();
  });

  it('a comma-joined or unicode Log-in parameter gets the 400 page, never a redirect', async () => {
    const h = authHarness();
    const base = { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-1', selling_partner_id: SELLING_PARTNER };
    const cases = [
      { ...base, amazon_state: 'amz-1,amz-2' },
      { ...base, selling_partner_id: `${SELLING_PARTNER},A9OTHER` },
      { ...base, amazon_state: 'amz-ѕtate' },
      { ...base, selling_partner_id: 'Ａ3AUTHSELLER01' },
      { ...base, amazon_state: 'a'.repeat(1025) },
    ];
    for (const query of cases) {
      const res = await invoke(h.handlers.login, joined(query, null));
      expect(res.statusCode).toBe(400);
      expect(res.headers?.location).toBeUndefined();
    }
  });

  it('unicode or oversized callback values are refused before anything is read or written', async () => {
    const h = authHarness();
    const { binding, state } = await h.startFlow('UK');
    const fullwidth = state.replace(/[A-Za-z]/, 'Ａ');
    for (const query of [okCallback(fullwidth), okCallback(state, { spapi_oauth_code: 'c'.repeat(513) }), okCallback(`${state}${'A'.repeat(200)}`), okCallback(state, { error: 'accéss_denied' })]) {
      const res = await h.callback(query, binding);
      expect(res.statusCode).toBe(303);
      expect(reasonOf(res)).toBe('STATE_INVALID');
    }
    expect(h.store.pending.get(hashOneTime(state))?.consumedAt).toBeUndefined();
    expect(h.amazon.calls).toHaveLength(0);
  });
});

it('S6: amazon_callback_uri may not use ";" to smuggle a reserved parameter past the duplicate check', () => {
  expect(parseAmazonCallbackUri(`${CALLBACK_URI}?marketplaceId=A1F83G8C2ARO7P;state=attacker`)).toBeNull();
  expect(parseAmazonCallbackUri(`${CALLBACK_URI}?marketplaceId=A1F83G8C2ARO7P;amazon_state=x`)).toBeNull();
  // Escaped, it is data: a server splitting on ";" splits before decoding.
  expect(parseAmazonCallbackUri(`${CALLBACK_URI}?marketplaceId=A1F83G8C2ARO7P%3Bx`)).not.toBeNull();
  expect(parseAmazonCallbackUri(`${CALLBACK_URI}?marketplaceId=A1F83G8C2ARO7P`)).not.toBeNull();
});
