import { AMAZON_STATE_PATTERN, amazonCallbackRedirect, parseAmazonCallbackUri, SELLING_PARTNER_ID_PATTERN } from '../domain/amazon-parameters.js';
import { BINDING_COOKIE_GRACE_MS, CONSENT_WINDOW_MS } from '../domain/flow-lifetimes.js';
import { hashOneTime, isOneTimeValue, newOneTimeValue, stateFromBinding } from '../domain/one-time-values.js';
import { openForTicket } from '../domain/sealing.js';
import { type MarketplaceCode, consentUrl } from '../domain/marketplaces.js';
import type { AppCredentialsProvider } from '../ports/app-credentials.js';
import type { Clock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import type { AuthorizationStateStore, TicketStore } from '../ports/pending-authorizations.js';
import type { Config } from '../shared/config.js';

/**
 * The two browser steps before Amazon's callback: redeeming a ticket (sets the binding cookie,
 * goes to Amazon) and Amazon's Log-in URI.
 *
 * Cookie/state design: the binding cookie carries 256 random bits (`binding`); the OAuth state
 * is HMAC-SHA256(binding) (domain/one-time-values.ts). So the Log-in step rebuilds the state from
 * the cookie alone, and the table stores only sha256(ticket), sha256(state), sha256(binding).
 */

export interface BrowserDeps {
  /** The pending authorizations: opened when a ticket is redeemed, found again by the Log-in step. */
  readonly store: AuthorizationStateStore;
  /** The tickets: redeeming one (the Log-in step has no use for them). */
  readonly tickets: TicketStore;
  readonly clock: Clock;
  readonly log: Log;
  readonly credentials: AppCredentialsProvider;
  readonly config: Pick<Config, 'draftApp' | 'sellerCentralUrlOverride' | 'frontendUrl' | 'frontendConnectPath'>;
  readonly newValue?: () => string;
}

export type TicketResult =
  | { readonly kind: 'redirect'; readonly location: string; readonly binding: string; readonly maxAgeSeconds: number }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'app-credentials-unavailable' };

export async function redeemTicket(deps: BrowserDeps, ticket: string): Promise<TicketResult> {
  if (!isOneTimeValue(ticket)) return { kind: 'invalid' };
  const now = deps.clock.now();
  const record = await deps.tickets.redeemTicket(hashOneTime(ticket), now);
  if (!record) {
    deps.log.info('ticket refused', { outcome: 'TICKET_INVALID' });
    return { kind: 'invalid' };
  }
  const binding = (deps.newValue ?? newOneTimeValue)();
  const state = stateFromBinding(binding);

  let location: string;
  if (record.continuation) {
    // Validated when the continuation was created; checked again so nothing stored is trusted blindly.
    const callback = parseAmazonCallbackUri(record.continuation.amazonCallbackUri, { sellerCentralUrlOverride: deps.config.sellerCentralUrlOverride });
    // Stored sealed under the raw ticket (start use case): the table alone never holds it.
    const amazonState = openForTicket(ticket, record.continuation.amazonState);
    if (!callback || amazonState === null || !AMAZON_STATE_PATTERN.test(amazonState)) return { kind: 'invalid' };
    location = amazonCallbackRedirect(callback, amazonState, state, deps.config.draftApp).href;
  } else {
    let applicationId: string;
    try {
      applicationId = (await deps.credentials.get()).applicationId;
    } catch (error) {
      deps.log.error('app credentials unavailable', { errorName: (error as Error).name, errorMessage: (error as Error).message, alarm: 'APP_CREDENTIALS_INVALID' });
      return { kind: 'app-credentials-unavailable' };
    }
    location = consentUrl({
      marketplace: record.marketplace,
      applicationId,
      state,
      draftApp: deps.config.draftApp,
      sellerCentralUrlOverride: deps.config.sellerCentralUrlOverride,
    }).href;
  }

  await deps.store.open({
    stateHash: hashOneTime(state),
    ticketHash: record.ticketHash,
    bindingHash: hashOneTime(binding),
    accountId: record.accountId,
    sub: record.sub,
    marketplace: record.marketplace,
    returnPath: record.returnPath,
    // From here the state lives for the seller's time on Amazon, not for what is left of the link's.
    expiresAt: new Date(now.getTime() + CONSENT_WINDOW_MS),
    sellingPartnerId: record.continuation?.sellingPartnerId ?? null,
    startedOnAmazon: record.continuation !== null,
  });
  deps.log.info('ticket redeemed', { accountId: record.accountId, marketplace: record.marketplace, continued: record.continuation !== null });
  return { kind: 'redirect', location, binding, maxAgeSeconds: Math.floor((CONSENT_WINDOW_MS + BINDING_COOKIE_GRACE_MS) / 1000) };
}

export interface LoginParams {
  readonly amazonCallbackUri: string | undefined;
  readonly amazonState: string | undefined;
  readonly sellingPartnerId: string | undefined;
}

export type LoginResult =
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'sign-in-first' }
  /** This browser's flow outlived its lifetime on Amazon's pages: say so, offer a restart. */
  | { readonly kind: 'flow-expired'; readonly marketplace: MarketplaceCode; readonly returnPath: string };

/** Amazon's Log-in URI (docs/authorization.md, website workflow step 4 and "Started on Amazon"). */
export async function login(deps: Omit<BrowserDeps, 'credentials' | 'tickets'>, params: LoginParams, bindingCookie: string | null): Promise<LoginResult> {
  const callback = parseAmazonCallbackUri(params.amazonCallbackUri, { sellerCentralUrlOverride: deps.config.sellerCentralUrlOverride });
  const amazonState = params.amazonState;
  const sellingPartnerId = params.sellingPartnerId;
  if (!callback || !amazonState || !AMAZON_STATE_PATTERN.test(amazonState) || !sellingPartnerId || !SELLING_PARTNER_ID_PATTERN.test(sellingPartnerId)) {
    deps.log.info('login refused', { outcome: 'LOGIN_INVALID' });
    return { kind: 'invalid' };
  }

  if (isOneTimeValue(bindingCookie)) {
    const state = stateFromBinding(bindingCookie);
    const pending = await deps.store.recordLogin(hashOneTime(state), hashOneTime(bindingCookie), sellingPartnerId, deps.clock.now());
    if (pending) {
      deps.log.info('login continued to Amazon', { accountId: pending.accountId, marketplace: pending.marketplace, sellingPartnerId });
      return { kind: 'redirect', location: amazonCallbackRedirect(callback, amazonState, state, deps.config.draftApp).href };
    }
    // The seller took longer on Amazon than the flow lives: never pretend the flow started on Amazon.
    const expired = await deps.store.expiredFlow(hashOneTime(state), hashOneTime(bindingCookie), deps.clock.now());
    if (expired) {
      deps.log.info('login after the flow expired', { accountId: expired.accountId, marketplace: expired.marketplace, outcome: 'FLOW_EXPIRED' });
      return { kind: 'flow-expired', marketplace: expired.marketplace, returnPath: expired.returnPath };
    }
    // A stale cookie from an earlier, finished flow: treat this as a flow started on Amazon.
  }

  if (!deps.config.frontendUrl) {
    deps.log.info('login without a pending authorization and no frontend', { sellingPartnerId });
    return { kind: 'sign-in-first' };
  }
  const url = new URL(`${deps.config.frontendUrl}${deps.config.frontendConnectPath}`);
  url.searchParams.set('amazon_callback_uri', callback.href);
  url.searchParams.set('amazon_state', amazonState);
  url.searchParams.set('selling_partner_id', sellingPartnerId);
  deps.log.info('login sent to the frontend connect page', { sellingPartnerId });
  return { kind: 'redirect', location: url.href };
}
