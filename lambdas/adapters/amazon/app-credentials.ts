import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as v from 'valibot';
import type { AppCredentials, AppCredentialsProvider } from '../../ports/app-credentials.js';
import { AppCredentialsUnavailableError } from '../../ports/failures.js';
import { isJsonObject } from '../../shared/json.js';

const nonEmpty = v.pipe(v.string(), v.minLength(1));
const AppSecret = v.object({
  clientId: nonEmpty,
  clientSecret: nonEmpty,
  applicationId: nonEmpty,
  // Written by a rotation (app-credentials-writer.ts). An unreadable time becomes an invalid date, which the LWA client never finds still valid.
  previousClientSecret: v.optional(v.string()),
  previousClientSecretExpiresAt: v.optional(v.string()),
});

/**
 * The app secret (JSON `{clientId, clientSecret, applicationId}`, filled in by ops; after a
 * rotation also `previousClientSecret` and `previousClientSecretExpiresAt`), read once
 * per container and kept in memory. `reload` reads it again, e.g. after LWA answered
 * invalid_client because ops rotated the client secret since this container started.
 */
export class SecretsManagerAppCredentials implements AppCredentialsProvider {
  protected cached: Promise<AppCredentials> | undefined;

  constructor(
    protected readonly client: SecretsManagerClient,
    protected readonly secretName: string,
  ) {}

  get(): Promise<AppCredentials> {
    if (!this.cached) {
      const reading = this.read();
      // A failed read is not kept: the next request tries again.
      reading.catch(() => {
        if (this.cached === reading) this.cached = undefined;
      });
      this.cached = reading;
    }
    return this.cached;
  }

  reload(): Promise<AppCredentials> {
    this.cached = undefined;
    return this.get();
  }

  private async read(): Promise<AppCredentials> {
    let text: string | undefined;
    try {
      text = (await this.client.send(new GetSecretValueCommand({ SecretId: this.secretName }))).SecretString;
    } catch (error) {
      throw new AppCredentialsUnavailableError(`the app secret could not be read (${(error as Error).name})`, { cause: error });
    }
    let value: unknown;
    try {
      value = JSON.parse(text ?? '');
    } catch {
      throw new AppCredentialsUnavailableError('the app secret is not JSON');
    }
    if (!isJsonObject(value)) throw new AppCredentialsUnavailableError('the app secret is not a JSON object');
    const parsed = v.safeParse(AppSecret, value);
    // Names only, never values.
    if (!parsed.success) throw new AppCredentialsUnavailableError(`the app secret lacks ${parsed.issues.map((i) => v.getDotPath(i)).join(', ')}`);
    const { previousClientSecret: previous, previousClientSecretExpiresAt: at, ...current } = parsed.output;
    return Object.freeze(previous && at ? { ...current, previousClientSecret: { value: previous, expiresAt: new Date(at) } } : current);
  }
}
