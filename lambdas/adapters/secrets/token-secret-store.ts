import { GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretNotFoundError } from '../../ports/failures.js';
import type { StoredTokens, TokenSecretStore } from '../../ports/token-secrets.js';
import { isScheduledForDeletion } from './grant-secret-store.js';
import { parseStoredTokens } from './stored-tokens.js';

/**
 * The token service's access to grant secrets: reads the tokens (a given version, or the
 * current one) and stores a refresh's result as a new version, with the version id as client
 * request token so a retried write is idempotent. It never creates or restores a secret: one
 * scheduled for deletion belongs to a disconnected or replaced authorization.
 */
export class SecretsManagerTokenSecrets implements TokenSecretStore {
  constructor(private readonly client: SecretsManagerClient) {}

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
}
