import { nextAlertAt, type AlertThreshold } from '../domain/alerts.js';
import {
  type AuthorizationOutcome,
  type NoticeCode,
  failure,
  grantSecretName,
  hashOneTime,
  isOneTimeValue,
  reasonForAmazonError,
  success,
} from '../domain/authorization.js';
import { disconnectedEvent, grantedEvent, type DomainEvent } from '../domain/events.js';
import { type Grant, expiryFor, grantKeyFor } from '../domain/grant.js';
import { marketplace as catalogEntry, marketplacesCoveredBy } from '../domain/marketplaces.js';
import {
  type LwaTokenClient,
  type LwaTokens,
  type MarketplaceParticipation,
  type SellersApi,
  AmazonTransientError,
  LwaInvalidClientError,
  LwaInvalidGrantError,
  LwaOAuthError,
  SellersApiError,
} from '../ports/amazon.js';
import { AppCredentialsUnavailableError } from '../ports/app-credentials.js';
import type { Clock } from '../ports/clock.js';
import type { EventPublisher } from '../ports/event-publisher.js';
import type { GrantWriter } from '../ports/grant-writer.js';
import type { PendingAuthorization, PendingAuthorizationStore } from '../ports/pending-authorizations.js';
import type { GrantSecretStore } from '../ports/secret-store.js';
import { logger } from '../shared/logger.js';

/**
 * Amazon's Redirect URI (BRIEF 2.1 step 5). Everything about the state is checked — and the
 * state consumed, atomically — before anything is sent to Amazon. Then: one code exchange
 * (never re-sent), one participations read, one secret write (idempotent retries), one
 * transaction, one PutEvents.
 */

export interface CallbackDeps {
  readonly store: PendingAuthorizationStore;
  readonly lwa: LwaTokenClient;
  readonly sellers: SellersApi;
  readonly secrets: GrantSecretStore;
  readonly grants: GrantWriter;
  readonly events: EventPublisher;
  readonly clock: Clock;
  readonly config: { readonly grantSecretPrefix: string; readonly alertThresholds: readonly AlertThreshold[] };
  /** Attempts of the secret write after a good exchange (R5), the first included. */
  readonly secretWriteAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface CallbackInput {
  readonly state: string | undefined;
  readonly code: string | undefined;
  readonly sellingPartnerId: string | undefined;
  readonly error: string | undefined;
  /** The binding cookie's value, when the browser sent one. */
  readonly binding: string | null;
}

export interface CallbackResult {
  readonly outcome: AuthorizationOutcome;
  /** Where the frontend should land; null when the state was unknown. */
  readonly returnPath: string | null;
}

export async function handleCallback(deps: CallbackDeps, input: CallbackInput): Promise<CallbackResult> {
  if (!isOneTimeValue(input.state)) return refused(failure('STATE_INVALID'), null, 'malformed state');
  const stateHash = hashOneTime(input.state);
  const consumed = await deps.store.consume({
    stateHash,
    bindingHash: isOneTimeValue(input.binding) ? hashOneTime(input.binding) : null,
    sellingPartnerId: input.sellingPartnerId ?? null,
    now: deps.clock.now(),
  });
  switch (consumed.kind) {
    case 'invalid':
      return refused(failure('STATE_INVALID', consumed.pending?.marketplace ?? null), consumed.pending, 'state unknown, used or expired');
    case 'browser-mismatch':
      return refused(failure('BROWSER_MISMATCH', consumed.pending.marketplace), consumed.pending, 'binding cookie missing or foreign');
    case 'partner-mismatch':
      return refused(failure('STATE_INVALID', consumed.pending.marketplace), consumed.pending, 'selling partner differs from the Log-in step');
    case 'already-succeeded':
      logger.info('callback reloaded after success', { accountId: consumed.pending.accountId, marketplace: consumed.pending.marketplace });
      return { outcome: success(consumed.pending.marketplace, consumed.notice === 'NOT_REGISTERED' ? 'NOT_REGISTERED' : null), returnPath: consumed.pending.returnPath };
    case 'consumed':
      break;
  }
  const pending = consumed.pending;
  const outcome = await completeAuthorization(deps, pending, input);
  logger.info('authorization finished', {
    accountId: pending.accountId,
    marketplace: pending.marketplace,
    outcome: outcome.kind,
    reason: outcome.kind === 'error' ? outcome.reason : undefined,
    notice: outcome.kind === 'success' ? (outcome.notice ?? undefined) : undefined,
  });
  return { outcome, returnPath: pending.returnPath };
}

function refused(outcome: AuthorizationOutcome, pending: PendingAuthorization | null, why: string): CallbackResult {
  logger.info('callback refused', { reason: outcome.kind === 'error' ? outcome.reason : undefined, why, accountId: pending?.accountId, marketplace: pending?.marketplace });
  return { outcome, returnPath: pending?.returnPath ?? null };
}

async function completeAuthorization(deps: CallbackDeps, pending: PendingAuthorization, input: CallbackInput): Promise<AuthorizationOutcome> {
  const code = pending.marketplace;
  if (input.error !== undefined) return failure(reasonForAmazonError(input.error), code);
  const sellingPartnerId = input.sellingPartnerId ?? pending.sellingPartnerId;
  if (!input.code || !sellingPartnerId) return failure('CODE_EXCHANGE_FAILED', code);

  let tokens: LwaTokens;
  try {
    tokens = await deps.lwa.exchangeCode(input.code);
  } catch (error) {
    return failure(exchangeFailureReason(error), code);
  }
  const generatedAt = deps.clock.now();

  let participations: readonly MarketplaceParticipation[];
  try {
    participations = await deps.sellers.marketplaceParticipations(catalogEntry(code).region, tokens.accessToken);
  } catch (error) {
    if (!(error instanceof AmazonTransientError || error instanceof SellersApiError)) throw error;
    logger.warn('sellers api failed after a good exchange', { errorName: error.name, errorMessage: error.message });
    return failure('AMAZON_UNAVAILABLE', code);
  }
  const region = catalogEntry(code).region;
  if (!participations.some((p) => catalogEntry(p.marketplace).region === region)) return failure('WRONG_REGION', code);

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

  const stored = await storeRefreshToken(deps, grant.secretName, tokens.refreshToken, pending.stateHash);
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
    logger.error('grant write failed after a good exchange', { errorName: (error as Error).name, errorMessage: (error as Error).message, grantKey, alarm: 'GRANT_WRITE_FAILED' });
    return failure('SERVICE_UNAVAILABLE', code);
  }
  if (written.kind === 'superseded') {
    logger.info('a newer authorization of this grant was already stored', { grantKey });
    // This exchange's own secret is named by no row: retire it (never the stored grant's).
    if (written.current?.secretName !== grant.secretName) await retireSecret(deps, grant.secretName, grantKey);
    return success(code, notice);
  }

  const events: DomainEvent[] = [grantedEvent(grant, written.previous !== null), ...written.replaced.map((g) => disconnectedEvent(g, generatedAt))];
  const { failed } = await deps.events.publish(events);
  if (failed.length > 0) logger.error('events not published', { detailTypes: failed.map((f) => f.event.detailType), errorCodes: failed.map((f) => f.errorCode), alarm: 'EVENTS_NOT_PUBLISHED' });
  for (const old of written.replaced) await retireSecret(deps, old.secretName, old.grantKey);
  // The earlier authorization of this grant has its own secret, which no row names any more.
  if (written.previous && written.previous.secretName !== grant.secretName) await retireSecret(deps, written.previous.secretName, grantKey);
  logger.info('grant stored', { grantKey, reauthorization: written.previous !== null, replaced: written.replaced.map((g) => g.grantKey) });
  return success(code, notice);
}

async function retireSecret(deps: CallbackDeps, secretName: string, grantKey: string): Promise<void> {
  try {
    await deps.secrets.scheduleDeletion(secretName);
  } catch (error) {
    logger.error('secret named by no grant not scheduled for deletion', { grantKey, errorName: (error as Error).name, alarm: 'ORPHAN_SECRET' });
  }
}

function exchangeFailureReason(error: unknown) {
  if (error instanceof LwaInvalidGrantError || error instanceof LwaOAuthError) {
    logger.info('code exchange refused', { errorName: error.name, errorMessage: error.message });
    return 'CODE_EXCHANGE_FAILED' as const;
  }
  if (error instanceof LwaInvalidClientError || error instanceof AppCredentialsUnavailableError) {
    logger.error('app credentials refused or unavailable', { errorName: error.name, errorMessage: error.message, alarm: 'APP_CREDENTIALS_INVALID' });
    return 'APP_CREDENTIALS_INVALID' as const;
  }
  if (error instanceof AmazonTransientError) {
    logger.warn('code exchange got no usable answer', { errorName: error.name, errorMessage: error.message });
    return 'AMAZON_UNAVAILABLE' as const;
  }
  throw error;
}

/**
 * Writes the refresh token, retrying a bounded number of times with the same client request
 * token (derived from the state hash), so a retry can never create a second version (R5).
 * Null when it still failed: nothing else is written then, so no grant points at a missing secret.
 */
async function storeRefreshToken(deps: CallbackDeps, secretName: string, refreshToken: string, stateHash: string): Promise<{ created: boolean } | null> {
  const requestToken = hashOneTime(`${stateHash}|refresh-token`);
  const attempts = deps.secretWriteAttempts ?? 3;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await deps.secrets.putRefreshToken(secretName, refreshToken, requestToken);
    } catch (error) {
      logger.warn('grant secret write failed', { attempt, errorName: (error as Error).name });
      if (attempt < attempts) await sleep(Math.random() * 200 * 2 ** (attempt - 1));
    }
  }
  logger.error('grant secret not stored after a good exchange', { secretName, alarm: 'GRANT_SECRET_WRITE_FAILED' });
  return null;
}
