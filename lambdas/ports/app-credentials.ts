/** The LWA credentials of AoB's SP-API application, kept by ops in one app secret. */
export interface AppCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly applicationId: string;
}

/**
 * Reads the app credentials once per container. `reload` re-reads them, for when LWA refuses
 * the cached client secret (it was rotated since the container started).
 */
export interface AppCredentialsProvider {
  get(): Promise<AppCredentials>;
  reload(): Promise<AppCredentials>;
}

/** The app secret is missing, unreadable or malformed. An ops problem; sellers can do nothing about it. */
export class AppCredentialsUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppCredentialsUnavailableError';
  }
}
