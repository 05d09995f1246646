import type { AppCredentialsStatus, AppNotificationType } from '../../lambdas/domain/app-credentials.js';
import { EMPTY_STATUS } from '../../lambdas/domain/app-credentials.js';
import type { AppCredentials, AppCredentialsProvider, AppCredentialsStatusStore, AppCredentialsWriter, NewClientSecret, RecordNoticeOutcome } from '../../lambdas/ports/app-credentials.js';
import { StatusConflictError } from '../../lambdas/ports/failures.js';

/** Fixtures for the client-secret life cycle: Amazon's two notifications, an in-memory status table and app secret. */

export const APP = { clientId: 'amzn1.application-oa2-client.aob0000000000000000000000000000', clientSecret: 'amzn1.oa2-cs.v1.MARKER-OLD-SECRET', applicationId: 'amzn1.sp.solution.aob' } as const;
export const NEW_SECRET = 'amzn1.oa2-cs.v1.MARKER-NEW-SECRET';

let counter = 0;
const nextId = () => `notif-${(counter += 1)}-${Date.now().toString(36)}`;

export function anExpiryNotice(overrides: { clientId?: string; expiresAt?: Date; notificationId?: string; reason?: string } = {}) {
  return {
    notificationVersion: '1.0',
    notificationType: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY',
    payloadVersion: '2023-12-13',
    eventTime: '2026-06-01T00:00:00.000Z',
    payload: {
      applicationOAuthClientSecretExpiry: {
        clientId: overrides.clientId ?? APP.clientId,
        clientSecretExpiryTime: (overrides.expiresAt ?? new Date('2026-07-01T00:00:00.000Z')).toISOString(),
        clientSecretExpiryReason: overrides.reason ?? 'PERIODIC_ROTATION',
      },
    },
    notificationMetadata: { applicationId: APP.applicationId, subscriptionId: 'sub-1', publishTime: '2026-06-01T00:00:00.000Z', notificationId: overrides.notificationId ?? nextId() },
  };
}

export function aNewSecretNotice(overrides: { clientId?: string; secret?: string; newExpiresAt?: Date; oldExpiresAt?: Date; notificationId?: string } = {}) {
  return {
    notificationVersion: '1.0',
    notificationType: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET',
    payloadVersion: '2023-12-13',
    eventTime: '2026-06-25T00:00:00.000Z',
    payload: {
      applicationOAuthClientNewSecret: {
        clientId: overrides.clientId ?? APP.clientId,
        newClientSecret: overrides.secret ?? NEW_SECRET,
        newClientSecretExpiryTime: (overrides.newExpiresAt ?? new Date('2026-12-22T00:00:00.000Z')).toISOString(),
        oldClientSecretExpiryTime: (overrides.oldExpiresAt ?? new Date('2026-07-02T00:00:00.000Z')).toISOString(),
      },
    },
    notificationMetadata: { applicationId: APP.applicationId, subscriptionId: 'sub-1', publishTime: '2026-06-25T00:00:00.000Z', notificationId: overrides.notificationId ?? nextId() },
  };
}

/** An SQS event as Lambda's event source mapping hands it over. */
export function sqsEvent(...bodies: (string | object)[]) {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `msg-${i}`,
      receiptHandle: `rh-${i}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: '437568002678', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:aob-amazon-connect-test-app-notifications',
      awsRegion: 'eu-west-1',
    })),
  };
}

export class InMemoryStatusStore implements AppCredentialsStatusStore {
  status: AppCredentialsStatus = EMPTY_STATUS;
  readonly markers = new Map<string, AppNotificationType>();
  writes = 0;
  /** Makes the next `n` status writes find the version changed (a concurrent writer). */
  conflicts = 0;

  async get() {
    return this.status;
  }
  async seen(id: string) {
    return this.markers.has(id);
  }
  async recordNotice(current: AppCredentialsStatus, next: AppCredentialsStatus, notice: { notificationId: string; type: AppNotificationType }): Promise<RecordNoticeOutcome> {
    if (this.markers.has(notice.notificationId)) return 'duplicate';
    if (this.conflicts > 0 || current.version !== this.status.version) {
      this.conflicts = Math.max(0, this.conflicts - 1);
      throw new StatusConflictError();
    }
    this.markers.set(notice.notificationId, notice.type);
    this.status = { ...next, version: current.version + 1 };
    this.writes += 1;
    return 'recorded';
  }
  async update(current: AppCredentialsStatus, next: AppCredentialsStatus) {
    if (current.version !== this.status.version) return 'conflict' as const;
    this.status = { ...next, version: current.version + 1 };
    this.writes += 1;
    return 'recorded' as const;
  }
}

/** The app secret in memory, with the adapter's idempotent new-secret write. */
export class InMemoryAppSecret implements AppCredentialsProvider, AppCredentialsWriter {
  value: AppCredentials = { ...APP };
  writes = 0;
  async get() {
    return this.value;
  }
  async reload() {
    return this.value;
  }
  async storeNewSecret(secret: NewClientSecret) {
    if (this.value.clientSecret === secret.clientSecret) return;
    this.value = { ...this.value, clientSecret: secret.clientSecret, previousClientSecret: { value: this.value.clientSecret, expiresAt: secret.oldSecretExpiresAt } };
    this.writes += 1;
  }
}
