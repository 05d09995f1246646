import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Marketplace, type MarketplaceCode, isMarketplaceCode, marketplace } from '../../lambdas/domain/marketplaces.js';
import { randomAlphanumeric, readForm, redirect, requestOrigin, sendHtml, single } from './http.js';
import { type LoginWithAmazon, grantScopeFor } from './lwa.js';
import { consentPage, errorPage, managePage } from './pages.js';
import { TEST_SELLERS, type TestSeller, findSeller, preselectedSeller, sellsOn } from './sellers.js';

/**
 * Seller Central's side of the website authorization workflow: the consent page (two clicks),
 * the hop through the app's Log-in URI with `amazon_state`, the `amazon_callback_uri` that
 * issues the code, and Manage Your Apps, where a flow starts on Amazon's side.
 */

/** A consent or Manage Your Apps page left open this long must be reloaded. */
export const FORM_LIFETIME_MS = 30 * 60 * 1000;
/** `amazon_state` is a one-time value for the Log-in URI round trip. */
export const AMAZON_STATE_LIFETIME_MS = 10 * 60 * 1000;

export interface SellerCentralApp {
  readonly applicationId: string;
  readonly name: string;
  readonly developerName: string;
  /** A Draft app must be authorized with `version=beta` (MD1000 otherwise). */
  readonly draft: boolean;
}

export interface SellerCentralOptions {
  readonly app: SellerCentralApp;
  readonly loginUri: string;
  readonly redirectUri: string;
  /** Pins the origin of `amazon_callback_uri`; the request's Host header otherwise. */
  readonly publicOrigin: string | undefined;
  readonly lwa: LoginWithAmazon;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

interface ConsentForm {
  readonly mp: MarketplaceCode;
  readonly appState: string;
  readonly beta: boolean;
  readonly expiresAt: number;
}

interface ManageForm {
  readonly mp: MarketplaceCode;
  readonly expiresAt: number;
}

interface PendingAmazonState {
  /** The Seller Central session (browser) that got this amazon_state: only that browser can redeem it. */
  readonly session: string;
  readonly mp: MarketplaceCode;
  readonly sellingPartnerId: string;
  /** The app's `state` from the consent URL; absent when the flow started in Manage Your Apps. */
  readonly appState: string | undefined;
  readonly expiresAt: number;
}

/**
 * Seller Central's signed-in session, modelled by a cookie: an `amazon_state` is valid only in the
 * browser it was issued to. Amazon does not document this; the sandbox takes the stricter reading
 * (a Login-CSRF link carrying another seller's `amazon_state` fails on Amazon's side).
 */
export const SESSION_COOKIE = 'sandbox_sc_session';
const SESSION_VALUE = /^[A-Za-z0-9]{32}$/;

function sessionFrom(req: IncomingMessage): string | undefined {
  const values = (req.headers.cookie ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.startsWith(`${SESSION_COOKIE}=`))
    .map((p) => p.slice(SESSION_COOKIE.length + 1));
  return values.length === 1 && SESSION_VALUE.test(values[0] as string) ? values[0] : undefined;
}

/** The browser's session, starting one (Set-Cookie on the coming answer) when it has none. */
function ensureSession(req: IncomingMessage, res: ServerResponse): string {
  const existing = sessionFrom(req);
  if (existing) return existing;
  const session = randomAlphanumeric(32);
  res.setHeader('set-cookie', `${SESSION_COOKIE}=${session}; Path=/sellercentral/; HttpOnly; SameSite=Lax`);
  return session;
}

function prune<T extends { expiresAt: number }>(map: Map<string, T>, now: number): void {
  for (const [key, value] of map) if (value.expiresAt < now) map.delete(key);
}

export class SellerCentral {
  private readonly consentForms = new Map<string, ConsentForm>();
  private readonly manageForms = new Map<string, ManageForm>();
  private readonly amazonStates = new Map<string, PendingAmazonState>();

  constructor(private readonly options: SellerCentralOptions) {}

  /** Routes `/sellercentral/{mp}/apps/…`; returns false when the path is not Seller Central's. */
  async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const match = /^\/sellercentral\/([a-z]{2})\/apps\/(authorize\/consent|authorize\/confirm|authorize\/callback|manage|manage\/authorize)$/.exec(url.pathname);
    if (!match) return false;
    const code = (match[1] as string).toUpperCase();
    if (!isMarketplaceCode(code)) {
      sendHtml(res, 404, errorPage({ title: 'Page not found', message: `There is no sandbox Seller Central for "${match[1]}". Use a marketplace code such as uk, de or us.` }));
      return true;
    }
    const mp = marketplace(code);
    const action = `${req.method ?? 'GET'} ${match[2] as string}`;
    switch (action) {
      case 'GET authorize/consent':
        ensureSession(req, res);
        this.consent(res, mp, url.searchParams);
        return true;
      case 'POST authorize/confirm':
        await this.confirm(req, res, mp);
        return true;
      case 'GET authorize/callback':
        this.callback(res, mp, url.searchParams, sessionFrom(req));
        return true;
      case 'GET manage':
        ensureSession(req, res);
        this.manage(res, mp);
        return true;
      case 'POST manage/authorize':
        await this.manageAuthorize(req, res, mp);
        return true;
      default:
        res.writeHead(405, { allow: match[2] === 'authorize/confirm' || match[2] === 'manage/authorize' ? 'POST' : 'GET' }).end();
        return true;
    }
  }

  private consent(res: ServerResponse, mp: Marketplace, query: URLSearchParams): void {
    const fail = (status: number, title: string, message: string, code?: string) => {
      this.options.log(`sandbox consent ${mp.code} refused: ${title}${code ? ` (${code})` : ''}`);
      sendHtml(res, status, errorPage({ mp, title, message, ...(code ? { code } : {}) }));
    };
    const applicationId = single(query, 'application_id');
    const appState = single(query, 'state');
    const version = single(query, 'version');
    const redirectUri = single(query, 'redirect_uri');
    if (applicationId === null || appState === null || version === null || redirectUri === null) {
      return fail(400, 'We could not process your request', 'A parameter appears more than once in the authorization link. Go back to the app and start again.');
    }
    if (!applicationId || applicationId !== this.options.app.applicationId) {
      return fail(404, 'We could not find this application', 'The application_id in the authorization link does not belong to a registered app. Check the app id in the app configuration.');
    }
    if (this.options.app.draft && version !== 'beta') {
      return fail(400, 'We could not authorize this application', 'This application is in Draft state: the authorization link must include version=beta.', 'MD1000');
    }
    if (redirectUri !== undefined) {
      if (redirectUri.includes('#')) return fail(400, 'We could not authorize this application', 'The redirect URI must not contain a fragment.', 'MD5110');
      if (redirectUri !== this.options.redirectUri) return fail(400, 'We could not authorize this application', 'The redirect_uri does not match a Redirect URI registered for this application.', 'MD5101');
    }
    if (!appState) return fail(400, 'We could not process your request', 'The authorization link has no state parameter. Go back to the app and start again.');
    const now = this.options.now();
    prune(this.consentForms, now);
    const formToken = randomAlphanumeric(32);
    this.consentForms.set(formToken, { mp: mp.code, appState, beta: version === 'beta', expiresAt: now + FORM_LIFETIME_MS });
    const selected = preselectedSeller(mp.code);
    this.options.log(`sandbox consent ${mp.code} shown, preselected seller=${selected.sellingPartnerId}`);
    sendHtml(res, 200, this.renderConsent(mp, formToken, selected));
  }

  private renderConsent(mp: Marketplace, formToken: string, selected: TestSeller, problem?: string): string {
    return consentPage({
      mp,
      appName: this.options.app.name,
      developerName: this.options.app.developerName,
      action: `/sellercentral/${mp.code.toLowerCase()}/apps/authorize/confirm`,
      formToken,
      sellers: TEST_SELLERS,
      selected,
      ...(problem ? { problem } : {}),
    });
  }

  /** The submitted form, or an error page answered for a request that is not one. */
  private async formOrErrorPage(req: IncomingMessage, res: ServerResponse, mp: Marketplace): Promise<URLSearchParams | undefined> {
    const form = await readForm(req);
    if (form === 'not a form') sendHtml(res, 415, errorPage({ mp, title: 'We could not process your request', message: 'Submit the form on the page.' }));
    else if (form === 'too large') sendHtml(res, 413, errorPage({ mp, title: 'We could not process your request', message: 'The form is too large.' }));
    else return form;
    return undefined;
  }

  private async confirm(req: IncomingMessage, res: ServerResponse, mp: Marketplace): Promise<void> {
    const form = await this.formOrErrorPage(req, res, mp);
    if (!form) return;
    const formToken = single(form, 'form_token');
    const pending = formToken ? this.consentForms.get(formToken) : undefined;
    if (!formToken || !pending || pending.mp !== mp.code || pending.expiresAt < this.options.now()) {
      this.options.log(`sandbox confirm ${mp.code} refused: unknown or expired form`);
      sendHtml(res, 400, errorPage({ mp, title: 'This page has expired', message: 'The consent page was already used or is too old. Go back to the app and start the authorization again.' }));
      return;
    }
    if (single(form, 'decision') === 'deny') {
      this.consentForms.delete(formToken);
      const target = new URL(this.options.redirectUri);
      target.searchParams.set('state', pending.appState);
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The seller did not authorize the application.');
      this.options.log(`sandbox confirm ${mp.code} denied by the seller`);
      redirect(res, target.toString());
      return;
    }
    const seller = findSeller(single(form, 'selling_partner_id') ?? '');
    if (!seller) {
      sendHtml(res, 400, this.renderConsent(mp, formToken, preselectedSeller(mp.code), 'Choose a selling account.'));
      return;
    }
    if (single(form, 'consent') !== 'yes') {
      this.options.log(`sandbox confirm ${mp.code} refused: consent box not ticked`);
      sendHtml(res, 400, this.renderConsent(mp, formToken, seller, 'Tick the box to direct Amazon to provide access, then confirm.'));
      return;
    }
    this.consentForms.delete(formToken);
    this.options.log(`sandbox confirm ${mp.code} seller=${seller.sellingPartnerId} → Log-in URI`);
    this.sendToLoginUri(req, res, mp, seller, pending.appState, pending.beta);
  }

  /** Amazon loads the app's Log-in URI before the Redirect URI, even when the flow began at the consent URL. */
  private sendToLoginUri(req: IncomingMessage, res: ServerResponse, mp: Marketplace, seller: TestSeller, appState: string | undefined, beta: boolean): void {
    const origin = this.options.publicOrigin ?? requestOrigin(req);
    if (!origin) {
      sendHtml(res, 400, errorPage({ mp, title: 'We could not process your request', message: 'The request had no usable Host header.' }));
      return;
    }
    const now = this.options.now();
    prune(this.amazonStates, now);
    const amazonState = randomAlphanumeric(40);
    this.amazonStates.set(amazonState, { session: ensureSession(req, res), mp: mp.code, sellingPartnerId: seller.sellingPartnerId, appState, expiresAt: now + AMAZON_STATE_LIFETIME_MS });
    const target = new URL(this.options.loginUri);
    target.searchParams.set('amazon_callback_uri', `${origin}/sellercentral/${mp.code.toLowerCase()}/apps/authorize/callback`);
    target.searchParams.set('amazon_state', amazonState);
    target.searchParams.set('selling_partner_id', seller.sellingPartnerId);
    if (beta) target.searchParams.set('version', 'beta');
    redirect(res, target.toString());
  }

  private callback(res: ServerResponse, mp: Marketplace, query: URLSearchParams, session: string | undefined): void {
    const fail = (title: string, message: string, code?: string) => {
      this.options.log(`sandbox callback ${mp.code} refused: ${title}`);
      sendHtml(res, 400, errorPage({ mp, title, message, ...(code ? { code } : {}) }));
    };
    const amazonState = single(query, 'amazon_state');
    const appState = single(query, 'state');
    const version = single(query, 'version');
    const pending = amazonState ? this.amazonStates.get(amazonState) : undefined;
    // Single use: whatever happens next, this amazon_state cannot be replayed.
    if (amazonState) this.amazonStates.delete(amazonState);
    if (!pending || pending.expiresAt < this.options.now()) {
      return fail('This authorization has expired', 'The amazon_state is unknown, already used or too old. Start the authorization again from the app or from Manage Your Apps.');
    }
    if (pending.session !== session) {
      return fail('This authorization belongs to another browser', 'The amazon_state was issued to a different Seller Central session. Start the authorization again from the app or from Manage Your Apps in this browser.');
    }
    if (pending.mp !== mp.code) return fail('We could not process your request', 'The amazon_callback_uri was changed: it belongs to another marketplace.');
    if (!appState) return fail('We could not process your request', 'The app sent no state back to Amazon. The app must append state to amazon_callback_uri.');
    // Amazon does not document what happens when the app sends back a different state; the sandbox refuses so the mistake is visible.
    if (pending.appState !== undefined && appState !== pending.appState) {
      return fail('We could not process your request', 'The state sent back with amazon_state is not the state of the consent link.');
    }
    if (this.options.app.draft && version !== 'beta') {
      return fail('We could not authorize this application', 'This application is in Draft state: the app must send version=beta back to amazon_callback_uri.', 'MD1000');
    }
    const code = this.options.lwa.issueCode(grantScopeFor(pending.sellingPartnerId, mp.code));
    const target = new URL(this.options.redirectUri);
    target.searchParams.set('state', appState);
    target.searchParams.set('selling_partner_id', pending.sellingPartnerId);
    target.searchParams.set('spapi_oauth_code', code);
    this.options.log(`sandbox callback ${mp.code} seller=${pending.sellingPartnerId} → Redirect URI with a code`);
    redirect(res, target.toString());
  }

  private manage(res: ServerResponse, mp: Marketplace): void {
    const now = this.options.now();
    prune(this.manageForms, now);
    const formToken = randomAlphanumeric(32);
    this.manageForms.set(formToken, { mp: mp.code, expiresAt: now + FORM_LIFETIME_MS });
    const rows = TEST_SELLERS.filter((s) => sellsOn(s, mp.code)).map((seller) => {
      const live = this.options.lwa.liveAuthorization(grantScopeFor(seller.sellingPartnerId, mp.code));
      return { seller, authorizedUntil: live ? new Date(live.expiresAt) : undefined };
    });
    sendHtml(res, 200, managePage({ mp, appName: this.options.app.name, action: `/sellercentral/${mp.code.toLowerCase()}/apps/manage/authorize`, formToken, rows }));
  }

  private async manageAuthorize(req: IncomingMessage, res: ServerResponse, mp: Marketplace): Promise<void> {
    const form = await this.formOrErrorPage(req, res, mp);
    if (!form) return;
    const formToken = single(form, 'form_token');
    const pending = formToken ? this.manageForms.get(formToken) : undefined;
    if (!pending || pending.mp !== mp.code || pending.expiresAt < this.options.now()) {
      sendHtml(res, 400, errorPage({ mp, title: 'This page has expired', message: 'Reload Manage Your Apps and try again.' }));
      return;
    }
    const seller = findSeller(single(form, 'selling_partner_id') ?? '');
    if (!seller || !sellsOn(seller, mp.code)) {
      sendHtml(res, 400, errorPage({ mp, title: 'We could not process your request', message: `Choose a seller registered on ${mp.name}.` }));
      return;
    }
    this.options.log(`sandbox manage ${mp.code} seller=${seller.sellingPartnerId} authorize → Log-in URI`);
    this.sendToLoginUri(req, res, mp, seller, undefined, this.options.app.draft);
  }
}
