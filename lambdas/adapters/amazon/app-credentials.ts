import { createHash } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { type AppCredentials, type AppCredentialsProvider, AppCredentialsUnavailableError, type AppCredentialsWriter, type NewClientSecret } from '../../ports/app-credentials.js';

const AppSecret = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  applicationId: z.string().min(1),
  /** Written by the rotation: the secret the current one replaced, and until when Amazon still takes it. */
  previousClientSecret: z.string().min(1).optional(),
  previousClientSecretExpiresAt: z.iso.datetime({ offset: true }).optional(),
});

/**
 * The app secret (JSON `{clientId, clientSecret, applicationId}`, filled in by ops; after a
 * rotation also `previousClientSecret` and `previousClientSecretExpiresAt`), read once per
 * container and kept in memory. `reload` reads it again, e.g. after LWA answered invalid_client
 * because the client secret was rotated since this container started.
 */
export class SecretsManagerAppCredentials implements AppCredentialsProvider, AppCredentialsWriter {
  private cached: Promise<AppCredentials> | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretName: string,
  ) {}

  get(): Promise<AppCredentials> {
    if (!this.cached) {
      const reading = this.read().then((r) => r.credentials);
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

  /**
   * The new secret becomes `clientSecret`; the one it replaces becomes `previousClientSecret`
   * until Amazon's stated expiry. Every other key of the secret is kept as ops wrote it. A
   * redelivered notice finds its secret already current and writes nothing; the request token
   * is derived from the notification id, so a retried write is one version, not two.
   */
  async storeNewSecret(secret: NewClientSecret): Promise<void> {
    const { raw, credentials } = await this.read();
    if (credentials.clientSecret === secret.clientSecret) return;
    const value = {
      ...raw,
      clientId: credentials.clientId,
      applicationId: credentials.applicationId,
      clientSecret: secret.clientSecret,
      previousClientSecret: credentials.clientSecret,
      previousClientSecretExpiresAt: secret.oldSecretExpiresAt.toISOString(),
    };
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: this.secretName, SecretString: JSON.stringify(value), ClientRequestToken: requestToken(secret.notificationId) }));
    } catch (error) {
      throw new AppCredentialsUnavailableError(`the app secret could not be written (${(error as Error).name})`, { cause: (error as Error).name });
    }
    this.cached = Promise.resolve(toCredentials(value));
  }

  private async read(): Promise<{ raw: Record<string, unknown>; credentials: AppCredentials }> {
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
    const parsed = AppSecret.safeParse(value);
    if (!parsed.success) {
      throw new AppCredentialsUnavailableError(`the app secret lacks ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    }
    return { raw: value as Record<string, unknown>, credentials: toCredentials(parsed.data) };
  }
}

function toCredentials(data: z.infer<typeof AppSecret>): AppCredentials {
  const previous =
    data.previousClientSecret && data.previousClientSecretExpiresAt ? Object.freeze({ value: data.previousClientSecret, expiresAt: new Date(data.previousClientSecretExpiresAt) }) : null;
  // Without a rotation behind it the shape stays exactly what ops wrote: no `previousClientSecret` key.
  return Object.freeze({ clientId: data.clientId, clientSecret: data.clientSecret, applicationId: data.applicationId, ...(previous ? { previousClientSecret: previous } : {}) });
}

/** A UUID-shaped Secrets Manager request token (32–64 characters), the same for the same notification. */
function requestToken(notificationId: string): string {
  const hex = createHash('sha256').update(`new-client-secret\u001f${notificationId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
