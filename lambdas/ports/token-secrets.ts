/**
 * What a grant's secret holds once the token service has used it: the refresh token and the
 * access token last obtained with it. The access token is cached here, encrypted at rest by
 * Secrets Manager under the stage key, never in a table item.
 */
export interface StoredTokens {
  readonly refreshToken: string;
  readonly accessToken: string | null;
  readonly accessTokenExpiresAt: Date | null;
}

/** The token service's view of a grant's secret. */
export interface TokenSecretStore {
  /** The current version, or the version `versionId` when given. SecretNotFoundError when missing or scheduled for deletion. */
  readTokens(secretName: string, versionId?: string): Promise<StoredTokens>;
  /**
   * Writes a new version with id `versionId` (idempotent for the same id). Never creates or
   * restores a secret: a secret scheduled for deletion belongs to a disconnected or replaced
   * authorization, and stays so (SecretNotFoundError).
   */
  writeTokens(secretName: string, tokens: StoredTokens, versionId: string): Promise<void>;
}
