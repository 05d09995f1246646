import { type AuthorizationOutcome, failure, reasonForAmazonError, success } from '../domain/authorization-outcomes.js';
import { CODE_LIFETIME_MS } from '../domain/flow-lifetimes.js';
import { hashOneTime, isOneTimeValue } from '../domain/one-time-values.js';
import { newCompletionHandle, sealForHandle } from '../domain/sealing.js';
import type { MarketplaceCode } from '../domain/marketplaces.js';
import type { Clock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import type { AuthorizationStateStore, CompletionSeal, PendingAuthorization } from '../ports/pending-authorizations.js';

/**
 * Amazon's Redirect URI (docs/authorization.md, website workflow step 5), first half. Everything about the state is checked
 * and the state consumed, atomically, in one conditional write that also keeps Amazon's code
 * sealed with the pending authorization. Nothing is sent to Amazon here and no grant is written:
 * a binding cookie proves the browser, not the AoB account. The browser goes on to the frontend's
 * completion page with a handle, and only the completion (authorization-completion.ts), asked
 * for with the JWT of the account that started the flow, exchanges the code.
 */

export interface CallbackDeps {
  readonly store: AuthorizationStateStore;
  readonly clock: Clock;
  readonly log: Log;
  /** The completion handle's secret; replaceable in tests only. */
  readonly newValue?: () => string;
}

export interface CallbackInput {
  readonly state: string | undefined;
  readonly code: string | undefined;
  readonly sellingPartnerId: string | undefined;
  readonly error: string | undefined;
  /** The binding cookie's value, when the browser sent one. */
  readonly binding: string | null;
}

export type CallbackResult =
  /** The flow ended here (refused, declined on Amazon, or a reload after success). */
  | { readonly kind: 'outcome'; readonly outcome: AuthorizationOutcome; readonly returnPath: string | null; readonly flowEnded: boolean }
  /** Amazon's code is kept sealed: the browser goes on to the completion page with this handle. */
  | { readonly kind: 'complete'; readonly handle: string; readonly marketplace: MarketplaceCode };

export async function handleCallback(deps: CallbackDeps, input: CallbackInput): Promise<CallbackResult> {
  if (!isOneTimeValue(input.state)) return refused(deps, failure('STATE_INVALID'), null, 'malformed state');
  const stateHash = hashOneTime(input.state);
  const now = deps.clock.now();
  const withCode = input.error === undefined && input.code !== undefined;
  const handle = withCode ? newCompletionHandle(stateHash, deps.newValue?.()) : null;
  const completion: CompletionSeal | null =
    handle && input.code
      ? { completionHash: hashOneTime(handle), sealedCode: sealForHandle(handle, input.code), codeExpiresAt: new Date(now.getTime() + CODE_LIFETIME_MS) }
      : null;
  const consumed = await deps.store.consume({
    stateHash,
    bindingHash: isOneTimeValue(input.binding) ? hashOneTime(input.binding) : null,
    sellingPartnerId: input.sellingPartnerId ?? null,
    now,
    completion,
  });
  switch (consumed.kind) {
    case 'invalid':
      return refused(deps, failure('STATE_INVALID', consumed.pending?.marketplace ?? null), consumed.pending, 'state unknown, used or expired');
    case 'expired':
      return ended(deps, consumed.pending, failure('FLOW_EXPIRED', consumed.pending.marketplace));
    case 'browser-mismatch':
      return refused(deps, failure('BROWSER_MISMATCH', consumed.pending.marketplace), consumed.pending, 'binding cookie missing or foreign');
    case 'partner-mismatch':
      return refused(deps, failure('STATE_INVALID', consumed.pending.marketplace), consumed.pending, 'selling partner differs from the Log-in step');
    case 'already-succeeded':
      deps.log.info('callback reloaded after success', { accountId: consumed.pending.accountId, marketplace: consumed.pending.marketplace });
      return {
        kind: 'outcome',
        outcome: success(consumed.pending.marketplace, consumed.notice === 'NOT_REGISTERED' ? 'NOT_REGISTERED' : null),
        returnPath: consumed.pending.returnPath,
        flowEnded: true,
      };
    case 'consumed':
      break;
  }
  const pending = consumed.pending;
  const marketplace = pending.marketplace;
  if (input.error !== undefined) return ended(deps, pending, failure(reasonForAmazonError(input.error), marketplace));
  if (!handle || !(input.sellingPartnerId ?? pending.sellingPartnerId)) return ended(deps, pending, failure('CODE_EXCHANGE_FAILED', marketplace));
  deps.log.info('callback kept the code for the completion', { accountId: pending.accountId, marketplace, startedOnAmazon: pending.startedOnAmazon === true });
  return { kind: 'complete', handle, marketplace };
}

function ended(deps: CallbackDeps, pending: PendingAuthorization, outcome: AuthorizationOutcome): CallbackResult {
  deps.log.info('authorization finished', { accountId: pending.accountId, marketplace: pending.marketplace, outcome: outcome.kind, reason: outcome.kind === 'error' ? outcome.reason : undefined });
  return { kind: 'outcome', outcome, returnPath: pending.returnPath, flowEnded: true };
}

function refused(deps: CallbackDeps, outcome: AuthorizationOutcome, pending: PendingAuthorization | null, why: string): CallbackResult {
  deps.log.info('callback refused', { reason: outcome.kind === 'error' ? outcome.reason : undefined, why, accountId: pending?.accountId, marketplace: pending?.marketplace });
  return { kind: 'outcome', outcome, returnPath: pending?.returnPath ?? null, flowEnded: false };
}
