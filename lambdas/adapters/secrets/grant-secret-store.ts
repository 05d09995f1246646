import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { GrantSecretStore } from '../../ports/secret-store.js';
import { SecretNotFoundError } from '../../ports/failures.js';
import { SERVICE_NAME } from '../../shared/service.js';

export interface GrantSecretStoreOptions {
  readonly kmsKeyId?: string | undefined;
  readonly recoveryWindowDays: number;
  readonly stage: string;
}

/**
 * Refresh tokens in Secrets Manager, one secret per grant. A first authorization costs one
 * CreateSecret; a re-authorization finds the secret existing and writes a new version.
 * The client request token makes a retried write idempotent.
 */
export class SecretsManagerGrantSecretStore implements GrantSecretStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly options: GrantSecretStoreOptions,
  ) {}

  async putRefreshToken(secretName: string, refreshToken: string, requestToken: string): Promise<{ created: boolean }> {
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: secretName,
          SecretString: refreshToken,
          ClientRequestToken: requestToken,
          KmsKeyId: this.options.kmsKeyId,
          Description: 'LWA refresh token of one Amazon SP-API authorization (AoB Amazon Connect)',
          Tags: [
            { Key: 'service', Value: SERVICE_NAME },
            { Key: 'stage', Value: this.options.stage },
          ],
        }),
      );
      return { created: true };
    } catch (error) {
      if (error instanceof ResourceExistsException) {
        await this.putVersion(secretName, refreshToken, requestToken);
        return { created: false };
      }
      // Secrets Manager answers CreateSecret for a name waiting out its recovery window with
      // InvalidRequestException ("…already scheduled for deletion"), not ResourceExists.
      if (isScheduledForDeletion(error)) {
        await this.client.send(new RestoreSecretCommand({ SecretId: secretName }));
        await this.putVersion(secretName, refreshToken, requestToken);
        return { created: false };
      }
      throw error;
    }
  }

  private async putVersion(secretName: string, refreshToken: string, requestToken: string): Promise<void> {
    const put = () => this.client.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: refreshToken, ClientRequestToken: requestToken }));
    try {
      await put();
    } catch (error) {
      // A disconnected grant's secret waits out its recovery window; authorizing again brings it back.
      if (isScheduledForDeletion(error)) {
        await this.client.send(new RestoreSecretCommand({ SecretId: secretName }));
        await put();
        return;
      }
      throw error;
    }
  }

  async getRefreshToken(secretName: string): Promise<string> {
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: secretName }));
      if (!out.SecretString) throw new SecretNotFoundError();
      // The token service stores JSON ({refreshToken, accessToken, …}); the flow wrote the bare token.
      return out.SecretString.startsWith('{') ? String((JSON.parse(out.SecretString) as { refreshToken?: unknown }).refreshToken ?? '') : out.SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) throw new SecretNotFoundError({ cause: error });
      throw error;
    }
  }

  async scheduleDeletion(secretName: string): Promise<void> {
    try {
      await this.client.send(new DeleteSecretCommand({ SecretId: secretName, RecoveryWindowInDays: this.options.recoveryWindowDays }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      // Already scheduled for deletion: nothing more to do.
      if (isScheduledForDeletion(error)) return;
      throw error;
    }
  }
}

/** Secrets Manager's answer for a secret waiting out its recovery window: InvalidRequestException mentioning deletion. */
export function isScheduledForDeletion(error: unknown): boolean {
  return error instanceof InvalidRequestException && /deletion/i.test(error.message);
}

