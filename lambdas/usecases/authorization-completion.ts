import { nextAlertAt, type AlertThreshold } from '../domain/alerts.js';
import { type AuthorizationOutcome, failure, type NoticeCode, success } from '../domain/authorization-outcomes.js';
import { grantSecretName } from '../domain/grant-secret-name.js';
import { hashOneTime } from '../domain/one-time-values.js';
import { openForHandle, sealForHandle, stateHashOfHandle } from '../domain/sealing.js';
import { disconnectedEvent, grantedEvent, type DomainEvent } from '../domain/events.js';
import { type Grant, expiryFor, grantKeyFor } from '../domain/grant.js';
import { type MarketplaceCode, marketplace as catalogEntry, marketplacesCoveredBy } from '../domain/marketplaces.js';
import type { LwaTokenClient, LwaTokens, MarketplaceParticipation, SellersApi } from '../ports/amazon.js';
import { AmazonTransientError, AppCredentialsUnavailableError, LwaInvalidClientError, LwaInvalidGrantError, LwaOAuthError, SellersApiError } from '../ports/failures.js';
import type { Clock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import type { EventPublisher } from '../ports/event-publisher.js';
import type { GrantWriter } from '../ports/grant-writer.js';
import type { CompletionStore, PendingAuthorization } from '../ports/pending-authorizations.js';
import type { GrantSecretStore } from '../ports/secret-store.js';
import { type Sleep, retry } from '../shared/retry.js';
import type { Caller } from './authorization-start.js';

/**
 * The completion (`POST /v1/amazon/authorization-completions`, JWT): the second half of Amazon's
 * Redirect URI. The frontend's completion page posts the handle the callback sent the browser on
 * with; the service claims the sealed code only when the JWT's account (and user) is the one that
 * started the flow, then: one code exchange (never re-sent), one participations read, one secret
 * write (idempotent retries), one transaction, one PutEvents. Another account's JWT ends in
 * ACCOUNT_MISMATCH with an alarm and nothing written.
 */

export interface CompletionDeps {
  readonly store: CompletionStore;
  readonly lwa: LwaTokenClient;
  readonly sellers: SellersApi;
  readonly secrets: GrantSecretStore;
  readonly grants: GrantWriter;
  readonly events: EventPublisher;
  readonly clock: Clock;
  readonly log: Log;
  readonly config: { readonly grantSecretPrefix: string; readonly alertThresholds: readonly AlertThreshold[] };
  /** Attempts of the secret write after a good exchange (R5), the first included. */
  readonly secretWriteAttempts?: number;
  readonly sleep?: Sleep;
  /** The jitter of the waits between those attempts; default `Math.random`. */
  readonly random?: () => number;
}

/** What the seller confirms in a flow started on Amazon, before anything is saved. */
export interface Confirmation {
  readonly sellingPartnerId: string;
  /** From the Sellers API; null when Amazon named none. */
  readonly storeName: string | null;
  readonly accountId: string;
  readonly marketplace: MarketplaceCode;
}

export type CompletionResult =
  | {
      readonly outcome: AuthorizationOutcome;
      /** Where the frontend should land; null when the handle named nothing. */
      readonly returnPath: string | null;
      readonly confirmation?: undefined;
    }
  /** A flow started on Amazon: exchanged, nothing saved, waiting for the seller's click. */
  | { readonly outcome?: undefined; readonly returnPath: string; readonly confirmation: Confirmation };

/** The seller's answer to the confirmation of a flow started on Amazon; absent on the first post. */
export type Decision = 'confirm' | 'cancel' | undefined;

/** How long a held grant waits for the seller's click. */
export const CONFIRMATION_WINDOW_MS = 10 * 60_000;

interface Exchanged {
  readonly refreshToken: string;
  readonly participations: readonly MarketplaceParticipation[];
  readonly generatedAt: Date;
}

export async function completeAuthorization(deps: CompletionDeps, caller: Caller, handle: string, decision: Decision = undefined): Promise<CompletionResult> {
  const stateHash = stateHashOfHandle(handle);
  if (!stateHash) return { outcome: failure('STATE_INVALID'), returnPath: null };
  const request = { stateHash, completionHash: hashOneTime(handle), accountId: caller.accountId, sub: caller.sub ?? null, now: deps.clock.now() };
  const claim = decision === undefined ? await deps.store.claimCompletion(request) : await deps.store.claimConfirmation(request);
  switch (claim.kind) {
    case 'invalid':
      deps.log.info('completion refused', { reason: 'STATE_INVALID', accountId: caller.accountId });
      return { outcome: failure('STATE_INVALID', claim.pending?.marketplace ?? null), returnPath: claim.pending?.returnPath ?? null };
    case 'account-mismatch':
      // Someone's browser carried a flow another AoB account started (a planted link or cookie): alarm, never a grant.
      deps.log.error('authorization completion from another AoB account refused', {
        alarm: 'ACCOUNT_MISMATCH',
        accountId: caller.accountId,
        startedByAccountId: claim.pending.accountId,
        sameAccountOtherUser: claim.pending.accountId === caller.accountId,
        marketplace: claim.pending.marketplace,
      });
      return { outcome: failure('ACCOUNT_MISMATCH', claim.pending.marketplace), returnPath: claim.pending.returnPath };
    case 'code-expired':
      deps.log.info('completion after the code lifetime', { accountId: caller.accountId, marketplace: claim.pending.marketplace });
      return { outcome: failure('CODE_EXCHANGE_FAILED', claim.pending.marketplace), returnPath: claim.pending.returnPath };
    case 'already-succeeded':
      deps.log.info('completion repeated after success', { accountId: caller.accountId, marketplace: claim.pending.marketplace });
      return { outcome: success(claim.pending.marketplace, claim.notice === 'NOT_REGISTERED' ? 'NOT_REGISTERED' : null), returnPath: claim.pending.returnPath };
    case 'awaiting-confirmation':
      return { returnPath: claim.pending.returnPath, confirmation: confirmationOf(claim.pending, claim.storeName) };
    case 'claimed':
      break;
  }
  const pending = claim.pending;
  const opened = openForHandle(handle, claim.sealedCode);
  let outcome: AuthorizationOutcome;
  if (opened === null || !pending.sellingPartnerId) {
    outcome = failure('STATE_INVALID', pending.marketplace);
  } else if (decision === 'cancel') {
    deps.log.info('seller cancelled the confirmation', { accountId: pending.accountId, marketplace: pending.marketplace });
    outcome = failure('ACCESS_DENIED', pending.marketplace);
  } else if (decision === 'confirm') {
    outcome = await storeGrant(deps, pending, pending.sellingPartnerId, JSON.parse(opened, reviveDates) as Exchanged);
  } else {
    const exchanged = await exchange(deps, pending.marketplace, opened);
    if ('kind' in exchanged) outcome = exchanged;
    else if (pending.startedOnAmazon) {
      // Started on Amazon: nothing is saved before the signed-in seller sees which Amazon seller goes to which AoB account, and clicks.
      const storeName = storeNameOf(exchanged.participations, pending.marketplace);
      await deps.store.holdForConfirmation(pending.stateHash, {
        sealedGrant: sealForHandle(handle, JSON.stringify(exchanged)),
        storeName,
        holdExpiresAt: new Date(deps.clock.now().getTime() + CONFIRMATION_WINDOW_MS),
      });
      deps.log.info('authorization started on Amazon waits for the seller’s confirmation', { accountId: pending.accountId, marketplace: pending.marketplace, sellingPartnerId: pending.sellingPartnerId });
      return { returnPath: pending.returnPath, confirmation: confirmationOf(pending, storeName) };
    } else outcome = await storeGrant(deps, pending, pending.sellingPartnerId, exchanged);
  }
  deps.log.info('authorization finished', {
    accountId: pending.accountId,
    marketplace: pending.marketplace,
    outcome: outcome.kind,
    reason: outcome.kind === 'error' ? outcome.reason : undefined,
    notice: outcome.kind === 'success' ? (outcome.notice ?? undefined) : undefined,
  });
  return { outcome, returnPath: pending.returnPath };
}

function confirmationOf(pending: PendingAuthorization, storeName: string | null): Confirmation {
  return { sellingPartnerId: pending.sellingPartnerId ?? '', storeName, accountId: pending.accountId, marketplace: pending.marketplace };
}

function storeNameOf(participations: readonly MarketplaceParticipation[], code: MarketplaceCode): string | null {
  return participations.find((p) => p.marketplace === code && p.storeName)?.storeName ?? participations.find((p) => p.storeName)?.storeName ?? null;
}

const reviveDates = (key: string, value: unknown) => (key === 'generatedAt' && typeof value === 'string' ? new Date(value) : value);

/** One code exchange (never re-sent) and one participations read; an outcome when either fails or the region is wrong. */
async function exchange(deps: CompletionDeps, code: MarketplaceCode, authorizationCode: string): Promise<Exchanged | AuthorizationOutcome> {
  let tokens: LwaTokens;
  try {
    tokens = await deps.lwa.exchangeCode(authorizationCode);
  } catch (error) {
    return failure(exchangeFailureReason(deps, error), code);
  }
  const generatedAt = deps.clock.now();

  let participations: readonly MarketplaceParticipation[];
  try {
    participations = await deps.sellers.marketplaceParticipations(catalogEntry(code).region, tokens.accessToken);
  } catch (error) {
    if (!(error instanceof AmazonTransientError || error instanceof SellersApiError)) throw error;
    deps.log.warn('sellers api failed after a good exchange', { errorName: error.name, errorMessage: error.message });
    return failure('AMAZON_UNAVAILABLE', code);
  }
  const region = catalogEntry(code).region;
  if (!participations.some((p) => catalogEntry(p.marketplace).region === region)) return failure('WRONG_REGION', code);
  return { refreshToken: tokens.refreshToken, participations, generatedAt };
}

/** One secret write (idempotent retries), one transaction, one PutEvents. */
async function storeGrant(deps: CompletionDeps, pending: PendingAuthorization, sellingPartnerId: string, exchanged: Exchanged): Promise<AuthorizationOutcome> {
  const code = pending.marketplace;
  const { participations, generatedAt } = exchanged;
  const region = catalogEntry(code).region;
  const covered = marketplacesCoveredBy(code);
  const participating = (c: string) => participations.some((p) => p.marketplace === c && p.isParticipating);
  const notice: NoticeCode | null = participating(code) ? null : 'NOT_REGISTERED';
  const grantKey = grantKeyFor(region, sellingPartnerId, code);
  const expiresAt = expiryFor(generatedAt);
  const grant: Grant = {
    accountId: pending.accountId,
    grantKey,
    region,
    sellingPartnerId,
    marketplaces: covered.map((m) => m.code),
    sellingMarketplaces: covered.filter((m) => participating(m.code)).map((m) => m.code),
    generatedAt,
    expiresAt,
    secretName: grantSecretName(deps.config.grantSecretPrefix, pending.accountId, grantKey, pending.stateHash),
    revokedAt: null,
    alertsSent: [],
    nextAlertAt: nextAlertAt({ expiresAt, alertsSent: [], revokedAt: null }, deps.config.alertThresholds),
    version: 0,
  };

  const stored = await storeRefreshToken(deps, grant.secretName, exchanged.refreshToken, pending.stateHash);
  if (!stored) return failure('SERVICE_UNAVAILABLE', code);

  let written;
  try {
    written = await deps.grants.write({
      grant,
      venues: covered.map((m) => ({ marketplace: m.code, participating: participating(m.code) })),
      stateHash: pending.stateHash,
      notice,
    });
  } catch (error) {
    deps.log.error('grant write failed after a good exchange', { errorName: (error as Error).name, errorMessage: (error as Error).message, grantKey, alarm: 'GRANT_WRITE_FAILED' });
    return failure('SERVICE_UNAVAILABLE', code);
  }
  if (written.kind === 'superseded') {
    deps.log.info('a newer authorization of this grant was already stored', { grantKey });
    // This exchange's own secret is named by no row: retire it (never the stored grant's).
    if (written.current?.secretName !== grant.secretName) await retireSecret(deps, grant.secretName, grantKey);
    return success(code, notice);
  }

  const events: DomainEvent[] = [grantedEvent(grant, written.previous !== null), ...written.replaced.map((g) => disconnectedEvent(g, generatedAt))];
  const { failed } = await deps.events.publish(events);
  if (failed.length > 0) deps.log.error('events not published', { detailTypes: failed.map((f) => f.event.detailType), errorCodes: failed.map((f) => f.errorCode), alarm: 'EVENTS_NOT_PUBLISHED' });
  for (const old of written.replaced) await retireSecret(deps, old.secretName, old.grantKey);
  // The earlier authorization of this grant has its own secret, which no row names any more.
  if (written.previous && written.previous.secretName !== grant.secretName) await retireSecret(deps, written.previous.secretName, grantKey);
  deps.log.info('grant stored', { grantKey, reauthorization: written.previous !== null, replaced: written.replaced.map((g) => g.grantKey) });
  const replaced = written.replaced[0];
  return success(code, notice, replaced ? { kind: 'replaced', sellingPartnerId: replaced.sellingPartnerId } : written.previous !== null ? { kind: 'renewed' } : undefined);
}

async function retireSecret(deps: CompletionDeps, secretName: string, grantKey: string): Promise<void> {
  try {
    await deps.secrets.scheduleDeletion(secretName);
  } catch (error) {
    deps.log.error('secret named by no grant not scheduled for deletion', { grantKey, errorName: (error as Error).name, alarm: 'ORPHAN_SECRET' });
  }
}

function exchangeFailureReason(deps: CompletionDeps, error: unknown) {
  if (error instanceof LwaInvalidGrantError || error instanceof LwaOAuthError) {
    deps.log.info('code exchange refused', { errorName: error.name, errorMessage: error.message });
    return 'CODE_EXCHANGE_FAILED' as const;
  }
  if (error instanceof LwaInvalidClientError || error instanceof AppCredentialsUnavailableError) {
    deps.log.error('app credentials refused or unavailable', { errorName: error.name, errorMessage: error.message, alarm: 'APP_CREDENTIALS_INVALID' });
    return 'APP_CREDENTIALS_INVALID' as const;
  }
  if (error instanceof AmazonTransientError) {
    deps.log.warn('code exchange got no usable answer', { errorName: error.name, errorMessage: error.message });
    return 'AMAZON_UNAVAILABLE' as const;
  }
  throw error;
}

/**
 * Writes the refresh token, retrying a bounded number of times with the same client request
 * token (derived from the state hash), so a retry can never create a second version (R5).
 * Null when it still failed: nothing else is written then, so no grant points at a missing secret.
 */
async function storeRefreshToken(deps: CompletionDeps, secretName: string, refreshToken: string, stateHash: string): Promise<{ created: boolean } | null> {
  const requestToken = hashOneTime(`${stateHash}|refresh-token`);
  try {
    return await retry(() => deps.secrets.putRefreshToken(secretName, refreshToken, requestToken), {
      attempts: deps.secretWriteAttempts ?? 3,
      baseDelayMs: 200,
      random: deps.random,
      sleep: deps.sleep,
      onError: (error, attempt) => deps.log.warn('grant secret write failed', { attempt, errorName: (error as Error).name }),
    });
  } catch {
    // Every attempt failed; each was logged.
  }
  deps.log.error('grant secret not stored after a good exchange', { secretName, alarm: 'GRANT_SECRET_WRITE_FAILED' });
  return null;
}
