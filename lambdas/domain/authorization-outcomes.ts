import type { MarketplaceCode } from './marketplaces.js';

/**
 * How an authorization flow ends (docs/authorization.md, "Outcomes"): success, with a notice and
 * what it changed, or an error with a reason code; the frontend URL an outcome lands on; and the
 * status of a refusal's page. Pure: no I/O. What each outcome's page says is page wording, in
 * lambdas/shared/page-text.ts.
 */

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

/** Reasons that are Amazon's or our side's trouble, not the browser's: their page answers 503, every other reason's 400. */
const UNAVAILABLE_REASONS: readonly ReasonCode[] = ['AMAZON_UNAVAILABLE', 'APP_CREDENTIALS_INVALID', 'SERVICE_UNAVAILABLE'];

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

/** The status of a refusal's page: 503 for UNAVAILABLE_REASONS, 400 for every other reason. */
export function reasonStatus(reason: ReasonCode): 400 | 503 {
  return UNAVAILABLE_REASONS.includes(reason) ? 503 : 400;
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

/** How Amazon's `error` parameter on the Redirect URI maps to an outcome (S9). */
export function reasonForAmazonError(error: string): ReasonCode {
  if (error === 'access_denied') return 'ACCESS_DENIED';
  if (error === 'server_error' || error === 'temporarily_unavailable') return 'AMAZON_UNAVAILABLE';
  return 'CODE_EXCHANGE_FAILED';
}
