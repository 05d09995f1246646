import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unlessConditionFails } from './conditional-write.js';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AppCredentialsStatus, AppNotificationType, LastNotification } from '../../domain/app-credentials.js';
import { EMPTY_STATUS } from '../../domain/app-credentials.js';
import { DAY_MS } from '../../domain/time.js';
import type { AppCredentialsStatusStore, RecordNoticeOutcome } from '../../ports/app-credentials.js';
import { StatusConflictError } from '../../ports/failures.js';

/**
 * The app-credentials status and the notification dedupe markers, in the service table:
 *
 * | item         | pk                          | sk             |
 * |--------------|-----------------------------|----------------|
 * | status       | APP#credentials             | STATUS         |
 * | notification | APP#notification#{id}       | NOTIFICATION   |
 *
 * Neither holds a secret. Markers expire (TTL) after 30 days: Amazon redelivers within hours,
 * and SQS keeps a message 4 days at most.
 */
export const STATUS_KEY = { pk: 'APP#credentials', sk: 'STATUS' } as const;
export const notificationKey = (notificationId: string) => ({ pk: `APP#notification#${notificationId}`, sk: 'NOTIFICATION' });
const MARKER_TTL_MS = 30 * DAY_MS;

interface StatusItem {
  clientSecretExpiresAt?: string;
  expiryReason?: string;
  alertsSent?: string[];
  rotationRequestedAt?: string;
  newSecretReceivedAt?: string;
  previousSecretExpiresAt?: string;
  lastNotification?: { type: AppNotificationType; notificationId: string; receivedAt: string };
  version?: number;
}

const date = (v: string | undefined) => (v ? new Date(v) : null);
const iso = (d: Date | null) => d?.toISOString();

export function fromStatusItem(item: Record<string, unknown> | undefined): AppCredentialsStatus {
  if (!item) return EMPTY_STATUS;
  const i = item as StatusItem;
  const last: LastNotification | null = i.lastNotification
    ? { type: i.lastNotification.type, notificationId: i.lastNotification.notificationId, receivedAt: new Date(i.lastNotification.receivedAt) }
    : null;
  return {
    clientSecretExpiresAt: date(i.clientSecretExpiresAt),
    expiryReason: i.expiryReason ?? null,
    alertsSent: i.alertsSent ?? [],
    rotationRequestedAt: date(i.rotationRequestedAt),
    newSecretReceivedAt: date(i.newSecretReceivedAt),
    previousSecretExpiresAt: date(i.previousSecretExpiresAt),
    lastNotification: last,
    version: i.version ?? 0,
  };
}

function toStatusItem(s: AppCredentialsStatus, version: number): Record<string, unknown> {
  return {
    ...STATUS_KEY,
    type: 'app-credentials',
    clientSecretExpiresAt: iso(s.clientSecretExpiresAt),
    expiryReason: s.expiryReason ?? undefined,
    alertsSent: [...s.alertsSent],
    rotationRequestedAt: iso(s.rotationRequestedAt),
    newSecretReceivedAt: iso(s.newSecretReceivedAt),
    previousSecretExpiresAt: iso(s.previousSecretExpiresAt),
    lastNotification: s.lastNotification
      ? { type: s.lastNotification.type, notificationId: s.lastNotification.notificationId, receivedAt: s.lastNotification.receivedAt.toISOString() }
      : undefined,
    version,
  };
}

/** The status write's condition: nothing there yet (version 0), or the version that was read. */
function versionCondition(current: AppCredentialsStatus) {
  return current.version === 0
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': current.version } };
}

export class DynamoAppCredentialsStatusStore implements AppCredentialsStatusStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(): Promise<AppCredentialsStatus> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: STATUS_KEY, ConsistentRead: true }));
    return fromStatusItem(out.Item);
  }

  async seen(notificationId: string): Promise<boolean> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: notificationKey(notificationId), ConsistentRead: true, ProjectionExpression: 'pk' }));
    return out.Item !== undefined;
  }

  async recordNotice(current: AppCredentialsStatus, next: AppCredentialsStatus, notice: { notificationId: string; type: AppNotificationType }): Promise<RecordNoticeOutcome> {
    const now = this.now();
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...notificationKey(notice.notificationId), type: 'app-notification', notificationType: notice.type, receivedAt: now.toISOString(), ttl: Math.floor((now.getTime() + MARKER_TTL_MS) / 1000) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: toStatusItem(next, current.version + 1), ...versionCondition(current) } },
          ],
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [marker, status] = error.CancellationReasons ?? [];
      if (marker?.Code === 'ConditionalCheckFailed') return 'duplicate';
      if (status?.Code === 'ConditionalCheckFailed') throw new StatusConflictError();
      throw error;
    }
  }

  async update(current: AppCredentialsStatus, next: AppCredentialsStatus): Promise<'recorded' | 'conflict'> {
    const out = await unlessConditionFails(this.client.send(new PutCommand({ TableName: this.tableName, Item: toStatusItem(next, current.version + 1), ...versionCondition(current) })));
    return out === null ? 'conflict' : 'recorded';
  }
}
