import * as fc from 'fast-check';
import { SELLER_CENTRAL_HOSTS } from '../../../../lambdas/domain/marketplaces.js';
import type { HttpResult } from '../../../../lambdas/shared/http.js';
import { CALLBACK_URI, authHarness, browserEvent, invoke, jwtEvent } from '../../../builders/auth.js';

/** S10: whatever a browser or Amazon sends, the auth routes answer 2xx/3xx/4xx, never 5xx, never off-site. */

const KEYS = ['state', 'spapi_oauth_code', 'selling_partner_id', 'error', 'amazon_callback_uri', 'amazon_state', 'version', 'redirect_uri'];
const anyText = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('', ',', '%', '%ZZ', '\u0000', CALLBACK_URI, 'A'.repeat(43)));
const rawQuery = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })), anyText), { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
const garbledQuery = fc.oneof(rawQuery, fc.string({ maxLength: 300 }));

const h = authHarness();
const onSite = (r: HttpResult) => {
  if (r.headers?.location === undefined) return true;
  const url = new URL(String(r.headers.location));
  return url.origin === 'https://app.aob.test' || SELLER_CENTRAL_HOSTS.has(url.host);
};

it('callback and Log-in URI: random and garbled queries, with and without cookies → no 5xx, no off-site Location, no exchange', async () => {
  await fc.assert(
    fc.asyncProperty(garbledQuery, fc.option(fc.string({ maxLength: 60 })), async (query, cookie) => {
      for (const handler of [h.handlers.callback, h.handlers.login]) {
        const res = await invoke(handler, browserEvent({ query, cookies: cookie === null ? undefined : [`aob_amazon_auth=${cookie}`] }));
        expect(res.statusCode).toBeLessThan(500);
        expect(onSite(res)).toBe(true);
      }
    }),
    { numRuns: 400 },
  );
  expect(h.amazon.calls).toHaveLength(0);
});

it('ticket route: any path value → 404 page, never 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 120 }), async (ticket) => {
      const res = await invoke(h.handlers.ticket, browserEvent({ ticket }));
      expect(res.statusCode).toBe(404);
    }),
    { numRuns: 300 },
  );
});

it('JWT routes: random bodies → 201 or 4xx, never 5xx', async () => {
  const body = fc.oneof(fc.string({ maxLength: 200 }), fc.json(), fc.record({ returnPath: anyText }), fc.record({ amazonCallbackUri: anyText, amazonState: anyText, sellingPartnerId: anyText, marketplace: anyText }));
  await fc.assert(
    fc.asyncProperty(body, fc.constantFrom('UK', 'uk', 'XX', '', 'JP%00'), async (b, marketplace) => {
      for (const res of [await invoke(h.handlers.start, jwtEvent({ marketplace, body: b })), await invoke(h.handlers.continueLogin, jwtEvent({ body: b }))]) {
        const status = res.statusCode ?? 0;
        expect(status === 201 || (status >= 400 && status < 500)).toBe(true);
      }
    }),
    { numRuns: 300 },
  );
});
