import type { AlertThreshold } from '../domain/alerts.js';
import {
  type AppCredentialsEvent,
  type AppCredentialsStatus,
  type AppNotificationType,
  appCredentialsExpiringEvent,
  dueSecretAlert,
  rotationAllowed,
  rotationDue,
  rotationOverdue,
  withAlertsSent,
  withExpiryNotice,
  withNewSecret,
} from '../domain/app-credentials.js';
import type { AppNotification } from '../contract/amazon-notifications.js';
import { RotationTooSoonError } from '../domain/errors.js';
import type { AppCredentialsProvider, AppCredentialsStatusStore, AppCredentialsWriter, ApplicationManagement } from '../ports/app-credentials.js';
import { StatusConflictError } from '../ports/failures.js';
import type { BusPublisher } from '../ports/bus-event.js';
import type { Clock } from '../ports/clock.js';

/**
 * The app's LWA client secret over its life: Amazon's two notifications (expiry notice, new
 * secret), the expiry warnings and the automatic rotation the hourly sweep drives, and the
 * rotation on-call asks for. No secret ever leaves `AppCredentialsWriter`: outcomes and
 * summaries carry dates, ids and names only.
 */

export type NotificationOutcome = 'recorded' | 'duplicate' | 'foreign-client';

export interface NotificationDeps {
  readonly status: AppCredentialsStatusStore;
  readonly credentials: AppCredentialsProvider;
  readonly writer: AppCredentialsWriter;
  readonly clock: Clock;
}

/** Attempts to record a notice when a concurrent write (another message, the sweep) got in between. */
const RECORD_ATTEMPTS = 3;

/**
 * Handles one validated notification. Other applications' client ids are ignored; a
 * notification id already handled changes nothing (the marker and the status are written in one
 * transaction, so a crash in between cannot lose or double a notice). A new secret is stored
 * before the status says so, and the write is idempotent, so a redelivery after a crash
 * completes the same step.
 */
export async function handleAppNotification(deps: NotificationDeps, notification: AppNotification): Promise<NotificationOutcome> {
  const notificationId = notification.notificationMetadata.notificationId;
  const clientId =
    notification.notificationType === 'APPLICATION_OAUTH_CLIENT_NEW_SECRET'
      ? notification.payload.applicationOAuthClientNewSecret.clientId
      : notification.payload.applicationOAuthClientSecretExpiry.clientId;
  const app = await deps.credentials.get();
  if (clientId !== app.clientId) return 'foreign-client';
  if (await deps.status.seen(notificationId)) return 'duplicate';

  let apply: (status: AppCredentialsStatus, now: Date) => AppCredentialsStatus;
  const type: AppNotificationType = notification.notificationType;
  if (notification.notificationType === 'APPLICATION_OAUTH_CLIENT_NEW_SECRET') {
    const secret = notification.payload.applicationOAuthClientNewSecret;
    const notice = { notificationId, newSecretExpiresAt: new Date(secret.newClientSecretExpiryTime), oldSecretExpiresAt: new Date(secret.oldClientSecretExpiryTime) };
    await deps.writer.storeNewSecret({ notificationId, clientSecret: secret.newClientSecret, oldSecretExpiresAt: notice.oldSecretExpiresAt });
    apply = (status, now) => withNewSecret(status, notice, now);
  } else {
    const expiry = notification.payload.applicationOAuthClientSecretExpiry;
    const notice = { notificationId, clientSecretExpiresAt: new Date(expiry.clientSecretExpiryTime), reason: expiry.clientSecretExpiryReason ?? null };
    apply = (status, now) => withExpiryNotice(status, notice, now);
  }

  for (let attempt = 1; ; attempt++) {
    const current = await deps.status.get();
    try {
      return await deps.status.recordNotice(current, apply(current, deps.clock.now()), { notificationId, type });
    } catch (error) {
      if (!(error instanceof StatusConflictError) || attempt >= RECORD_ATTEMPTS) throw error;
    }
  }
}

export interface RotationDeps {
  readonly status: AppCredentialsStatusStore;
  readonly amazon: ApplicationManagement;
  readonly clock: Clock;
}

/**
 * Calls `rotateApplicationClientSecret` once. The call is claimed first with a conditional write
 * of `rotationRequestedAt`, so two callers (the sweep and on-call, or two sweeps) never both call
 * Amazon; if Amazon refuses, the claim is taken back so the next sweep tries again.
 */
export async function requestRotation(deps: RotationDeps): Promise<{ readonly requestedAt: Date }> {
  const now = deps.clock.now();
  const status = await deps.status.get();
  if (!rotationAllowed(status, now)) throw new RotationTooSoonError(status.rotationRequestedAt as Date);
  const claimed: AppCredentialsStatus = { ...status, rotationRequestedAt: now };
  if ((await deps.status.update(status, claimed)) === 'conflict') throw new RotationTooSoonError(now);
  try {
    await deps.amazon.rotateClientSecret();
  } catch (error) {
    await deps.status.update({ ...claimed, version: status.version + 1 }, { ...claimed, rotationRequestedAt: status.rotationRequestedAt }).catch(() => undefined);
    throw error;
  }
  return { requestedAt: now };
}

export interface AppCredentialsSweepDeps extends RotationDeps {
  readonly publisher: BusPublisher;
  readonly thresholds: readonly AlertThreshold[];
  readonly stage: string;
  readonly rotation: {
    /** Call rotateApplicationClientSecret by itself inside the window. */
    readonly auto: boolean;
    readonly withinMs: number;
    /** How long a new secret may take to arrive after a rotation before on-call is alarmed. */
    readonly graceMs: number;
  };
}

export interface AppCredentialsSweepSummary {
  /** The warning sent this run (`30d`, `7d`, `1d`), if any. */
  readonly warned: string | null;
  /** The warning was refused by the bus or not recorded: the next run sends it again. */
  readonly warningFailed: string | null;
  readonly rotationRequested: boolean;
  /** Amazon refused or failed the rotation: the error's name. */
  readonly rotationFailed: string | null;
  /** A rotation is older than the grace period and its new secret never came. */
  readonly rotationOverdue: boolean;
  readonly clientSecretExpiresAt: string | null;
}

/**
 * The app-credentials part of the hourly sweep: the expiry warning due now (exactly once per
 * threshold: published first, recorded after, with a version condition; the eventId is
 * deterministic, so a crash in between repeats the same event, never a different one), the
 * automatic rotation inside its window, and the overdue check.
 */
export async function sweepAppCredentials(deps: AppCredentialsSweepDeps): Promise<AppCredentialsSweepSummary> {
  const now = deps.clock.now();
  let status = await deps.status.get();
  let warned: string | null = null;
  let warningFailed: string | null = null;

  const due = dueSecretAlert(status, deps.thresholds, now);
  if (due) {
    const event: AppCredentialsEvent = appCredentialsExpiringEvent(status, due.label, now, { stage: deps.stage, autoRotation: deps.rotation.auto });
    const refused = await deps.publisher.publish([event]).then(
      (r) => r.failed.length > 0,
      () => true,
    );
    if (refused) warningFailed = due.label;
    else {
      const next = withAlertsSent(status, [...due.passed, due.label]);
      if ((await deps.status.update(status, next)) === 'recorded') {
        warned = due.label;
        status = { ...next, version: status.version + 1 };
      } else warningFailed = due.label;
    }
  }

  let rotationRequested = false;
  let rotationFailed: string | null = null;
  if (deps.rotation.auto && rotationDue(status, deps.rotation.withinMs, now) && rotationAllowed(status, now)) {
    try {
      await requestRotation(deps);
      rotationRequested = true;
      status = await deps.status.get();
    } catch (error) {
      rotationFailed = (error as Error).name || 'Error';
    }
  }

  return {
    warned,
    warningFailed,
    rotationRequested,
    rotationFailed,
    rotationOverdue: rotationOverdue(status, deps.rotation.graceMs, now),
    clientSecretExpiresAt: status.clientSecretExpiresAt?.toISOString() ?? null,
  };
}
