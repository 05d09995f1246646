import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseAppNotification } from '../contract/amazon-notifications.js';
import { clock } from '../shared/clock.js';
import { logger } from '../shared/logger.js';
import { type NotificationDeps, handleAppNotification } from '../usecases/app-credentials.js';
import { appCredentialsStatusStore, appCredentialsWriter } from './wiring/app-credentials-lifecycle.js';

export interface AppNotificationsHandlerDeps extends NotificationDeps {
  readonly logger: Pick<typeof logger, 'info' | 'warn' | 'error'>;
}

/**
 * Amazon's application notifications from the SQS queue registered in the Developer Console
 * (event source mapping with ReportBatchItemFailures). Each record is handled on its own:
 * - malformed (not JSON, not one of the two notifications): reported as a batch item failure,
 *   so SQS redelivers it and, after maxReceiveCount, moves it to the dead-letter queue;
 * - another application's client id, or a notification id already handled: deleted, nothing changes;
 * - a failure on our side: a batch item failure, retried by redelivery.
 * Log lines carry the SQS message id, the notification type and id and the outcome: never the
 * body, which may hold the new client secret.
 */
export function makeAppNotificationsHandler(deps: AppNotificationsHandlerDeps) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records ?? []) {
      const messageId = record.messageId;
      const parsed = parseAppNotification(record.body ?? '');
      if (!parsed.ok) {
        deps.logger.error('malformed app notification: left for the dead-letter queue', { messageId, problem: parsed.problem, receiveCount: record.attributes?.ApproximateReceiveCount });
        batchItemFailures.push({ itemIdentifier: messageId });
        continue;
      }
      const { notificationType } = parsed.notification;
      const notificationId = parsed.notification.notificationMetadata.notificationId;
      try {
        const outcome = await handleAppNotification(deps, parsed.notification);
        const line = { messageId, notificationType, notificationId, outcome };
        if (outcome === 'foreign-client') deps.logger.warn('app notification for another application ignored', line);
        else deps.logger.info('app notification handled', line);
      } catch (error) {
        deps.logger.error('app notification not handled: it will be redelivered', { messageId, notificationType, notificationId, error: (error as Error).name });
        batchItemFailures.push({ itemIdentifier: messageId });
      }
    }
    return { batchItemFailures };
  };
}

export const handler = makeAppNotificationsHandler({
  status: appCredentialsStatusStore(),
  credentials: appCredentialsWriter(),
  writer: appCredentialsWriter(),
  clock,
  logger,
});
