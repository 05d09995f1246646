import * as v from 'valibot';
import { AmazonTransientError, RotationRefusedError } from '../../ports/failures.js';
import type { ApplicationManagement } from '../../ports/app-credentials.js';
import { type FetchLike, readJson, spApiRequest } from './http.js';
import { LwaClient } from './lwa-client.js';

/**
 * The LWA client with grantless tokens (`client_credentials` with a scope), which only the
 * rotation needs: a subclass, so the seller-facing functions do not bundle it. The client-secret
 * choice (one retry with the other valid secret after invalid_client) is the same.
 */
export class GrantlessLwaClient extends LwaClient {
  async clientCredentials(scope: string): Promise<{ accessToken: string; expiresInSeconds: number }> {
    const answer = await this.withClientReload((credentials) =>
      this.post('client credentials', { grant_type: 'client_credentials', scope, client_id: credentials.clientId, client_secret: credentials.clientSecret }),
    );
    return { accessToken: answer.access_token, expiresInSeconds: answer.expires_in };
  }
}

/** The grantless scope `rotateApplicationClientSecret` needs. */
export const ROTATION_SCOPE = 'sellingpartnerapi::client_credential:rotation';
/** Application Management lives on the NA host (application_2023-11-30 model). */
export const APPLICATION_API_HOST = 'sellingpartnerapi-na.amazon.com';
export const ROTATION_PATH = '/applications/2023-11-30/clientSecret';

const ErrorList = v.object({ errors: v.pipe(v.array(v.object({ code: v.pipe(v.string(), v.maxLength(100)) })), v.minLength(1)) });

export interface ApplicationClientOptions {
  /** Grantless LWA tokens (the LwaClient, which also picks the client secret). */
  readonly lwa: { clientCredentials(scope: string): Promise<{ accessToken: string }> };
  /** Local sandbox only: one origin instead of Amazon's host. */
  readonly endpointOverride?: string | undefined;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly userAgent?: string;
}

/**
 * `rotateApplicationClientSecret` over fetch: a grantless access token with the rotation scope,
 * then `POST /applications/2023-11-30/clientSecret`, 204 on success. Never retried here: Amazon
 * allows about one call a minute, and the new secret arrives through the notification queue.
 */
export class ApplicationClient implements ApplicationManagement {
  private readonly fetch: FetchLike;

  constructor(private readonly options: ApplicationClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async rotateClientSecret(): Promise<void> {
    const { accessToken } = await this.options.lwa.clientCredentials(ROTATION_SCOPE);
    const origin = (this.options.endpointOverride ?? `https://${APPLICATION_API_HOST}`).replace(/\/$/, '');
    const response = await spApiRequest(this.fetch, `${origin}${ROTATION_PATH}`, 'POST', accessToken, 'rotateApplicationClientSecret', this.options);
    if (response.status === 204) return;
    const answer = v.safeParse(ErrorList, await readJson(response));
    const code = answer.success ? (answer.output.errors[0]?.code ?? null) : null;
    if (response.status >= 500) throw new AmazonTransientError(`rotateApplicationClientSecret (HTTP ${response.status})`);
    throw new RotationRefusedError(response.status, code);
  }
}
