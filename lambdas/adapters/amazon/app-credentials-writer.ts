import { createHash } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AppCredentialsWriter, NewClientSecret } from '../../ports/app-credentials.js';
import { AppCredentialsUnavailableError } from '../../ports/failures.js';
import { SecretsManagerAppCredentials } from './app-credentials.js';

/**
 * The app secret with write access, for the notification handler only (a separate class, so
 * the functions that only read the secret do not bundle the write).
 */
export class SecretsManagerAppCredentialsWriter extends SecretsManagerAppCredentials implements AppCredentialsWriter {
  /**
   * The new secret becomes `clientSecret`; the one it replaces becomes `previousClientSecret`
   * until Amazon's stated expiry. Every other key of the secret is kept as ops wrote it. A
   * redelivered notice finds its secret already current and writes nothing; the request token
   * is derived from the notification id, so a retried write is one version, not two.
   */
  async storeNewSecret(secret: NewClientSecret): Promise<void> {
    const credentials = await this.reload();
    if (credentials.clientSecret === secret.clientSecret) return;
    // The raw JSON, so keys ops added survive the write.
    const raw = JSON.parse((await this.client.send(new GetSecretValueCommand({ SecretId: this.secretName }))).SecretString ?? '{}') as Record<string, unknown>;
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
    this.cached = undefined;
  }
}

/** A UUID-shaped Secrets Manager request token (32–64 characters), the same for the same notification. */
function requestToken(notificationId: string): string {
  const hex = createHash('sha256').update(`new-client-secret\u001f${notificationId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
