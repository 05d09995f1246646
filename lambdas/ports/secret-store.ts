/** Where refresh tokens live: one secret per grant, under the stage's name prefix. */
export interface GrantSecretStore {
  /**
   * Creates or replaces the secret's value. `requestToken` makes a retry of the same write
   * idempotent (Secrets Manager ClientRequestToken). `created` is false when the secret already
   * existed, i.e. this replaces an earlier authorization of the same grant.
   */
  putRefreshToken(secretName: string, refreshToken: string, requestToken: string): Promise<{ created: boolean }>;
  /** SecretNotFoundError (ports/failures.ts) when the secret does not exist. */
  getRefreshToken(secretName: string): Promise<string>;
  /** Schedules deletion with a recovery window; never force-deletes. Missing secrets are fine. */
  scheduleDeletion(secretName: string): Promise<void>;
}

