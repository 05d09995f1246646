import { type AlertThreshold, alertSteps } from './alerts.js';
import { eventId } from './events.js';
import { DAY_MS, HOUR_MS } from './time.js';

/**
 * The life of the app's LWA client secret as the service knows it from Amazon's notifications:
 * when the current secret expires, which expiry warnings were sent, whether a rotation was asked
 * for and when the last new secret arrived. Pure: no AWS, "now" passed in. Never holds a secret.
 */

/** Amazon rotates (and expires) the secret every 180 days; the old one works about 7 days after a rotation. */
export const CLIENT_SECRET_LIFETIME_MS = 180 * DAY_MS;
export const OLD_SECRET_GRACE_MS = 7 * DAY_MS;
/** `rotateApplicationClientSecret` allows about one call a minute. */
export const ROTATION_MIN_INTERVAL_MS = 60_000;

export type AppNotificationType = 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY' | 'APPLICATION_OAUTH_CLIENT_NEW_SECRET';

export interface LastNotification {
  readonly type: AppNotificationType;
  readonly notificationId: string;
  readonly receivedAt: Date;
}

export interface AppCredentialsStatus {
  /** When the current client secret stops working; null until Amazon said so. */
  readonly clientSecretExpiresAt: Date | null;
  readonly expiryReason: string | null;
  /** Warning labels (`30d`, `7d`, `1d`) already handled for `clientSecretExpiresAt`. */
  readonly alertsSent: readonly string[];
  /** The last `rotateApplicationClientSecret` call Amazon accepted (204). */
  readonly rotationRequestedAt: Date | null;
  /** When the newest secret arrived (APPLICATION_OAUTH_CLIENT_NEW_SECRET). */
  readonly newSecretReceivedAt: Date | null;
  /** Until when the previous secret is still accepted (the notice's oldClientSecretExpiryTime). */
  readonly previousSecretExpiresAt: Date | null;
  readonly lastNotification: LastNotification | null;
  /** Optimistic-locking counter; 0 before anything was recorded. */
  readonly version: number;
}

export const EMPTY_STATUS: AppCredentialsStatus = Object.freeze({
  clientSecretExpiresAt: null,
  expiryReason: null,
  alertsSent: [],
  rotationRequestedAt: null,
  newSecretReceivedAt: null,
  previousSecretExpiresAt: null,
  lastNotification: null,
  version: 0,
});

export interface ExpiryNotice {
  readonly notificationId: string;
  readonly clientSecretExpiresAt: Date;
  readonly reason: string | null;
}

/** A new secret's facts, without the secret itself (it goes to the secret store only). */
export interface NewSecretNotice {
  readonly notificationId: string;
  readonly newSecretExpiresAt: Date;
  readonly oldSecretExpiresAt: Date;
}

/** Records an expiry notice. A changed expiry starts its warnings afresh; a repeated one keeps what was sent. */
export function withExpiryNotice(status: AppCredentialsStatus, notice: ExpiryNotice, now: Date): AppCredentialsStatus {
  const same = status.clientSecretExpiresAt?.getTime() === notice.clientSecretExpiresAt.getTime();
  return {
    ...status,
    clientSecretExpiresAt: notice.clientSecretExpiresAt,
    expiryReason: notice.reason,
    alertsSent: same ? status.alertsSent : [],
    lastNotification: { type: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY', notificationId: notice.notificationId, receivedAt: now },
  };
}

/** Records a new secret: its expiry becomes the one warned about, the old one's grace is kept. */
export function withNewSecret(status: AppCredentialsStatus, notice: NewSecretNotice, now: Date): AppCredentialsStatus {
  return {
    ...status,
    clientSecretExpiresAt: notice.newSecretExpiresAt,
    expiryReason: null,
    alertsSent: [],
    newSecretReceivedAt: now,
    previousSecretExpiresAt: notice.oldSecretExpiresAt,
    lastNotification: { type: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET', notificationId: notice.notificationId, receivedAt: now },
  };
}

export interface DueSecretAlert {
  /** The one warning to send now: the most urgent that applies. */
  readonly label: string;
  /** Earlier warnings whose time also passed (missed runs): marked handled without an event. */
  readonly passed: readonly string[];
}

/**
 * The expiry warning due at `now`, if any: once per threshold, only the most urgent after missed
 * runs, nothing once the secret has expired (LWA's invalid_client alarms take over then).
 */
export function dueSecretAlert(status: AppCredentialsStatus, thresholds: readonly AlertThreshold[], now: Date): DueSecretAlert | null {
  const expiresAt = status.clientSecretExpiresAt;
  if (!expiresAt || now.getTime() >= expiresAt.getTime()) return null;
  const steps = alertSteps(expiresAt, thresholds).filter((s) => s.kind === 'expiring');
  const lastHandled = steps.reduce((last, step, i) => (status.alertsSent.includes(step.label) ? i : last), -1);
  const due = steps.slice(lastHandled + 1).filter((s) => s.at.getTime() <= now.getTime());
  const step = due.at(-1);
  if (!step) return null;
  return { label: step.label, passed: due.slice(0, -1).map((s) => s.label) };
}

export function withAlertsSent(status: AppCredentialsStatus, labels: readonly string[]): AppCredentialsStatus {
  return { ...status, alertsSent: [...status.alertsSent, ...labels.filter((l) => !status.alertsSent.includes(l))] };
}

/** Whether a rotation asked for is still waiting for its new secret. */
export function rotationPending(status: AppCredentialsStatus): boolean {
  const asked = status.rotationRequestedAt;
  return !!asked && !(status.newSecretReceivedAt && status.newSecretReceivedAt.getTime() >= asked.getTime());
}

/**
 * Whether the sweep should call `rotateApplicationClientSecret` now: the current secret expires
 * within `rotateWithinMs`, it has not expired yet, and no rotation is already waiting for its secret.
 */
export function rotationDue(status: AppCredentialsStatus, rotateWithinMs: number, now: Date): boolean {
  const expiresAt = status.clientSecretExpiresAt;
  if (!expiresAt) return false;
  const left = expiresAt.getTime() - now.getTime();
  return left > 0 && left <= rotateWithinMs && !rotationPending(status);
}

/** A rotation Amazon accepted more than `graceMs` ago whose new secret never arrived. */
export function rotationOverdue(status: AppCredentialsStatus, graceMs: number, now: Date): boolean {
  return rotationPending(status) && now.getTime() - (status.rotationRequestedAt as Date).getTime() > graceMs;
}

/** Whether a rotation may be asked for now without tripping Amazon's one-call-a-minute limit. */
export function rotationAllowed(status: AppCredentialsStatus, now: Date): boolean {
  return !status.rotationRequestedAt || now.getTime() - status.rotationRequestedAt.getTime() >= ROTATION_MIN_INTERVAL_MS;
}

export const APP_DETAIL_TYPES = {
  credentialsExpiring: 'Amazon App Credentials Expiring',
} as const;

export interface AppCredentialsExpiringDetail {
  readonly eventId: string;
  readonly version: '1';
  readonly stage: string;
  readonly threshold: string;
  readonly clientSecretExpiresAt: string;
  readonly daysRemaining: number;
  readonly hoursRemaining: number;
  /** The service calls rotateApplicationClientSecret by itself inside the rotation window. */
  readonly autoRotation: boolean;
  /** A rotation was asked for and its new secret has not arrived yet. */
  readonly rotationPending: boolean;
}

export interface AppCredentialsEvent {
  readonly detailType: (typeof APP_DETAIL_TYPES)[keyof typeof APP_DETAIL_TYPES];
  readonly detail: AppCredentialsExpiringDetail;
}

/** Same stage, threshold and expiry: same eventId, however often it is sent. */
export function appCredentialsExpiringEvent(
  status: AppCredentialsStatus,
  threshold: string,
  now: Date,
  options: { readonly stage: string; readonly autoRotation: boolean },
): AppCredentialsEvent {
  const expiresAt = status.clientSecretExpiresAt as Date;
  const remaining = Math.max(0, expiresAt.getTime() - now.getTime());
  return {
    detailType: APP_DETAIL_TYPES.credentialsExpiring,
    detail: {
      eventId: eventId('app-credentials-expiring', options.stage, threshold, expiresAt.toISOString()),
      version: '1',
      stage: options.stage,
      threshold,
      clientSecretExpiresAt: expiresAt.toISOString(),
      daysRemaining: Math.ceil(remaining / DAY_MS),
      hoursRemaining: Math.ceil(remaining / HOUR_MS),
      autoRotation: options.autoRotation,
      rotationPending: rotationPending(status),
    },
  };
}
