import type { AppCredentialsStatus, AppNotificationType, ExpiryNotice, NewSecretNotice } from '../domain/app-credentials.js';

/** The LWA credentials of AoB's SP-API application, kept by ops in one app secret. */
export interface AppCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly applicationId: string;
  /**
   * The secret a rotation replaced, while Amazon still accepts it (until `expiresAt`, about
   * 7 days after the rotation). Null when there is none.
   */
  readonly previousClientSecret?: { readonly value: string; readonly expiresAt: Date } | null;
}

/**
 * Reads the app credentials once per container. `reload` re-reads them, for when LWA refuses
 * the cached client secret (it was rotated since the container started).
 */
export interface AppCredentialsProvider {
  get(): Promise<AppCredentials>;
  reload(): Promise<AppCredentials>;
}

/** A new client secret from Amazon's APPLICATION_OAUTH_CLIENT_NEW_SECRET notification. */
export interface NewClientSecret {
  readonly notificationId: string;
  readonly clientSecret: string;
  readonly oldSecretExpiresAt: Date;
}

/** Writes the app secret: the new client secret becomes current, the one it replaces is kept as previous. */
export interface AppCredentialsWriter {
  /**
   * Idempotent per notification: a second call for the same notification (a redelivered message
   * after a crash) writes the same value and changes nothing.
   */
  storeNewSecret(secret: NewClientSecret): Promise<void>;
}

export type RecordNoticeOutcome = 'recorded' | 'duplicate';

/** The app-credentials status (no secret in it) and the notification ids already handled. */
export interface AppCredentialsStatusStore {
  get(): Promise<AppCredentialsStatus>;
  /** Whether this notification was already handled. */
  seen(notificationId: string): Promise<boolean>;
  /**
   * Writes `next` (conditioned on `current.version`) together with the notification's dedupe
   * marker, atomically. `duplicate` when the marker already existed: nothing was written.
   * Throws `StatusConflictError` (ports/failures.ts) when someone else changed the status since it was read.
   */
  recordNotice(current: AppCredentialsStatus, next: AppCredentialsStatus, notice: { readonly notificationId: string; readonly type: AppNotificationType }): Promise<RecordNoticeOutcome>;
  /** Writes `next` conditioned on `current.version`; `conflict` when it changed meanwhile. */
  update(current: AppCredentialsStatus, next: AppCredentialsStatus): Promise<'recorded' | 'conflict'>;
}

export type { ExpiryNotice, NewSecretNotice };

/** Amazon's Application Management API: `rotateApplicationClientSecret`. */
export interface ApplicationManagement {
  /** Asks Amazon for a new client secret; it arrives later through the notification queue. */
  rotateClientSecret(): Promise<void>;
}

