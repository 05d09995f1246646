import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from './config.js';
import { AppCredentialsSecret } from './constructs/app-credentials-secret.js';
import { NotificationQueue } from './constructs/notification-queue.js';
import { ServiceTable } from './constructs/service-table.js';
import { stageNames } from './names.js';

/** What the stateless stack needs from the stateful one: passed as typed props, never looked up. */
export interface StatefulResources {
  readonly dataKey: IKey;
  readonly serviceTable: ServiceTable;
  readonly eventBus: IEventBus;
  readonly appSecret: ISecret;
  /** The app secret's fixed name (an ISecret only knows it through its ARN, which has a random suffix). */
  readonly appSecretName: string;
  readonly grantSecretPrefix: string;
  /** Amazon's application notifications (registered in the Developer Console) and their dead-letter queue. */
  readonly notificationQueue: IQueue;
  readonly notificationDeadLetterQueue: IQueue;
}

/** The consumer of the notification queue (AppNotifications) must finish within this; the queue's visibility timeout is six times it. */
export const NOTIFICATION_CONSUMER_TIMEOUT = Duration.seconds(30);

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Everything that holds data or identity and must outlive a redeploy: the customer KMS key, the
 * table, the event bus and the app-credentials secret. Kept apart from the functions and the API
 * so the stateless stack can be replaced freely; the key, table and secret are RETAIN.
 * Grant secrets are created at run time by the callback (under `grantSecretPrefix`, with this
 * key), not by CloudFormation.
 */
export class StatefulStack extends Stack implements StatefulResources {
  readonly dataKey: Key;
  readonly serviceTable: ServiceTable;
  readonly eventBus: EventBus;
  readonly appSecret: ISecret;
  readonly appSecretName: string;
  readonly grantSecretPrefix: string;
  readonly notificationQueue: IQueue;
  readonly notificationDeadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const names = stageNames(props.config.stage);
    this.grantSecretPrefix = names.grantSecretPrefix;
    this.appSecretName = names.appSecretName;

    this.dataKey = new Key(this, 'DataKey', {
      alias: names.dataKeyAlias,
      description: `AoB Amazon Connect (${props.config.stage}): encrypts the table, the app credentials and every grant refresh-token secret`,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.serviceTable = new ServiceTable(this, 'Store', { tableName: names.tableName, encryptionKey: this.dataKey });

    this.eventBus = new EventBus(this, 'Bus', { eventBusName: names.eventBusName });

    this.appSecret = new AppCredentialsSecret(this, 'AppCredentials', { secretName: names.appSecretName, encryptionKey: this.dataKey }).secret;

    const notifications = new NotificationQueue(this, 'AppNotifications', { queueName: names.notificationQueueName, consumerTimeout: NOTIFICATION_CONSUMER_TIMEOUT });
    this.notificationQueue = notifications.queue;
    this.notificationDeadLetterQueue = notifications.deadLetterQueue;
    new CfnOutput(this, 'NotificationQueueArn', {
      value: notifications.queue.queueArn,
      description: "Register this in Amazon's Developer Console as the app's SQS notification destination (docs/deploy.md)",
    });
    new CfnOutput(this, 'NotificationDeadLetterQueueUrl', { value: notifications.deadLetterQueue.queueUrl, description: 'Malformed or unhandled Amazon notifications (alarmed)' });

    new CfnOutput(this, 'TableName', { value: this.serviceTable.table.tableName, description: 'DynamoDB table (RETAIN, deletion protection on)' });
    new CfnOutput(this, 'DataKeyArn', { value: this.dataKey.keyArn, description: 'Customer KMS key of the table and all secrets (RETAIN)' });
  }
}
