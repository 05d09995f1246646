import type { Context } from 'aws-lambda';
import { LwaClient } from '../../lambdas/adapters/amazon/lwa-client.js';
import type { FetchLike } from '../../lambdas/adapters/amazon/http.js';
import { SellersClient } from '../../lambdas/adapters/amazon/sellers-client.js';
import type { Grant } from '../../lambdas/domain/grant.js';
import { MARKETPLACES, type MarketplaceCode } from '../../lambdas/domain/marketplaces.js';
import { makeAuthorizeTicketHandler } from '../../lambdas/handlers/authorize-ticket.js';
import { makeCallbackHandler } from '../../lambdas/handlers/callback.js';
import { makeContinueLoginHandler } from '../../lambdas/handlers/continue-login.js';
import { makeLoginHandler } from '../../lambdas/handlers/login.js';
import { makeStartAuthorizationHandler } from '../../lambdas/handlers/start-authorization.js';
import type { AppCredentials, AppCredentialsProvider } from '../../lambdas/ports/app-credentials.js';
import type { GrantWrite, GrantWriteResult, GrantWriter } from '../../lambdas/ports/grant-writer.js';
import { classifyClaimRefusal } from '../../lambdas/adapters/dynamo/completion-store.js';
import { type CompleteAuthorizationDeps, makeCompleteAuthorizationHandler } from '../../lambdas/handlers/complete-authorization.js';
import { DynamoGrantWriter } from '../../lambdas/adapters/dynamo/grant-writer.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  ClaimRequest,
  ClaimResult,
  CompletionSeal,
  ConfirmationHold,
  ConsumeRequest,
  ConsumeResult,
  PendingAuthorization,
  PendingAuthorizationStore,
  TicketRecord,
} from '../../lambdas/ports/pending-authorizations.js';
import type { Log } from '../../lambdas/ports/log.js';
import type { GrantSecretStore } from '../../lambdas/ports/secret-store.js';
import { type Config, parseConfig } from '../../lambdas/shared/config.js';
import type { HttpEvent, HttpResult, JwtHttpEvent } from '../../lambdas/shared/http.js';
import { RecordingLog } from './log.js';
import { FakeClock } from './clock.js';
import { RecordingPublisher } from './publisher.js';
import { aJwtRequest, aLambdaContext } from './requests.js';
import { InMemorySecretStore } from './secrets.js';

/**
 * Fixtures for the authorization flow: a fake Amazon (LWA + Sellers API behind `fetch`),
 * in-memory stores that enforce the same conditions as the DynamoDB adapters, and a harness
 * wiring the five handlers to them.
 */

export const AUTH_ACCOUNT = 'acct-auth-1';
export const AUTH_SUB = 'user-sub-1';
export const SELLING_PARTNER = 'A3AUTHSELLER01';
export const APP: AppCredentials = { clientId: 'amzn1.application-oa2-client.test', clientSecret: 'MARKER-CLIENT-SECRET-0001', applicationId: 'amzn1.sp.solution.test-app' };
export const AUTH_NOW = new Date('2026-11-27T10:00:00.000Z');
export const TOKEN_URL = 'https://api.amazon.com/auth/o2/token';
export const CALLBACK_URI = 'https://sellercentral-europe.amazon.com/apps/authorize/confirm/amzn1.sp.solution.test-app';

export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  return parseConfig({ ...process.env, ...overrides });
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The PendingAuthorizationStore port in memory, with the conditions of the DynamoDB adapter:
 * each conditional write is checked and applied in one synchronous step after an await, so
 * concurrent callers interleave like DynamoDB requests and exactly one can win.
 */
export class InMemoryPendingStore implements PendingAuthorizationStore {
  readonly tickets = new Map<string, TicketRecord>();
  readonly pending = new Map<
    string,
    PendingAuthorization & {
      consumedAt?: Date;
      outcome?: string;
      notice?: string | null;
      completion?: CompletionSeal;
      sealedCode?: string;
      completedAt?: Date;
      hold?: ConfirmationHold;
      confirmedAt?: Date;
    }
  >();
  writes = 0;

  async createTicket(ticket: TicketRecord): Promise<void> {
    await tick();
    this.writes++;
    this.tickets.set(ticket.ticketHash, ticket);
  }

  async redeemTicket(ticketHash: string, now: Date): Promise<TicketRecord | null> {
    await tick();
    const t = this.tickets.get(ticketHash);
    if (!t || t.expiresAt.getTime() <= now.getTime()) return null;
    this.writes++;
    this.tickets.delete(ticketHash);
    return t;
  }

  async open(p: PendingAuthorization): Promise<void> {
    await tick();
    this.writes++;
    this.pending.set(p.stateHash, { ...p });
  }

  async recordLogin(stateHash: string, bindingHash: string, sellingPartnerId: string, now: Date): Promise<PendingAuthorization | null> {
    await tick();
    const p = this.pending.get(stateHash);
    if (!p || p.consumedAt || p.expiresAt.getTime() <= now.getTime() || p.bindingHash !== bindingHash) return null;
    if (p.sellingPartnerId && p.sellingPartnerId !== sellingPartnerId) return null;
    this.writes++;
    const updated = { ...p, sellingPartnerId };
    this.pending.set(stateHash, updated);
    return updated;
  }

  async expiredFlow(stateHash: string, bindingHash: string, now: Date): Promise<PendingAuthorization | null> {
    await tick();
    const p = this.pending.get(stateHash);
    return p && !p.consumedAt && p.bindingHash === bindingHash && p.expiresAt.getTime() <= now.getTime() ? p : null;
  }

  async consume(r: ConsumeRequest): Promise<ConsumeResult> {
    await tick();
    const p = this.pending.get(r.stateHash);
    if (!p) return { kind: 'invalid', pending: null };
    if (p.consumedAt) {
      return p.outcome === 'success' && p.bindingHash === r.bindingHash ? { kind: 'already-succeeded', pending: p, notice: p.notice ?? null } : { kind: 'invalid', pending: p };
    }
    if (p.expiresAt.getTime() <= r.now.getTime()) return p.bindingHash === r.bindingHash ? { kind: 'expired', pending: p } : { kind: 'invalid', pending: p };
    if (p.bindingHash !== r.bindingHash) return { kind: 'browser-mismatch', pending: p };
    if (r.sellingPartnerId && p.sellingPartnerId && p.sellingPartnerId !== r.sellingPartnerId) return { kind: 'partner-mismatch', pending: p };
    this.writes++;
    const consumed = { ...p, consumedAt: r.now, sellingPartnerId: r.sellingPartnerId ?? p.sellingPartnerId, ...(r.completion ? { completion: r.completion, sealedCode: r.completion.sealedCode } : {}) };
    this.pending.set(r.stateHash, consumed);
    return { kind: 'consumed', pending: consumed };
  }

  async claimCompletion(r: ClaimRequest): Promise<ClaimResult> {
    await tick();
    const p = this.pending.get(r.stateHash);
    const ok =
      p?.completion &&
      p.sealedCode &&
      p.completion.completionHash === r.completionHash &&
      !p.completedAt &&
      p.completion.codeExpiresAt.getTime() > r.now.getTime() &&
      p.accountId === r.accountId &&
      (p.sub === null || p.sub === r.sub);
    if (p && ok && p.sealedCode) {
      this.writes++;
      const { sealedCode, ...rest } = p;
      this.pending.set(r.stateHash, { ...rest, completedAt: r.now });
      return { kind: 'claimed', pending: rest, sealedCode };
    }
    return this.refusal(r);
  }

  async holdForConfirmation(stateHash: string, hold: ConfirmationHold): Promise<void> {
    await tick();
    const p = this.pending.get(stateHash);
    if (!p?.completedAt || p.confirmedAt) throw new Error('ConditionalCheckFailedException');
    this.writes++;
    this.pending.set(stateHash, { ...p, hold });
  }

  async claimConfirmation(r: ClaimRequest): Promise<ClaimResult> {
    await tick();
    const p = this.pending.get(r.stateHash);
    const ok = p?.hold && p.completion?.completionHash === r.completionHash && !p.confirmedAt && p.hold.holdExpiresAt.getTime() > r.now.getTime() && p.accountId === r.accountId && (p.sub === null || p.sub === r.sub);
    if (p?.hold && ok) {
      this.writes++;
      const { hold, ...rest } = p;
      this.pending.set(r.stateHash, { ...rest, confirmedAt: r.now });
      return { kind: 'claimed', pending: rest, sealedCode: hold.sealedGrant };
    }
    return this.refusal(r);
  }

  private refusal(r: ClaimRequest): ClaimResult {
    const p = this.pending.get(r.stateHash);
    const item = p && {
      accountId: p.accountId,
      ...(p.sub ? { sub: p.sub } : {}),
      ...(p.completion ? { completionHash: p.completion.completionHash, codeExpiresAt: p.completion.codeExpiresAt.toISOString() } : {}),
      ...(p.completedAt ? { completedAt: p.completedAt.toISOString() } : {}),
      ...(p.outcome ? { outcome: p.outcome } : {}),
      ...(p.notice ? { notice: p.notice } : {}),
      ...(p.hold ? { sealedGrant: p.hold.sealedGrant, holdExpiresAt: p.hold.holdExpiresAt.toISOString(), ...(p.hold.storeName ? { storeName: p.hold.storeName } : {}) } : {}),
      ...(p.confirmedAt ? { confirmedAt: p.confirmedAt.toISOString() } : {}),
    };
    return classifyClaimRefusal(item, r, p ?? null);
  }

  markSucceeded(stateHash: string, notice: string | null): void {
    const p = this.pending.get(stateHash);
    if (p) this.pending.set(stateHash, { ...p, outcome: 'success', notice });
  }
}

/** Venues and grants in memory, with the R4 condition of the DynamoDB grant writer. */
export class InMemoryGrantWriter implements GrantWriter {
  readonly grants = new Map<string, Grant>();
  readonly venues = new Map<MarketplaceCode, { grantKey: string; participating: boolean; active: boolean }>();
  writes = 0;
  failWith: Error | null = null;

  constructor(private readonly pendingStore?: InMemoryPendingStore) {}

  async write(input: GrantWrite): Promise<GrantWriteResult> {
    await tick();
    if (this.failWith) throw this.failWith;
    const existing = this.grants.get(input.grant.grantKey);
    if (existing && existing.generatedAt.getTime() >= input.grant.generatedAt.getTime()) return { kind: 'superseded', current: existing };
    this.writes++;
    const displaced = new Set<string>();
    for (const v of input.venues) {
      const current = this.venues.get(v.marketplace);
      if (current && current.grantKey !== input.grant.grantKey) displaced.add(current.grantKey);
      this.venues.set(v.marketplace, { grantKey: input.grant.grantKey, participating: v.participating, active: current?.active ?? false });
    }
    const replaced = [...displaced].flatMap((k) => {
      const g = this.grants.get(k);
      this.grants.delete(k);
      return g ? [g] : [];
    });
    this.grants.set(input.grant.grantKey, { ...input.grant, version: (existing?.version ?? 0) + 1 });
    this.pendingStore?.markSucceeded(input.stateHash, input.notice);
    return { kind: 'written', replaced, previous: existing ?? null };
  }
}

export class StaticCredentials implements AppCredentialsProvider {
  reloads = 0;
  constructor(
    public current: AppCredentials = APP,
    public next: AppCredentials = current,
  ) {}
  async get(): Promise<AppCredentials> {
    return this.current;
  }
  async reload(): Promise<AppCredentials> {
    this.reloads++;
    this.current = this.next;
    return this.current;
  }
}

// ---------------------------------------------------------------------------------------------
// A fake Amazon behind fetch.

export interface FakeAmazonOptions {
  /** Codes LWA accepts (each once), mapped to the refresh token it issues. */
  codes?: Record<string, string>;
  accessToken?: string;
  /** Marketplace ids the Sellers API reports, with isParticipating. */
  participations?: Record<string, boolean>;
  /** How LWA answers, overriding the happy path. */
  lwa?: 'timeout' | 'http500' | 'invalid_client' | 'server_error';
  sellers?: 'timeout' | 'http500' | 'http403';
  /** Delay of each LWA answer in ms (for concurrency tests). */
  lwaDelayMs?: number;
  /** Client secrets LWA accepts. */
  clientSecrets?: string[];
  /** Refresh tokens LWA answers invalid_grant for (revoked by the seller). */
  revokedRefreshTokens?: string[];
  /** A refresh answers this new refresh token (LWA may rotate it). */
  rotatedRefreshToken?: string;
}

export interface FetchCall {
  readonly url: string;
  readonly init: RequestInit;
  readonly body: string;
}

export interface FakeAmazon {
  readonly fetch: FetchLike;
  readonly calls: FetchCall[];
  readonly lwaCalls: () => FetchCall[];
  readonly sellersCalls: () => FetchCall[];
  options: FakeAmazonOptions;
}

/** A JSON answer of Amazon's (LWA, the Sellers API) as fetch returns it. */
export const jsonResponse = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function abortable(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }));
    if (signal?.aborted) fail();
    signal?.addEventListener('abort', fail);
  });
}

export type ScriptedAnswer = Response | Error | 'hang';

/**
 * A fetch answering from a script, one answer per request in order (then HTTP 500), recording
 * every request: an Error is thrown as fetch throws it, `'hang'` waits until the request's signal
 * aborts it (a timeout).
 */
export function scriptedFetch(...answers: ScriptedAnswer[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const next = answers.shift() ?? jsonResponse(500, {});
    if (next === 'hang') {
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'TimeoutError' }))));
    }
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, calls };
}

export const ALL_EU_PARTICIPATING = Object.fromEntries(MARKETPLACES.filter((m) => m.region === 'EU').map((m) => [m.id, true]));

export function fakeAmazon(options: FakeAmazonOptions = {}): FakeAmazon {
  const calls: FetchCall[] = [];
  const used = new Set<string>();
  const amazon: FakeAmazon = {
    options,
    calls,
    lwaCalls: () => calls.filter((c) => c.url.includes('/auth/o2/token')),
    sellersCalls: () => calls.filter((c) => c.url.includes('/sellers/v1/')),
    fetch: async (url, init) => {
      const body = typeof init.body === 'string' ? init.body : '';
      calls.push({ url, init, body });
      const o = amazon.options;
      if (url.includes('/auth/o2/token')) {
        if (o.lwaDelayMs) await new Promise((r) => setTimeout(r, o.lwaDelayMs));
        if (o.lwa === 'timeout') return abortable(init.signal);
        if (o.lwa === 'http500') return jsonResponse(500, { error: 'server_error' });
        if (o.lwa === 'server_error') return jsonResponse(503, { error: 'temporarily_unavailable' });
        const form = new URLSearchParams(body);
        const secrets = o.clientSecrets ?? [APP.clientSecret];
        if (o.lwa === 'invalid_client' || !secrets.includes(form.get('client_secret') ?? '')) return jsonResponse(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
        if (form.get('grant_type') === 'authorization_code') {
          const code = form.get('code') ?? '';
          const refresh = o.codes?.[code];
          if (!refresh || used.has(code)) return jsonResponse(400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : code' });
          used.add(code);
          return jsonResponse(200, { access_token: o.accessToken ?? 'Atza|MARKER-ACCESS-TOKEN', refresh_token: refresh, token_type: 'bearer', expires_in: 3600 });
        }
        if (form.get('grant_type') === 'refresh_token') {
          if (o.revokedRefreshTokens?.includes(form.get('refresh_token') ?? '')) return jsonResponse(400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
          return jsonResponse(200, { access_token: o.accessToken ?? 'Atza|MARKER-ACCESS-TOKEN', token_type: 'bearer', expires_in: 3600, ...(o.rotatedRefreshToken ? { refresh_token: o.rotatedRefreshToken } : {}) });
        }
        return jsonResponse(400, { error: 'unsupported_grant_type' });
      }
      if (url.includes('/sellers/v1/marketplaceParticipations')) {
        if (o.sellers === 'timeout') return abortable(init.signal);
        if (o.sellers === 'http500') return jsonResponse(500, { errors: [{ code: 'InternalFailure', message: 'x' }] });
        if (o.sellers === 'http403') return jsonResponse(403, { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.' }] });
        const participations = o.participations ?? ALL_EU_PARTICIPATING;
        const payload = Object.entries(participations).map(([id, isParticipating]) => ({
          marketplace: { id, name: id, countryCode: 'GB', defaultCurrencyCode: 'GBP', defaultLanguageCode: 'en_GB', domainName: 'www.amazon.test' },
          participation: { isParticipating, hasSuspendedListings: false },
          storeName: 'Test Store',
        }));
        // Amazon also lists non-catalog ids (multi-channel fulfilment).
        payload.push({
          marketplace: { id: 'A1ZFFQZ3HTUKT9', name: 'Non-Amazon', countryCode: 'GB', defaultCurrencyCode: 'GBP', defaultLanguageCode: 'en_GB', domainName: 'sim1.stores.amazon.co.uk' },
          participation: { isParticipating: true, hasSuspendedListings: false },
          storeName: 'Test Store',
        });
        return jsonResponse(200, { payload });
      }
      return new Response('not found', { status: 404 });
    },
  };
  return amazon;
}

// ---------------------------------------------------------------------------------------------
// Events.

/**
 * A JWT request from the seller the flows are started with (AUTH_ACCOUNT, AUTH_SUB) unless told
 * otherwise; `accountId: null` leaves the account claim out.
 */
export function jwtEvent(options: { accountId?: string | null; sub?: string; marketplace?: string; body?: unknown }): JwtHttpEvent {
  const claims: Record<string, string> = {};
  if (options.accountId !== null) claims['custom:accountId'] = options.accountId ?? AUTH_ACCOUNT;
  claims.sub = options.sub ?? AUTH_SUB;
  return aJwtRequest({ method: 'POST', marketplace: options.marketplace || undefined, body: options.body, claims }) as unknown as JwtHttpEvent;
}

export function browserEvent(options: { query?: string | Record<string, string>; cookie?: string | null; cookies?: string[]; ticket?: string }): HttpEvent {
  const rawQueryString = typeof options.query === 'string' ? options.query : new URLSearchParams(options.query ?? {}).toString();
  const cookies = options.cookies ?? (options.cookie ? [`aob_amazon_auth=${options.cookie}`] : undefined);
  return {
    version: '2.0',
    routeKey: 'GET /x',
    rawPath: '/x',
    rawQueryString,
    headers: {},
    cookies,
    pathParameters: options.ticket !== undefined ? { ticket: options.ticket } : undefined,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1' },
  } as unknown as HttpEvent;
}

export async function invoke<E>(handler: (event: E, context: Context) => Promise<HttpResult> | void, event: E): Promise<HttpResult> {
  return (await handler(event, aLambdaContext())) as HttpResult;
}

/** The binding cookie value from a Set-Cookie header. */
export function cookieValue(result: HttpResult): string {
  const header = String(result.cookies?.[0] ?? '');
  const match = /^aob_amazon_auth=([^;]+)/.exec(header);
  if (!match?.[1]) throw new Error('no binding cookie set');
  return match[1];
}

/** The completion handle of a callback's 303 to the completion page (`#completion=…`), or null. */
export function completionHandleOf(result: HttpResult): string | null {
  const where = result.headers?.location;
  if (typeof where !== 'string') return null;
  const match = /#completion=([A-Za-z0-9_.-]+)$/.exec(where);
  return match?.[1] ?? null;
}

/**
 * What the completion page does with a callback's answer: when it names a completion handle, POST
 * it with the caller's JWT (default: the account and user the harness starts flows with) and
 * answer like the outcome redirect the page then follows (303 to `redirectUrl`).
 */
export async function followCompletion(
  res: HttpResult,
  complete: (event: JwtHttpEvent, context: Context) => Promise<HttpResult> | void,
  caller: { accountId?: string; sub?: string; decision?: 'confirm' | 'cancel' | null } = {},
): Promise<HttpResult> {
  const handle = completionHandleOf(res);
  if (!handle) return res;
  const post = (body: unknown) => invoke(complete, jwtEvent({ accountId: caller.accountId ?? AUTH_ACCOUNT, sub: caller.sub ?? AUTH_SUB, body })) as Promise<HttpResult>;
  let done = await post({ completion: handle });
  let body = JSON.parse(String(done.body)) as { amazonAuthorization?: string; redirectUrl?: string; error?: { details?: { redirectUrl?: string } } };
  if (body.amazonAuthorization === 'confirm' && caller.decision !== null) {
    // A flow started on Amazon: the seller reads who is connected to which account, and clicks.
    done = await post({ completion: handle, decision: caller.decision ?? 'confirm' });
    body = JSON.parse(String(done.body)) as typeof body;
  }
  const redirectUrl = body.redirectUrl ?? body.error?.details?.redirectUrl;
  return redirectUrl ? { ...done, statusCode: 303, headers: { ...done.headers, location: redirectUrl } } : done;
}

export function location(result: HttpResult): URL {
  return new URL(String(result.headers?.location));
}

// ---------------------------------------------------------------------------------------------
// The harness: the five handlers wired to in-memory stores and a fake Amazon.

export interface HarnessOptions<S extends GrantSecretStore = InMemorySecretStore> {
  env?: Record<string, string | undefined>;
  amazon?: FakeAmazonOptions;
  credentials?: StaticCredentials;
  lwaTimeoutMs?: number;
  /** Grant secrets; an {@link InMemorySecretStore} unless given. */
  secrets?: S;
  /** The venues and grants; an {@link InMemoryGrantWriter} unless given. */
  grants?: GrantWriter;
  /** The one-time records; an {@link InMemoryPendingStore} unless given (a DynamoDB grant writer needs the DynamoDB one). */
  store?: PendingAuthorizationStore;
  /** Where the use cases log; a {@link RecordingLog} unless given (the shared `logger` to read what reaches stdout). */
  log?: Log;
}

export function authHarness<S extends GrantSecretStore = InMemorySecretStore>(options: HarnessOptions<S> = {}) {
  const cfg = testConfig(options.env);
  const clock = new FakeClock(AUTH_NOW);
  const memoryStore = new InMemoryPendingStore();
  const store = options.store ?? memoryStore;
  const grants = new InMemoryGrantWriter(memoryStore);
  const secrets = (options.secrets ?? new InMemorySecretStore()) as S;
  const events = new RecordingPublisher();
  const log = options.log ?? new RecordingLog();
  const credentials = options.credentials ?? new StaticCredentials();
  const amazon = fakeAmazon(options.amazon ?? { codes: { 'MARKER-CODE-0001': 'Atzr|MARKER-REFRESH-0001' } });
  const lwa = new LwaClient({ tokenUrl: cfg.lwaTokenUrl, redirectUri: cfg.redirectUri, credentials, fetch: amazon.fetch, timeoutMs: options.lwaTimeoutMs ?? 200, sleep: async () => {} });
  const sellers = new SellersClient({ endpointOverride: cfg.spApiEndpointOverride, fetch: amazon.fetch, timeoutMs: 200 });
  const startDeps = { store, clock, config: cfg, accountClaim: cfg.accountClaim };
  const handlers = {
    start: makeStartAuthorizationHandler(startDeps),
    continueLogin: makeContinueLoginHandler(startDeps),
    ticket: makeAuthorizeTicketHandler({ store, tickets: store, clock, log, credentials, config: cfg }),
    login: makeLoginHandler({ store, clock, log, config: cfg }),
    callback: makeCallbackHandler({ store, clock, log, frontend: cfg }),
    complete: makeCompleteAuthorizationHandler({ store, lwa, sellers, secrets, grants: options.grants ?? grants, events, clock, log, config: cfg, accountClaim: cfg.accountClaim, frontend: cfg, sleep: async () => {} }),
  };

  /** POST …/authorizations then open the ticket: the browser is now on its way to Amazon. */
  async function startFlow(marketplace = 'UK', body?: unknown, accountId = AUTH_ACCOUNT) {
    const started = await invoke(handlers.start, jwtEvent({ marketplace, body, accountId }));
    const { authorizationUrl } = JSON.parse(String(started.body)) as { authorizationUrl: string };
    const ticket = authorizationUrl.split('/').pop() as string;
    const opened = await invoke(handlers.ticket, browserEvent({ ticket }));
    const consent = location(opened);
    return { started, ticket, opened, consent, binding: cookieValue(opened), state: consent.searchParams.get('state') as string };
  }

  /** Amazon's Redirect URI only: 303 to the completion page (or an outcome). */
  function rawCallback(query: Record<string, string>, cookie: string | null) {
    return invoke(handlers.callback, browserEvent({ query, cookie }));
  }

  /** What the completion page does: POST the handle with the seller's JWT. */
  function complete(handle: string, caller: { accountId?: string; sub?: string } = {}) {
    return invoke(handlers.complete, jwtEvent({ accountId: caller.accountId ?? AUTH_ACCOUNT, sub: caller.sub ?? AUTH_SUB, body: { completion: handle } }));
  }

  /**
   * The callback and, when it sends the browser on to the completion page, the completion by the
   * account that started the flow: answered like the outcome redirect the completion page then
   * follows (303 to `redirectUrl`), so assertions read the same outcome query as before.
   */
  async function callback(query: Record<string, string>, cookie: string | null, caller: Parameters<typeof followCompletion>[2] = {}): Promise<HttpResult> {
    return followCompletion(await rawCallback(query, cookie), handlers.complete, caller);
  }

  return { cfg, clock, store: memoryStore, grants, secrets, events, log, credentials, amazon, handlers, startFlow, callback, rawCallback, complete };
}

// ---------------------------------------------------------------------------------------------
// The callback the attack tests send.

/** The code the attack tests' callbacks carry, and the refresh token a fake Amazon told `codes: { [MARKER_CODE]: MARKER_REFRESH }` exchanges it for. */
export const MARKER_CODE = 'MARKER-CODE-ADV1';
export const MARKER_REFRESH = 'Atzr|MARKER-REFRESH-ADV1';

/** Amazon's Redirect URI query for `state`: the flow's selling partner and MARKER_CODE, then `extra`. */
export const okCallback = (state: string, extra: Record<string, string> = {}) => ({ state, selling_partner_id: SELLING_PARTNER, spapi_oauth_code: MARKER_CODE, ...extra });

/** The `reason` of an outcome redirect (null on success). */
export const reasonOf = (r: HttpResult) => new URL(String(r.headers?.location)).searchParams.get('reason');

/**
 * The completion step over the production adapters (LWA and Sellers clients on `fetch`, the
 * grant writer on `doc`), as the suites that count real calls or scan real output build it;
 * `secrets` and `events` are the store and publisher the suite watches, `overrides` any other
 * dependency (a sleep, an attempt count).
 */
export function completionOverAdapters(options: {
  store: CompleteAuthorizationDeps['store'];
  doc: DynamoDBDocumentClient;
  credentials: AppCredentialsProvider;
  fetch: FetchLike;
  secrets: CompleteAuthorizationDeps['secrets'];
  events: CompleteAuthorizationDeps['events'];
  clock: CompleteAuthorizationDeps['clock'];
  log: Log;
  config: Config;
  overrides?: Partial<CompleteAuthorizationDeps>;
}) {
  const cfg = options.config;
  return makeCompleteAuthorizationHandler({
    store: options.store,
    accountClaim: cfg.accountClaim,
    lwa: new LwaClient({ tokenUrl: cfg.lwaTokenUrl, redirectUri: cfg.redirectUri, credentials: options.credentials, fetch: options.fetch }),
    sellers: new SellersClient({ fetch: options.fetch }),
    secrets: options.secrets,
    grants: new DynamoGrantWriter(options.doc, cfg.tableName),
    events: options.events,
    clock: options.clock,
    log: options.log,
    config: cfg,
    frontend: cfg,
    ...options.overrides,
  });
}
