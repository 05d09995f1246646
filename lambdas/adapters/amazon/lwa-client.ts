import * as v from 'valibot';
import type { LwaTokenClient, LwaTokens } from '../../ports/amazon.js';
import { AmazonTransientError, LwaInvalidClientError, LwaInvalidGrantError, LwaOAuthError } from '../../ports/failures.js';
import type { AppCredentials, AppCredentialsProvider } from '../../ports/app-credentials.js';
import { clock as serviceClock } from '../../shared/clock.js';
import { type Sleep, retry } from '../../shared/retry.js';
import { type FetchLike, readJson } from './http.js';

export interface LwaClientOptions {
  /** Configuration, never input (S5). */
  readonly tokenUrl: string;
  /** The registered Redirect URI, sent with every code exchange. */
  readonly redirectUri: string;
  readonly credentials: AppCredentialsProvider;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  /** Attempts for a refresh, the first included. A code exchange always gets exactly one. */
  readonly refreshAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Judges whether a previous client secret is still within its stated expiry; default the service clock. */
  readonly clock?: { now(): Date };
}

const nonEmpty = v.pipe(v.string(), v.minLength(1));
const TokenAnswer = v.object({
  access_token: nonEmpty,
  refresh_token: v.optional(nonEmpty),
  token_type: v.optional(v.string()),
  // Seconds, as a number or a numeric string; LWA's answers always carry it, 3600 if one did not.
  expires_in: v.optional(v.pipe(v.union([v.number(), v.string()]), v.toNumber(), v.integer(), v.minValue(1)), 3600),
});
type TokenAnswer = v.InferOutput<typeof TokenAnswer>;
const ErrorAnswer = v.object({ error: v.pipe(v.string(), v.minLength(1), v.maxLength(100)) });

const TRANSIENT_OAUTH_ERRORS = new Set(['server_error', 'temporarily_unavailable']);

/**
 * Login with Amazon's token endpoint over fetch. Form-encoded; every request has an explicit
 * timeout. Typed errors: invalid_grant, invalid_client, other OAuth errors, transient.
 *
 * A code exchange is sent once and never again — not after a timeout (LWA may have used the code)
 * nor after a 5xx. The one exception is `invalid_client`: LWA authenticates the client before it
 * reads the grant (RFC 6749 §5.2), so no code was consumed, and the request is sent once more
 * with the *other* client secret that is still valid — see {@link LwaClient.otherSecret}. That is
 * what lets no request fail while the app's client secret rotates.
 */
export class LwaClient implements LwaTokenClient {
  private readonly fetch: FetchLike;
  /** How long one request may take, and how many attempts a refresh gets (the wiring's bounds, readable by its tests). */
  readonly timeoutMs: number;
  readonly refreshAttempts: number;
  private readonly baseDelayMs: number;

  constructor(private readonly options: LwaClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 8000;
    this.refreshAttempts = options.refreshAttempts ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 200;
  }

  async exchangeCode(code: string): Promise<LwaTokens> {
    const answer = await this.withClientReload((credentials) =>
      this.post('code exchange', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.options.redirectUri,
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      }),
    );
    if (!answer.refresh_token) throw new AmazonTransientError('LWA code exchange (no refresh token in the answer)');
    return { accessToken: answer.access_token, refreshToken: answer.refresh_token, expiresInSeconds: answer.expires_in };
  }

  async refresh(refreshToken: string): Promise<{ accessToken: string; refreshToken: string | null; expiresInSeconds: number }> {
    const answer = await retry(
      () =>
        this.withClientReload((credentials) =>
          this.post('token refresh', {
            grant_type: 'refresh_token',
            refresh_token: refreshToken,
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
          }),
        ),
      {
        attempts: this.refreshAttempts,
        baseDelayMs: this.baseDelayMs,
        random: this.options.random,
        sleep: this.options.sleep,
        retryable: (error) => error instanceof AmazonTransientError,
      },
    );
    return { accessToken: answer.access_token, refreshToken: answer.refresh_token ?? null, expiresInSeconds: answer.expires_in };
  }

  protected async withClientReload<T>(send: (credentials: AppCredentials) => Promise<T>): Promise<T> {
    const credentials = await this.options.credentials.get();
    try {
      return await send(credentials);
    } catch (error) {
      if (!(error instanceof LwaInvalidClientError)) throw error;
      const other = this.otherSecret(credentials, await this.options.credentials.reload());
      if (!other) throw error;
      return send(other);
    }
  }

  /**
   * After `invalid_client` with `tried`, the one other secret worth one more attempt, judged on
   * the freshly read app secret:
   * - its current secret, if it changed (a rotation stored a new one since this container read it);
   * - else its previous secret while Amazon still accepts it (a new secret Amazon has not
   *   activated everywhere yet: the old one carries the request until its stated expiry).
   * Never an expired previous one; at most one retry in all.
   */
  private otherSecret(tried: AppCredentials, fresh: AppCredentials): AppCredentials | null {
    if (fresh.clientId !== tried.clientId || fresh.clientSecret !== tried.clientSecret) return fresh;
    const previous = fresh.previousClientSecret;
    // The writer never keeps the current secret as the previous one, so this is always another secret.
    return previous && previous.expiresAt > (this.options.clock ?? serviceClock).now() ? { ...fresh, clientSecret: previous.value } : null;
  }


  protected async post(what: string, form: Record<string, string>): Promise<TokenAnswer> {
    let response: Response;
    try {
      response = await this.fetch(this.options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new AmazonTransientError(`LWA ${what}`, { cause: errorSummary(error) });
    }
    const body = await readJson(response);
    if (response.ok) {
      const parsed = v.safeParse(TokenAnswer, body);
      if (!parsed.success) throw new AmazonTransientError(`LWA ${what} (unreadable answer)`);
      return parsed.output;
    }
    const error = v.safeParse(ErrorAnswer, body);
    const oauthError = error.success ? error.output.error : undefined;
    if (response.status >= 500 || response.status === 429 || (oauthError && TRANSIENT_OAUTH_ERRORS.has(oauthError))) {
      throw new AmazonTransientError(`LWA ${what} (HTTP ${response.status})`);
    }
    if (oauthError === 'invalid_grant') throw new LwaInvalidGrantError();
    if (oauthError === 'invalid_client') throw new LwaInvalidClientError();
    throw new LwaOAuthError(oauthError ?? 'unknown_error', response.status);
  }
}

/** The name of a network error only: its message could quote the request. */
function errorSummary(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}
