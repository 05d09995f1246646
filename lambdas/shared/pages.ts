import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type AuthorizationOutcome, outcomeUrl, reasonStatus } from '../domain/authorization-outcomes.js';
import { FINISH_IN_AOB_TEXT, INTERNAL_ERROR_TEXT, outcomeText, type PageText } from './page-text.js';
import type { Config } from './config.js';
import { escapeHtml } from './html.js';
import { HSTS_HEADER, type HttpEvent, type HttpResult } from './http.js';
import { logger } from './logger.js';
import { isLoopbackHttp } from './loopback.js';
import { errorMapping, requestLogKeys, responseHeaders } from './middleware.js';

/**
 * Browser-facing responses of the authorization flow: redirects and small self-contained HTML
 * pages (inline CSS, no script). Every one carries `Referrer-Policy: no-referrer` (so a code or
 * state in our URL never leaks to the next site) and `Cache-Control: no-store`.
 */

export const BROWSER_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...HSTS_HEADER,
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});

const PAGE_HEADERS = {
  ...BROWSER_HEADERS,
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

export { escapeHtml };

export interface PageOptions {
  /** Where the "back" link goes (Venue Settings); omitted when no frontend is configured. */
  readonly link?: { readonly href: string; readonly label: string } | undefined;
  /** Shown small under the text, e.g. the reason code to quote to support. */
  readonly code?: string | undefined;
  /** What the code is called on the page (default "Reference"). */
  readonly codeLabel?: string | undefined;
}

/** One page: what happened (title, message) and what to do next. Never echoes request input. */
export function renderPage(text: PageText, options: PageOptions = {}): string {
  const link = options.link ? `<p><a class="button" href="${escapeHtml(options.link.href)}">${escapeHtml(options.link.label)}</a></p>` : '';
  const code = options.code ? `<p class="code">${escapeHtml(options.codeLabel ?? 'Reference')}: ${escapeHtml(options.code)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(text.title)} – AoB</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f5f6f8;color:#1d2330;margin:0;padding:2rem 1rem}
main{max-width:34rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.4rem;margin:0 0 1rem}
p{line-height:1.5;margin:0 0 1rem}
.next{font-weight:600}
.button{display:inline-block;background:#1d4ed8;color:#fff;text-decoration:none;padding:.6rem 1.1rem;border-radius:8px}
.code{color:#6b7280;font-size:.85rem;margin-top:1.5rem}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(text.title)}</h1>
<p>${escapeHtml(text.message)}</p>
<p class="next">${escapeHtml(text.nextStep)}</p>
${link}${code}
</main>
</body>
</html>
`;
}

export function pageResponse(statusCode: number, text: PageText, options: PageOptions = {}): HttpResult {
  return { statusCode, headers: { ...PAGE_HEADERS }, body: renderPage(text, options) };
}

export function redirectResponse(statusCode: 302 | 303, location: string, extraHeaders: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...BROWSER_HEADERS, ...extraHeaders, location }, body: '' };
}

/**
 * Wraps a browser route with the shared middleware (./middleware.ts): request-scoped log keys
 * (never the raw event or query string), the browser headers on every answer, and a plain page
 * instead of a stack trace on any fault.
 */
export function browserRoute(route: string, fn: (event: HttpEvent, context: Context) => Promise<HttpResult>, fallbackLink?: () => PageOptions['link']) {
  return middy<HttpEvent, HttpResult>()
    .use(requestLogKeys(route))
    .use(responseHeaders(BROWSER_HEADERS))
    .use(
      errorMapping((error) => {
        logger.error('browser request failed', { errorName: (error as Error | undefined)?.name, errorMessage: (error as Error | undefined)?.message });
        return pageResponse(500, INTERNAL_ERROR_TEXT, { link: fallbackLink?.() });
      }),
    )
    .handler(fn);
}

// ---------------------------------------------------------------------------------------------
// Request parsing for browser routes.

/**
 * The query of a browser request, or null when a parameter appears twice (API Gateway would
 * join the values with a comma; S10) or the query is unreadable. Read from `rawQueryString`
 * when present, so duplicates are seen as such.
 */
export function browserQuery(event: HttpEvent): Record<string, string> | null {
  if (typeof event.rawQueryString === 'string') {
    if (event.rawQueryString.length > 8192) return null;
    let params: URLSearchParams;
    try {
      params = new URLSearchParams(event.rawQueryString);
    } catch {
      return null;
    }
    const result: Record<string, string> = {};
    for (const [key, value] of params) {
      if (Object.hasOwn(result, key)) return null;
      result[key] = value;
    }
    return result;
  }
  return { ...(event.queryStringParameters ?? {}) } as Record<string, string>;
}

/** Name of the HttpOnly cookie binding a flow to the browser that started it. */
export const BINDING_COOKIE = 'aob_amazon_auth';
/** Sent only to the Log-in and Redirect URIs (and the ticket route that sets it), below the API's base path. */
export const BINDING_COOKIE_PATH = '/v1/amazon/';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{1,200}$/;

/** `Set-Cookie` value that removes the binding cookie: the flow it bound has ended. */
export function clearedBindingCookieHeader(apiBaseUrl: string): string {
  return bindingCookieHeader('', 0, apiBaseUrl);
}

/** The binding cookie's value, or null when absent, malformed or sent more than once. */
export function bindingCookieFrom(event: HttpEvent): string | null {
  const pairs = [...(event.cookies ?? []), ...(event.cookies ? [] : (event.headers?.cookie ?? event.headers?.Cookie ?? '').split(';'))];
  const values = pairs
    .map((p) => p.trim())
    .filter((p) => p.startsWith(`${BINDING_COOKIE}=`))
    .map((p) => p.slice(BINDING_COOKIE.length + 1));
  if (values.length !== 1) return null;
  const value = values[0] as string;
  return COOKIE_VALUE.test(value) ? value : null;
}

/**
 * `Set-Cookie` value for the binding cookie (returned in the HTTP API `cookies` field). `Secure` is left out only when the API itself is served
 * over http on loopback (the local stack), where browsers would drop a Secure cookie.
 */
export function bindingCookieHeader(value: string, maxAgeSeconds: number, apiBaseUrl: string): string {
  const parts = [`${BINDING_COOKIE}=${value}`, `Path=${bindingCookiePath(apiBaseUrl)}`, `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Lax'];
  if (!isLoopbackHttp(new URL(apiBaseUrl))) parts.push('Secure');
  return parts.join('; ');
}

/**
 * The cookie's path as the browser sees it: the routes live under API_BASE_URL, which may carry a
 * base path (a custom domain's API mapping, `https://api.example.com/amazon-connect`); a cookie
 * scoped to `/v1/amazon/` alone would then never come back and every flow would end in
 * BROWSER_MISMATCH. Characters that could end the attribute are escaped.
 */
export function bindingCookiePath(apiBaseUrl: string): string {
  const base = new URL(apiBaseUrl).pathname.replace(/\/+$/, '').replace(/[^A-Za-z0-9\-._~/%]/g, (c) => encodeURIComponent(c));
  return `${base}${BINDING_COOKIE_PATH}`;
}

// ---------------------------------------------------------------------------------------------
// Outcomes of the flow.

/** The "back to Venue Settings" link of every page, when a frontend is configured. */
export function venueSettingsLink(cfg: Pick<Config, 'frontendUrl' | 'frontendReturnPaths'>): PageOptions['link'] {
  return cfg.frontendUrl ? { href: `${cfg.frontendUrl}${cfg.frontendReturnPaths[0] ?? '/'}`, label: 'Back to Venue Settings' } : undefined;
}

/**
 * An outcome as the browser sees it: 303 to the frontend (`amazon_authorization=…`), or with no
 * frontend configured a page saying what happened and what to do next.
 */
export function outcomeResponse(cfg: Pick<Config, 'frontendUrl' | 'frontendReturnPaths'>, outcome: AuthorizationOutcome, returnPath: string | null): HttpResult {
  if (cfg.frontendUrl) {
    return redirectResponse(303, outcomeUrl(cfg.frontendUrl, returnPath ?? cfg.frontendReturnPaths[0] ?? '/', outcome));
  }
  const status = outcome.kind === 'success' ? 200 : reasonStatus(outcome.reason);
  return pageResponse(status, outcomeText(outcome), { code: outcome.kind === 'error' ? outcome.reason : (outcome.notice ?? undefined) });
}

/**
 * Where the callback sends the browser once Amazon's code is kept sealed: the frontend's
 * completion page with the handle in the fragment (never sent to a server, so never in an access
 * log), or with no frontend configured a page naming the handle for the AoB client to complete.
 */
export function completionResponse(cfg: Pick<Config, 'frontendUrl' | 'frontendCompletionPath'>, handle: string): HttpResult {
  if (cfg.frontendUrl) return redirectResponse(303, `${cfg.frontendUrl}${cfg.frontendCompletionPath}#completion=${handle}`);
  return pageResponse(200, FINISH_IN_AOB_TEXT, { code: handle, codeLabel: 'Completion reference' });
}
