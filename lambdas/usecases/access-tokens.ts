import { randomUUID } from 'node:crypto';
import { countFailure, isFresh } from '../domain/access-token.js';
import { AmazonUnavailableError, AppCredentialsInvalidError, AuthorizationRevokedError, NoAuthorizationError, TokenExpiredError } from '../domain/errors.js';
import { revokedEvent } from '../domain/events.js';
import type { Grant } from '../domain/grant.js';
import { type MarketplaceCode, type Region, marketplace } from '../domain/marketplaces.js';
import type { LwaTokenClient } from '../ports/amazon.js';
import { AmazonTransientError, AppCredentialsUnavailableError, LwaInvalidClientError, LwaInvalidGrantError, LwaOAuthError, SecretNotFoundError } from '../ports/failures.js';
import type { Clock } from '../ports/clock.js';
import type { EventPublisher } from '../ports/event-publisher.js';
import type { Log } from '../ports/log.js';
import type { TokenGrant, TokenGrantStore } from '../ports/token-grants.js';
import type { TokenSecretStore } from '../ports/token-secrets.js';
import { type Sleep, sleep } from '../shared/retry.js';

/**
 * The token service: access tokens for AoB's own services, refreshed at most once per grant at a
 * time across every container (a DynamoDB lease, then a re-read), cached in the grant's secret
 * and in memory until about a minute before they expire. A refresh is the only signal Amazon
 * gives about a revocation, so its failures are told apart: `invalid_grant` revokes the grant
 * (once, with one event), `invalid_client` is an app problem that revokes nothing, and an
 * unavailable Amazon is counted per day and revokes nothing either.
 */

export interface CachedToken {
  readonly accessToken: string;
  readonly expiresAt: Date;
}

/** A container's access tokens, by authorization (grant and its generatedAt), bounded in size. */
export class AccessTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  constructor(private readonly maxEntries = 2000) {}

  private static key(g: Grant): string {
    return `${g.accountId}|${g.grantKey}|${g.generatedAt.toISOString()}`;
  }
  get(g: Grant): CachedToken | undefined {
    return this.tokens.get(AccessTokenCache.key(g));
  }
  set(g: Grant, token: CachedToken): void {
    if (this.tokens.size >= this.maxEntries) {
      const oldest = this.tokens.keys().next().value;
      if (oldest !== undefined) this.tokens.delete(oldest);
    }
    this.tokens.set(AccessTokenCache.key(g), token);
  }
  clear(): void {
    this.tokens.clear();
  }
}

export interface AccessTokenDeps {
  readonly grants: TokenGrantStore;
  readonly secrets: TokenSecretStore;
  readonly lwa: Pick<LwaTokenClient, 'refresh'>;
  readonly events: EventPublisher;
  readonly clock: Clock;
  readonly log: Log;
  readonly cache: AccessTokenCache;
  /** The SP-API origin of a region (the local sandbox's in the local stack). */
  readonly spApiEndpoint: (region: Region) => string;
  readonly options?: {
    /** How long a refresh lease holds: longer than a refresh with its retries can take. */
    readonly leaseMs?: number;
    /** How many times a caller waiting for another's refresh looks again before answering 503. */
    readonly maxPolls?: number;
    readonly pollMs?: number;
    /** Retry-After of a 503 when Amazon is unavailable. */
    readonly retryAfterSeconds?: number;
    readonly sleep?: Sleep;
    readonly random?: () => number;
    readonly newId?: () => string;
  };
}

export interface VendedToken {
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly sellingPartnerId: string;
  readonly region: Region;
  readonly spApiEndpoint: string;
  readonly marketplaceId: string;
}

/** The grant was re-authorized or disconnected while this caller worked: start over from a fresh read. */
const CHANGED = Symbol('changed');
type Outcome = CachedToken | typeof CHANGED;

/** An access token for the venue's grant: from memory, from the grant's secret, or from one refresh. */
export async function vendAccessToken(deps: AccessTokenDeps, accountId: string, code: MarketplaceCode): Promise<VendedToken> {
  for (let round = 0; round < 3; round++) {
    const state = await deps.grants.serving(accountId, code);
    if (!state) throw new NoAuthorizationError(code);
    const grant = state.grant;
    if (grant.revokedAt) throw new AuthorizationRevokedError(code);
    if (grant.expiresAt.getTime() <= deps.clock.now().getTime()) throw new TokenExpiredError(code);
    const token = await tokenFor(deps, state, code, null);
    if (token === CHANGED) continue;
    return {
      accessToken: token.accessToken,
      expiresAt: token.expiresAt.toISOString(),
      sellingPartnerId: grant.sellingPartnerId,
      region: grant.region,
      spApiEndpoint: deps.spApiEndpoint(grant.region),
      marketplaceId: marketplace(code).id,
    };
  }
  throw new AmazonUnavailableError(retryAfter(deps));
}

const retryAfter = (deps: AccessTokenDeps) => deps.options?.retryAfterSeconds ?? 30;

/**
 * `confirmedAfter`: null for a caller that just needs a token; for the health check, the time
 * after which a confirmation by Amazon counts (anything older is refreshed now).
 */
async function tokenFor(deps: AccessTokenDeps, state: TokenGrant, code: MarketplaceCode, confirmedAfter: Date | null): Promise<Outcome> {
  const now = deps.clock.now();
  const good = (s: TokenGrant) =>
    s.tokenVersion !== null && isFresh(s.accessTokenExpiresAt, deps.clock.now()) && (confirmedAfter === null || (s.grant.lastCheckedAt?.getTime() ?? 0) > confirmedAfter.getTime());
  if (confirmedAfter === null) {
    const cached = deps.cache.get(state.grant);
    if (cached && isFresh(cached.expiresAt, now)) return cached;
  }
  if (good(state)) return readCached(deps, state);

  const o = deps.options ?? {};
  const owner = (o.newId ?? randomUUID)();
  const wait = o.sleep ?? sleep;
  const random = o.random ?? Math.random;
  let current = state;
  for (let poll = 0; ; poll++) {
    const at = deps.clock.now();
    const leased = await deps.grants.acquireLease(current.grant, owner, at, new Date(at.getTime() + (o.leaseMs ?? 20_000)));
    if (leased) {
      // The re-read: another caller may have refreshed between our read and our lease.
      if (leased.grant.revokedAt) {
        await deps.grants.releaseLease(leased.grant, owner);
        throw new AuthorizationRevokedError(code);
      }
      if (good(leased)) {
        await deps.grants.releaseLease(leased.grant, owner);
        return readCached(deps, leased);
      }
      return refreshHolding(deps, leased, owner, code);
    }
    // Someone else holds the lease (or the grant changed): wait briefly and reuse their token.
    if (poll >= (o.maxPolls ?? 60)) throw new AmazonUnavailableError(2);
    await wait((o.pollMs ?? 150) * (0.5 + random()));
    const again = await deps.grants.read(current.grant.accountId, current.grant.grantKey);
    if (!again || again.grant.generatedAt.getTime() !== current.grant.generatedAt.getTime()) return CHANGED;
    if (again.grant.revokedAt) throw new AuthorizationRevokedError(code);
    if (good(again)) return readCached(deps, again);
    current = again;
  }
}

async function readCached(deps: AccessTokenDeps, state: TokenGrant): Promise<Outcome> {
  try {
    const stored = await deps.secrets.readTokens(state.grant.secretName, state.tokenVersion ?? undefined);
    if (!stored.accessToken || !isFresh(stored.accessTokenExpiresAt, deps.clock.now())) return CHANGED;
    const token = { accessToken: stored.accessToken, expiresAt: stored.accessTokenExpiresAt };
    deps.cache.set(state.grant, token);
    return token;
  } catch (error) {
    if (error instanceof SecretNotFoundError) return CHANGED;
    throw error;
  }
}

/** This caller holds the lease: one refresh at LWA, then the new token is stored and the lease released. */
async function refreshHolding(deps: AccessTokenDeps, state: TokenGrant, owner: string, code: MarketplaceCode): Promise<Outcome> {
  const grant = state.grant;
  const ids = { accountId: grant.accountId, grantKey: grant.grantKey };
  let refreshToken: string;
  try {
    refreshToken = (await deps.secrets.readTokens(grant.secretName)).refreshToken;
  } catch (error) {
    await deps.grants.releaseLease(grant, owner);
    if (error instanceof SecretNotFoundError) return CHANGED;
    throw error;
  }
  const now = deps.clock.now();
  let answer: Awaited<ReturnType<LwaTokenClient['refresh']>>;
  try {
    answer = await deps.lwa.refresh(refreshToken);
  } catch (error) {
    if (error instanceof LwaInvalidGrantError) return revoke(deps, grant, now, code);
    if (error instanceof LwaInvalidClientError || error instanceof AppCredentialsUnavailableError) {
      await deps.grants.releaseLease(grant, owner);
      deps.log.error('LWA refused the app credentials on a refresh', { ...ids, errorName: error.name, alarm: 'APP_CREDENTIALS_INVALID' });
      throw new AppCredentialsInvalidError();
    }
    if (error instanceof AmazonTransientError || error instanceof LwaOAuthError) {
      const failures = countFailure(state.failures, now);
      await deps.grants.recordFailure(grant, owner, failures, now);
      deps.log.warn('refresh failed: Amazon unavailable, nothing revoked', { ...ids, errorName: error.name, errorMessage: error.message, failuresToday: failures.count, day: failures.day });
      throw new AmazonUnavailableError(retryAfter(deps));
    }
    await deps.grants.releaseLease(grant, owner);
    throw error;
  }
  const token = { accessToken: answer.accessToken, expiresAt: new Date(now.getTime() + answer.expiresInSeconds * 1000) };
  const versionId = (deps.options?.newId ?? randomUUID)();
  try {
    await deps.secrets.writeTokens(grant.secretName, { refreshToken: answer.refreshToken ?? refreshToken, accessToken: token.accessToken, accessTokenExpiresAt: token.expiresAt }, versionId);
  } catch (error) {
    await deps.grants.releaseLease(grant, owner);
    if (error instanceof SecretNotFoundError) return CHANGED;
    deps.log.error('refreshed token not stored', { ...ids, errorName: (error as Error).name, rotatedRefreshToken: answer.refreshToken !== null && answer.refreshToken !== refreshToken, alarm: 'TOKEN_WRITE_FAILED' });
    throw error;
  }
  const recorded = await deps.grants.recordRefresh(grant, owner, { tokenVersion: versionId, accessTokenExpiresAt: token.expiresAt, checkedAt: now });
  if (!recorded) return CHANGED;
  deps.cache.set(grant, token);
  deps.log.info('access token refreshed', { ...ids, expiresAt: token.expiresAt.toISOString(), rotatedRefreshToken: answer.refreshToken !== null && answer.refreshToken !== refreshToken });
  return token;
}

/** `invalid_grant` on a refresh: the seller revoked the app on Amazon. Marked once; one event. */
async function revoke(deps: AccessTokenDeps, grant: Grant, now: Date, code: MarketplaceCode): Promise<Outcome> {
  const revoked = await deps.grants.markRevoked(grant, now);
  if (revoked) {
    deps.log.warn('authorization revoked on Amazon (invalid_grant on a refresh)', { accountId: grant.accountId, grantKey: grant.grantKey });
    const event = revokedEvent(revoked, now);
    try {
      const { failed } = await deps.events.publish([event]);
      if (failed.length > 0) deps.log.error('revoked event not published', { accountId: grant.accountId, grantKey: grant.grantKey, eventId: event.detail.eventId, alarm: 'EVENTS_NOT_PUBLISHED' });
    } catch (error) {
      deps.log.error('revoked event not published', { accountId: grant.accountId, grantKey: grant.grantKey, eventId: event.detail.eventId, errorName: (error as Error).name, alarm: 'EVENTS_NOT_PUBLISHED' });
    }
    throw new AuthorizationRevokedError(code);
  }
  // Not marked by us: already revoked by another caller, or re-authorized / disconnected meanwhile.
  const stored = await deps.grants.read(grant.accountId, grant.grantKey);
  if (stored && stored.grant.generatedAt.getTime() === grant.generatedAt.getTime()) throw new AuthorizationRevokedError(code);
  return CHANGED;
}

export interface HealthCheckOptions {
  /** A grant is checked when Amazon has not confirmed it for this long. */
  readonly intervalMs: number;
  /** At most this many grants per run. */
  readonly maxPerRun: number;
}

export interface HealthCheckSummary {
  readonly checked: number;
  readonly confirmed: number;
  readonly revoked: number;
  readonly unavailable: number;
  readonly skipped: number;
  readonly appCredentialsInvalid: boolean;
}

/**
 * The daily health check: refreshes the grants no caller refreshed within `intervalMs`, read from
 * the sparse health index (never a Scan), at most `maxPerRun` per run, so a revocation of an
 * idle venue shows within a day. `only` checks one venue's grant now, whatever its last check.
 * An app-credentials failure ends the run: every further refresh would fail the same way.
 */
export async function runHealthCheck(
  deps: AccessTokenDeps,
  options: HealthCheckOptions,
  only?: { accountId: string; marketplace: MarketplaceCode },
  shouldStop?: () => boolean,
): Promise<HealthCheckSummary> {
  const now = deps.clock.now();
  const cutoff = only ? now : new Date(now.getTime() - options.intervalMs);
  const due = only ? [await deps.grants.serving(only.accountId, only.marketplace)].filter((s): s is TokenGrant => s !== null) : await deps.grants.dueForCheck(cutoff, options.maxPerRun);
  const summary = { checked: 0, confirmed: 0, revoked: 0, unavailable: 0, skipped: 0, appCredentialsInvalid: false };
  for (const state of due) {
    if (shouldStop?.()) break;
    const g = state.grant;
    const code = only?.marketplace ?? g.marketplaces[0];
    if (!code || g.revokedAt || g.expiresAt.getTime() <= now.getTime()) {
      summary.skipped++;
      continue;
    }
    summary.checked++;
    try {
      const outcome = await tokenFor(deps, state, code, cutoff);
      if (outcome === CHANGED) summary.skipped++;
      else summary.confirmed++;
    } catch (error) {
      if (error instanceof AuthorizationRevokedError) summary.revoked++;
      else if (error instanceof AmazonUnavailableError) summary.unavailable++;
      else if (error instanceof AppCredentialsInvalidError) {
        summary.appCredentialsInvalid = true;
        break;
      } else throw error;
    }
  }
  deps.log.info('health check finished', { ...summary, due: due.length });
  return summary;
}
