import { MARKETPLACE_CODES, SELLER_CENTRAL_HOSTS, sellerCentralBase } from './marketplaces.js';

/**
 * What Amazon's redirects hand the flow (the Log-in URI's `amazon_callback_uri`, `amazon_state`
 * and `selling_partner_id`), how each is checked, and the redirect back to `amazon_callback_uri`.
 * Pure: no I/O. The rules are listed in docs/authorization.md, "Validation of what the browser and
 * Amazon send".
 */

/** Amazon selling partner ids are short upper-case alphanumerics (e.g. A3EXAMPLE9SPID). */
export const SELLING_PARTNER_ID_PATTERN = /^[A-Z0-9]{6,32}$/;
/** `amazon_state` is Amazon's opaque value: accepted only in a conservative URL-safe charset. */
export const AMAZON_STATE_PATTERN = /^[A-Za-z0-9._~+/=-]{1,1024}$/;
export const MAX_CALLBACK_URI_LENGTH = 2048;

// ---------------------------------------------------------------------------------------------
// amazon_callback_uri (S6): https on a Seller Central host of the catalog (or under the local
// sandbox's override base), written in plain ASCII with nothing a parser could read two ways.

/** Characters allowed in the path; `%` only as a well-formed escape that is not a separator or dot. */
const CALLBACK_PATH = /^(?:\/(?:[A-Za-z0-9\-._~:@+]|%(?!2[eEfF]|5[cC])[0-9A-Fa-f]{2})*)+$/;
/** No `;`: some servers still split a query on it, which would let `a=1;state=x` pre-fill a reserved key. */
const CALLBACK_QUERY = /^(?:[A-Za-z0-9\-._~!$'()*+,:@/?=&]|%[0-9A-Fa-f]{2})*$/;
/** Query keys this service sets itself: Amazon must not pre-fill them. */
const RESERVED_CALLBACK_PARAMS = new Set(['state', 'amazon_state', 'version']);

export interface CallbackUriOptions {
  readonly sellerCentralUrlOverride?: string | undefined;
}

/**
 * The parsed `amazon_callback_uri`, or null when it is not a URL Amazon would send: relative,
 * not https, with credentials, a port, a fragment, a host outside the Seller Central catalog,
 * non-ASCII or control characters, backslashes, encoded slashes/dots, dot segments or
 * duplicate/reserved query parameters.
 */
export function parseAmazonCallbackUri(raw: unknown, options: CallbackUriOptions = {}): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_CALLBACK_URI_LENGTH) return null;
  // Printable ASCII only: no whitespace, controls, backslashes or unicode look-alikes.
  if (!/^[\x21-\x7e]+$/.test(raw) || raw.includes('\\') || raw.includes('#')) return null;
  const match = /^([a-z]+):\/\/([a-z0-9.-]+(?::[0-9]{1,5})?)(\/[^?]*)(?:\?(.*))?$/.exec(raw);
  if (!match) return null;
  const [, scheme, authority, path = '', query] = match;
  if (!CALLBACK_PATH.test(path) || /(^|\/)\.{1,2}(\/|$)/.test(path)) return null;
  if (query !== undefined && !CALLBACK_QUERY.test(query)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  // The WHATWG parser must read the same origin we read with the strict pattern.
  if (url.username || url.password || url.hash || `${url.protocol}//${url.host}` !== `${scheme}:${'//'}${authority}`) return null;
  const keys = [...url.searchParams.keys()];
  if (new Set(keys).size !== keys.length || keys.some((k) => RESERVED_CALLBACK_PARAMS.has(k))) return null;
  return isAllowedCallbackOrigin(url, options.sellerCentralUrlOverride) ? url : null;
}

function isAllowedCallbackOrigin(url: URL, override: string | undefined): boolean {
  if (!override) return url.protocol === 'https:' && url.port === '' && SELLER_CENTRAL_HOSTS.has(url.host);
  // Local sandbox: anything under the override base of any marketplace.
  return MARKETPLACE_CODES.some((code) => {
    const base = new URL(sellerCentralBase(code, override));
    const basePath = base.pathname.replace(/\/$/, '');
    return url.origin === base.origin && url.pathname.startsWith(`${basePath}/`);
  });
}

/** `amazon_callback_uri` with the parameters Amazon expects back from the Log-in step. */
export function amazonCallbackRedirect(callbackUri: URL, amazonState: string, state: string, draftApp: boolean): URL {
  const url = new URL(callbackUri.href);
  url.searchParams.set('amazon_state', amazonState);
  url.searchParams.set('state', state);
  if (draftApp) url.searchParams.set('version', 'beta');
  return url;
}
