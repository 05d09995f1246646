import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { type MarketplaceCode, MARKETPLACE_CODES, SELLER_CENTRAL_HOSTS, sellerCentralBase } from './marketplaces.js';

/**
 * The one-time values of the authorization flow and the checks on everything a browser or
 * Amazon hands us during it. Pure: no I/O, "now" is always a parameter.
 *
 * Design of the one-time values (see docs/authorization.md):
 * - ticket: 256 random bits, base64url. Lives in the `authorizationUrl` the frontend opens once.
 * - binding: 256 random bits, base64url, minted when the ticket is redeemed and sent to the
 *   browser only as the HttpOnly binding cookie.
 * - state: HMAC-SHA256(binding, STATE_LABEL), base64url. Deriving the state from the cookie lets
 *   the Log-in step rebuild `state` for the redirect to Amazon from the cookie alone, so neither
 *   the raw state nor the raw binding is ever stored: the table holds only SHA-256 hashes of the
 *   ticket, the state and the binding. Knowing a state (it travels through Amazon's URLs) does
 *   not reveal the cookie: HMAC is one-way.
 */

/** 32 random bytes → 43 base64url characters. */
export const ONE_TIME_BYTES = 32;
export const ONE_TIME_VALUE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const STATE_LABEL = 'aob-amazon-connect/state/v1';

/** A fresh one-time value from the platform CSPRNG: 256 bits, base64url. */
export function newOneTimeValue(): string {
  return randomBytes(ONE_TIME_BYTES).toString('base64url');
}

/** What the table stores instead of a one-time value. */
export function hashOneTime(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The OAuth `state` belonging to a binding cookie value. */
export function stateFromBinding(binding: string): string {
  return createHmac('sha256', binding).update(STATE_LABEL).digest('base64url');
}

/** Constant-time check that `state` belongs to `binding`. */
export function stateMatchesBinding(state: string, binding: string): boolean {
  const expected = Buffer.from(stateFromBinding(binding));
  const given = Buffer.from(state);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function isOneTimeValue(value: unknown): value is string {
  return typeof value === 'string' && ONE_TIME_VALUE_PATTERN.test(value);
}

// ---------------------------------------------------------------------------------------------
// Values a ticket carries for a flow started on Amazon. `amazon_state` is Amazon's one-time value
// of the seller's Seller Central session; the ticket item waits in the table until redeemed (and
// unredeemed ones until TTL, days later, and in backups). So it is stored sealed under a key
// only the holder of the raw ticket can derive: the table alone (which keeps sha256(ticket))
// never reveals it.

const SEAL_INFO = 'aob-amazon-connect/ticket-seal/v1';
const SEAL_PREFIX = 'v1.';

function derivedKey(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), info, 32));
}

function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return SEAL_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function open(key: Buffer, sealed: string): string | null {
  if (!sealed.startsWith(SEAL_PREFIX)) return null;
  const raw = Buffer.from(sealed.slice(SEAL_PREFIX.length), 'base64url');
  if (raw.length < 12 + 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** `plaintext` encrypted (AES-256-GCM) under a key derived from the raw ticket. */
export function sealForTicket(ticket: string, plaintext: string): string {
  return seal(derivedKey(ticket, SEAL_INFO), plaintext);
}

/** The sealed value, or null when it was not sealed for this ticket or was altered. */
export function openForTicket(ticket: string, sealed: string): string | null {
  return open(derivedKey(ticket, SEAL_INFO), sealed);
}

// ---------------------------------------------------------------------------------------------
// Completion handle. The callback does not exchange Amazon's code: it keeps it, sealed, with the
// pending authorization and sends the browser to the frontend's completion page with a handle.
// Only a request carrying that handle AND the JWT of the AoB account that started the flow makes
// the service exchange the code (authorization-completion use case). The handle is
// `{locator}.{secret}`: the locator is base64url(sha256(state)), which names the pending item;
// the secret (256 random bits) is the only key material for the code's seal, and the table keeps
// only sha256(handle). Like the ticket seal, a backup of the table never reveals the code.

export const COMPLETION_HANDLE_PATTERN = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;
const CODE_SEAL_INFO = 'aob-amazon-connect/code-seal/v1';
/** Amazon's authorization code is valid 5 minutes after it is issued: a completion after that is not tried. */
export const CODE_LIFETIME_MS = 5 * 60_000;

/** A new completion handle for the pending authorization of `stateHash` (hex sha256 of the state). */
export function newCompletionHandle(stateHash: string, secret: string = newOneTimeValue()): string {
  return `${Buffer.from(stateHash, 'hex').toString('base64url')}.${secret}`;
}

/** The pending authorization's state hash a handle names, or null when the handle is malformed. */
export function stateHashOfHandle(handle: unknown): string | null {
  if (typeof handle !== 'string' || !COMPLETION_HANDLE_PATTERN.test(handle)) return null;
  const raw = Buffer.from(handle.slice(0, 43), 'base64url');
  return raw.length === 32 ? raw.toString('hex') : null;
}

/** Amazon's code sealed (AES-256-GCM) under a key derived from the completion handle. */
export function sealForHandle(handle: string, code: string): string {
  return seal(derivedKey(handle, CODE_SEAL_INFO), code);
}

/** The code sealed for `handle`, or null when it was sealed for another handle or altered. */
export function openForHandle(handle: string, sealed: string): string | null {
  return open(derivedKey(handle, CODE_SEAL_INFO), sealed);
}

/** Amazon selling partner ids are short upper-case alphanumerics (e.g. A3EXAMPLE9SPID). */
export const SELLING_PARTNER_ID_PATTERN = /^[A-Z0-9]{6,32}$/;
/** `amazon_state` is Amazon's opaque value: accepted only in a conservative URL-safe charset. */
export const AMAZON_STATE_PATTERN = /^[A-Za-z0-9._~+/=-]{1,1024}$/;
export const MAX_CALLBACK_URI_LENGTH = 2048;
/** Return paths look like config's FRONTEND_RETURN_PATHS entries; membership is checked separately. */
export const RETURN_PATH_PATTERN = /^\/[A-Za-z0-9\-._~/]{0,199}$/;

// ---------------------------------------------------------------------------------------------
// Return path (S6): only one of the configured paths, compared exactly. Never a URL.

export class ReturnPathError extends Error {
  constructor(readonly allowed: readonly string[]) {
    super(`returnPath must be one of: ${allowed.join(', ')}`);
    this.name = 'ReturnPathError';
  }
}

/** The path a flow returns to: `requested` when it is exactly one of `allowed`, the first one when absent. */
export function resolveReturnPath(requested: string | undefined, allowed: readonly string[]): string {
  const fallback = allowed[0];
  if (fallback === undefined) throw new ReturnPathError(allowed);
  if (requested === undefined) return fallback;
  if (!allowed.includes(requested)) throw new ReturnPathError(allowed);
  return requested;
}

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

// ---------------------------------------------------------------------------------------------
// Outcomes of the callback (docs/authorization.md, "Outcomes") and what each tells the seller.

export const REASON_CODES = [
  'STATE_INVALID',
  'BROWSER_MISMATCH',
  'ACCESS_DENIED',
  'CODE_EXCHANGE_FAILED',
  'AMAZON_UNAVAILABLE',
  'WRONG_REGION',
  'APP_CREDENTIALS_INVALID',
  'SERVICE_UNAVAILABLE',
  'ACCOUNT_MISMATCH',
  'FLOW_EXPIRED',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const NOTICE_CODES = ['NOT_REGISTERED'] as const;
export type NoticeCode = (typeof NOTICE_CODES)[number];

/**
 * What a stored authorization changed, for the outcome page: a renewal of the same seller's
 * authorization, or the replacement of another Amazon seller account's authorization of the same
 * region (named by its selling partner id, a label). Absent: a first connection, or not known
 * (a reload of an outcome shows the plain success again).
 */
export type AuthorizationChange = { readonly kind: 'renewed' } | { readonly kind: 'replaced'; readonly sellingPartnerId: string };

export type AuthorizationOutcome =
  | { readonly kind: 'success'; readonly marketplace: MarketplaceCode; readonly notice: NoticeCode | null; readonly change?: AuthorizationChange }
  | { readonly kind: 'error'; readonly reason: ReasonCode; readonly marketplace: MarketplaceCode | null };

export const success = (marketplace: MarketplaceCode, notice: NoticeCode | null = null, change?: AuthorizationChange): AuthorizationOutcome =>
  change ? { kind: 'success', marketplace, notice, change } : { kind: 'success', marketplace, notice };
export const failure = (reason: ReasonCode, marketplace: MarketplaceCode | null = null): AuthorizationOutcome => ({ kind: 'error', reason, marketplace });

export interface PageText {
  readonly title: string;
  readonly message: string;
  readonly nextStep: string;
}

/**
 * How long the state lives once the ticket has sent the browser to Amazon: the seller's time on
 * Amazon's pages. A real sign-in with two-step verification, an account picker or a forgotten
 * password takes minutes, not seconds; 20 minutes covers that with room to spare, ends well
 * before Amazon's own consent form (30 minutes in the sandbox's reading), so a seller who takes
 * longer lands on AoB's FLOW_EXPIRED page with a restart instead of Amazon's error page, and
 * keeps a state that is single-use and bound to this browser's cookie short-lived. Amazon's
 * code, once issued, still lives only 5 minutes.
 */
export const CONSENT_WINDOW_MS = 20 * 60_000;
/** The binding cookie outlives the state by this much, so a late return is recognised as this browser's. */
export const BINDING_COOKIE_GRACE_MS = 60 * 60_000;

/** What each outcome's page says: what happened, then what to do. Also the subject of docs/authorization.md. */
export const REASON_TEXT: Readonly<Record<ReasonCode, PageText>> = {
  STATE_INVALID: {
    title: 'This authorization link is no longer valid',
    message: 'AoB could not match this return from Amazon to an authorization that is still open: it was unknown, already used, or expired. Nothing was stored.',
    nextStep: 'Go back to Venue Settings in AoB and click Authorize again.',
  },
  BROWSER_MISMATCH: {
    title: 'Please finish in the browser where you started',
    message: 'Amazon sent you back to a different browser (or one without the cookie AoB set when you clicked Authorize).',
    nextStep: 'Open Venue Settings in AoB in this browser and click Authorize again.',
  },
  ACCESS_DENIED: {
    title: 'Authorization was cancelled on Amazon',
    message: 'Amazon reported that access was not granted, so nothing was connected.',
    nextStep: 'If this was a mistake, go back to Venue Settings in AoB, click Authorize and confirm on Amazon.',
  },
  CODE_EXCHANGE_FAILED: {
    title: 'Amazon did not accept the authorization',
    message: 'Amazon refused the one-time code it issued (it may have expired after 5 minutes or been used already). Nothing was stored.',
    nextStep: 'Go back to Venue Settings in AoB and click Authorize again.',
  },
  AMAZON_UNAVAILABLE: {
    title: 'Amazon could not finish the authorization just now',
    message: 'Amazon did not respond in time, or reported a problem on its side, so the authorization could not be completed. Nothing was stored.',
    nextStep: 'Wait a few minutes, then go back to Venue Settings in AoB and click Authorize again.',
  },
  WRONG_REGION: {
    title: 'This Amazon account does not sell in this region',
    message: 'The Amazon seller account you signed in with has no marketplace in the region you authorized. Nothing was stored.',
    nextStep: 'Go back to Venue Settings in AoB, click Authorize on the marketplace where this account sells, or sign in to Amazon with the right account.',
  },
  APP_CREDENTIALS_INVALID: {
    title: 'AoB cannot talk to Amazon right now',
    message: "AoB's own Amazon app credentials were refused. This is a problem on our side, not with your account, and our team has been alerted.",
    nextStep: 'Please try again later; your existing connections are not affected.',
  },
  SERVICE_UNAVAILABLE: {
    title: 'AoB could not finish the authorization',
    message: 'Something failed on our side while AoB was finishing the authorization. Nothing was saved, and our team has been alerted.',
    nextStep: 'Wait a few minutes, then go back to Venue Settings in AoB and click Authorize again.',
  },
  FLOW_EXPIRED: {
    title: `This took longer than ${CONSENT_WINDOW_MS / 60_000} minutes; nothing was saved`,
    message: `For your security an authorization has to be confirmed on Amazon within ${CONSENT_WINDOW_MS / 60_000} minutes of clicking Authorize. Nothing changed on your account.`,
    nextStep: 'Go back to Venue Settings in AoB and click Authorize again; it takes two clicks on Amazon.',
  },
  ACCOUNT_MISMATCH: {
    title: 'This authorization was started from another AoB account. Nothing was saved.',
    message: 'The authorization link you followed was created by a different AoB account than the one you are signed in with, so AoB did not connect your Amazon seller account to either.',
    nextStep: 'If you want to connect Amazon to your AoB account, go to Venue Settings in AoB and click Authorize there yourself. Never use an authorization link someone sent you.',
  },
};

export const SUCCESS_TEXT: PageText = {
  title: 'Amazon is connected',
  message: 'AoB can now work with your Amazon seller account. The authorization lasts one year; AoB will remind you before it runs out.',
  nextStep: 'Go back to Venue Settings in AoB to check the status and set the venue to Active.',
};

export const NOT_REGISTERED_TEXT: PageText = {
  title: 'Amazon is connected, but not for this marketplace',
  message: 'The authorization was stored, but your Amazon seller account is not registered to sell on this marketplace.',
  nextStep: 'Register the marketplace in Seller Central, or activate a marketplace where you already sell, in Venue Settings in AoB.',
};

export const RENEWED_TEXT: PageText = {
  title: 'Amazon authorization renewed',
  message: 'Your Amazon authorization was renewed for another year. Venues you had set Active stay Active.',
  nextStep: 'Nothing else to do. Venue Settings in AoB shows the new expiry date.',
};

/** The outcome page's words; a replacement names the Amazon seller account whose authorization it replaced. */
export function outcomeText(outcome: AuthorizationOutcome): PageText {
  if (outcome.kind === 'error') return REASON_TEXT[outcome.reason];
  const text = outcome.notice === 'NOT_REGISTERED' ? NOT_REGISTERED_TEXT : outcome.change?.kind === 'renewed' ? RENEWED_TEXT : SUCCESS_TEXT;
  if (outcome.change?.kind !== 'replaced') return text;
  return { ...text, message: `${text.message} This replaced the authorization of Amazon seller account ${outcome.change.sellingPartnerId}, which AoB no longer uses.` };
}

/** The frontend URL an outcome lands on: `{frontendUrl}{returnPath}?amazon_authorization=…`. */
export function outcomeUrl(frontendUrl: string, returnPath: string, outcome: AuthorizationOutcome): string {
  const url = new URL(`${frontendUrl}${returnPath}`);
  url.searchParams.set('amazon_authorization', outcome.kind);
  if (outcome.marketplace) url.searchParams.set('marketplace', outcome.marketplace);
  if (outcome.kind === 'error') url.searchParams.set('reason', outcome.reason);
  else {
    if (outcome.notice) url.searchParams.set('notice', outcome.notice);
    if (outcome.change) url.searchParams.set('change', outcome.change.kind);
    if (outcome.change?.kind === 'replaced') url.searchParams.set('replaced', outcome.change.sellingPartnerId);
  }
  return url.href;
}

/** The ticket page (`GET /v1/amazon/authorize/{ticket}`) for a link that cannot be used. */
export const TICKET_INVALID_TEXT: PageText = {
  title: 'This authorization link has expired or was already used',
  message: 'Each link from AoB works once, for 10 minutes, to keep your Amazon account safe.',
  nextStep: 'Go back to Venue Settings in AoB and click Authorize to get a new link.',
};

/** The Log-in URI for parameters that did not come from Amazon as expected. */
export const LOGIN_INVALID_TEXT: PageText = {
  title: 'This sign-in link from Amazon is not valid',
  message: 'The link that brought you here is incomplete or was changed on the way, so AoB did not follow it.',
  nextStep: 'Start again from Venue Settings in AoB (click Authorize), or from Manage Your Apps in Seller Central.',
};

/**
 * The callback with no frontend configured: Amazon said yes, but nothing is stored until a
 * request with the AoB JWT of the account that started the flow completes it.
 */
export const FINISH_IN_AOB_TEXT: PageText = {
  title: 'Finish in AoB',
  message: 'Amazon confirmed the authorization. AoB saves nothing until you finish it while signed in to the AoB account that started it, within 5 minutes.',
  nextStep: 'Go back to AoB in this browser; it finishes the authorization with the completion reference below.',
};

/** The Log-in URI when the flow started on Amazon and there is no frontend to continue in. */
export const SIGN_IN_FIRST_TEXT: PageText = {
  title: 'Sign in to AoB first',
  message: 'You came from Amazon Seller Central. AoB needs to know which AoB account to connect before it can finish.',
  nextStep: 'Sign in to AoB, open Settings → Venue Settings and click Authorize on the Amazon marketplace.',
};

/** An unexpected fault on a browser route. */
export const INTERNAL_ERROR_TEXT: PageText = {
  title: 'Something went wrong on our side',
  message: 'AoB could not complete this step. Nothing about your Amazon account was changed.',
  nextStep: 'Wait a minute, then go back to Venue Settings in AoB and click Authorize again.',
};

/** How Amazon's `error` parameter on the Redirect URI maps to an outcome (S9). */
export function reasonForAmazonError(error: string): ReasonCode {
  if (error === 'access_denied') return 'ACCESS_DENIED';
  if (error === 'server_error' || error === 'temporarily_unavailable') return 'AMAZON_UNAVAILABLE';
  return 'CODE_EXCHANGE_FAILED';
}

/** Longest a ticket (the link from Authorize to Amazon) may live, whatever the configuration says (SECURITY S4). */
export const MAX_AUTHORIZATION_TTL_MS = 10 * 60_000;


export function authorizationExpiry(now: Date, configuredTtlMs: number): Date {
  return new Date(now.getTime() + Math.min(configuredTtlMs, MAX_AUTHORIZATION_TTL_MS));
}

/**
 * Secret name of one authorization of a grant: `${prefix}${accountId}/${grantKey}/a-${id}` with
 * `#` turned into `/` and `id` derived from the authorization's state hash. Every authorization
 * gets its own secret, so a disconnect (which schedules the deletion of the secret named by the
 * row it removed) can never hit a newer authorization's secret, and two racing exchanges of one
 * grant write two secrets of which the stored row names exactly one. Account ids may hold `:`,
 * which secret names do not allow; it becomes `=3A` (`=` never appears in an account id, so two
 * accounts never share a name). Grants stored before this scheme keep the name in their row
 * (`${prefix}${accountId}/${grantKey}`), which is what every reader uses.
 */
export function grantSecretName(prefix: string, accountId: string, grantKey: string, authorization: string): string {
  const id = createHash('sha256').update(`secret-name|${authorization}`).digest('hex').slice(0, 20);
  return `${prefix}${accountId.replaceAll(':', '=3A')}/${grantKey.replaceAll('#', '/')}/a-${id}`;
}
