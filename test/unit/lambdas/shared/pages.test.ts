import { failure, REASON_CODES, success } from '../../../../lambdas/domain/authorization-outcomes.js';
import { REASON_TEXT } from '../../../../lambdas/shared/page-text.js';
import {
  BINDING_COOKIE,
  bindingCookieFrom,
  browserRoute,
  bindingCookieHeader,
  browserQuery,
  escapeHtml,
  outcomeResponse,
  pageResponse,
  renderPage,
} from '../../../../lambdas/shared/pages.js';
import { browserEvent, invoke, jwtEvent } from '../../../builders/auth.js';
import { json, jsonApi } from '../../../../lambdas/shared/http.js';

const noFrontend = { frontendUrl: undefined, frontendReturnPaths: ['/settings/venues'] };
const withFrontend = { frontendUrl: 'https://app.aob.test', frontendReturnPaths: ['/settings/venues'] };

describe('Strict-Transport-Security on every answer of the service', () => {
  const HSTS = 'max-age=63072000; includeSubDomains';
  it('browser routes (pages, redirects, and the page for a fault of ours) and JSON routes (answers and errors) carry it', async () => {
    const ok = browserRoute('GET /x', async () => ({ statusCode: 302, headers: { location: '/' }, body: '' }));
    const fault = browserRoute('GET /x', async () => {
      throw new Error('boom');
    });
    const api = jsonApi('POST /x', async () => json(200, {}));
    const apiFault = jsonApi('POST /x', async () => {
      throw new Error('boom');
    });
    const answers = [
      await invoke(ok, browserEvent({})),
      await invoke(fault, browserEvent({})),
      await invoke(api, jwtEvent({})),
      await invoke(apiFault, jwtEvent({})),
      pageResponse(400, REASON_TEXT.STATE_INVALID),
      outcomeResponse(withFrontend, success('UK'), null),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([302, 500, 200, 500, 400, 303]);
    for (const a of answers) expect(a.headers?.['strict-transport-security']).toBe(HSTS);
    expect(answers[1]?.headers?.['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});

describe('result pages', () => {
  it('are self-contained HTML (inline CSS, no script) with the browser headers (S8)', () => {
    const res = pageResponse(400, REASON_TEXT.STATE_INVALID);
    expect(res.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-security-policy': expect.stringContaining("default-src 'none'"),
    });
    const html = String(res.body);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|src=|<link/i);
  });

  it.each(REASON_CODES)('%s: with no frontend, a page names what happened and the next step, with the code for support', (reason) => {
    const res = outcomeResponse(noFrontend, failure(reason, 'UK'), '/settings/venues');
    const html = String(res.body);
    expect(html).toContain(escapeHtml(REASON_TEXT[reason].title));
    expect(html).toContain(escapeHtml(REASON_TEXT[reason].nextStep));
    expect(html).toContain(`Reference: ${reason}`);
    expect(res.statusCode).toBe(['AMAZON_UNAVAILABLE', 'APP_CREDENTIALS_INVALID', 'SERVICE_UNAVAILABLE'].includes(reason) ? 503 : 400);
  });

  it('success pages, with and without the NOT_REGISTERED notice', () => {
    expect(String(outcomeResponse(noFrontend, success('UK'), null).body)).toContain('Amazon is connected');
    expect(String(outcomeResponse(noFrontend, success('UK', 'NOT_REGISTERED'), null).body)).toContain('not registered to sell on this marketplace');
  });

  it('with a frontend every outcome is a 303 to it', () => {
    const res = outcomeResponse(withFrontend, failure('ACCESS_DENIED', 'FR'), '/settings/venues');
    expect(res.statusCode).toBe(303);
    expect(res.headers).toMatchObject({ location: 'https://app.aob.test/settings/venues?amazon_authorization=error&marketplace=FR&reason=ACCESS_DENIED', 'referrer-policy': 'no-referrer' });
  });

  it('escapes everything it renders', () => {
    const html = renderPage({ title: '<b>"x"</b>', message: "a'b&c", nextStep: 'n' }, { link: { href: 'https://a/?x="><script>', label: 'go' } });
    expect(html).toContain('&lt;b&gt;&quot;x&quot;&lt;/b&gt;');
    expect(html).toContain('a&#39;b&amp;c');
    expect(html).not.toContain('"><script>');
  });
});

describe('binding cookie', () => {
  it(`is ${BINDING_COOKIE}, HttpOnly, SameSite=Lax, Path=/v1/amazon/, Secure unless the API is loopback http`, () => {
    expect(bindingCookieHeader('v', 599.7, 'https://api.aob.test')).toBe('aob_amazon_auth=v; Path=/v1/amazon/; Max-Age=599; HttpOnly; SameSite=Lax; Secure');
    expect(bindingCookieHeader('v', 60, 'http://127.0.0.1:3000')).not.toContain('Secure');
    expect(bindingCookieHeader('v', 60, 'http://localhost:3000')).not.toContain('Secure');
  });

  it('is read from API Gateway’s cookies array or the Cookie header; missing, malformed or duplicated → null', () => {
    expect(bindingCookieFrom(browserEvent({ cookies: ['a=1', 'aob_amazon_auth=abc_-1'] }))).toBe('abc_-1');
    expect(bindingCookieFrom({ ...browserEvent({}), cookies: undefined, headers: { cookie: 'x=1; aob_amazon_auth=zz' } })).toBe('zz');
    expect(bindingCookieFrom(browserEvent({}))).toBeNull();
    expect(bindingCookieFrom(browserEvent({ cookies: ['aob_amazon_auth=a', 'aob_amazon_auth=b'] }))).toBeNull();
    expect(bindingCookieFrom(browserEvent({ cookies: ['aob_amazon_auth=a;b<'] }))).toBeNull();
  });
});

describe('browser query (S10)', () => {
  it('parses the raw query and refuses duplicated parameters', () => {
    expect(browserQuery(browserEvent({ query: 'a=1&b=%2F' }))).toEqual({ a: '1', b: '/' });
    expect(browserQuery(browserEvent({ query: 'a=1&a=2' }))).toBeNull();
    expect(browserQuery(browserEvent({ query: 'a='.padEnd(9000, 'x') }))).toBeNull();
  });
});
