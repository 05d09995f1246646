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
import { type GrantSecretStore, SecretNotFoundError } from '../../ports/secret-store.js';
import type { StoredTokens, TokenSecretStore } from '../../ports/token-secrets.js';

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
export class SecretsManagerGrantSecretStore implements GrantSecretStore, TokenSecretStore {
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
            { Key: 'service', Value: 'aob-amazon-connect' },
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
    return (await this.readTokens(secretName)).refreshToken;
  }

  /**
   * A secret written by the authorization flow holds the bare refresh token; once the token
   * service has refreshed it, a JSON document with the cached access token. Both are read.
   */
  async readTokens(secretName: string, versionId?: string): Promise<StoredTokens> {
    let value: string | undefined;
    try {
      value = (await this.client.send(new GetSecretValueCommand({ SecretId: secretName, VersionId: versionId }))).SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException || isScheduledForDeletion(error)) throw new SecretNotFoundError({ cause: error });
      throw error;
    }
    if (!value) throw new SecretNotFoundError();
    return parseStoredTokens(value);
  }

  async writeTokens(secretName: string, tokens: StoredTokens, versionId: string): Promise<void> {
    const body = JSON.stringify({ refreshToken: tokens.refreshToken, accessToken: tokens.accessToken, accessTokenExpiresAt: tokens.accessTokenExpiresAt?.toISOString() ?? null });
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: body, ClientRequestToken: versionId }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException || isScheduledForDeletion(error)) throw new SecretNotFoundError({ cause: error });
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
function isScheduledForDeletion(error: unknown): boolean {
  return error instanceof InvalidRequestException && /deletion/i.test(error.message);
}

/** The secret's value: a bare refresh token (`Atzr|…`, as the authorization flow writes it) or the token service's JSON. */
export function parseStoredTokens(value: string): StoredTokens {
  if (!value.startsWith('{')) return { refreshToken: value, accessToken: null, accessTokenExpiresAt: null };
  let parsed: { refreshToken?: unknown; accessToken?: unknown; accessTokenExpiresAt?: unknown };
  try {
    parsed = JSON.parse(value) as typeof parsed;
  } catch {
    throw new SecretNotFoundError();
  }
  if (typeof parsed.refreshToken !== 'string' || parsed.refreshToken === '') throw new SecretNotFoundError();
  const expiresAt = typeof parsed.accessTokenExpiresAt === 'string' ? new Date(parsed.accessTokenExpiresAt) : null;
  return {
    refreshToken: parsed.refreshToken,
    accessToken: typeof parsed.accessToken === 'string' && expiresAt && !Number.isNaN(expiresAt.getTime()) ? parsed.accessToken : null,
    accessTokenExpiresAt: expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt : null,
  };
}
