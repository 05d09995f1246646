import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AMAZON_NOTIFICATIONS_ACCOUNT, NOTIFICATION_MAX_RECEIVE_COUNT } from '../names.js';

export { AMAZON_NOTIFICATIONS_ACCOUNT, NOTIFICATION_MAX_RECEIVE_COUNT };

export interface NotificationQueueProps {
  readonly queueName: string;
  /** The consuming function's timeout: the visibility timeout is six times it (Lambda's guidance for SQS event sources). */
  readonly consumerTimeout: Duration;
}

/**
 * The SQS queue Amazon delivers the application notifications to (client secret expiry, new
 * client secret), registered by hand in the Developer Console: so its name, and so its ARN, is
 * fixed and the queue is RETAIN. Encrypted at rest (SQS-managed keys, which Amazon's sender can
 * use without a KMS grant), TLS-only; only Amazon's notification account may SendMessage. A
 * message that fails three receives (a malformed one) moves to its own dead-letter queue, which
 * is alarmed: the bodies may hold a client secret, so they are kept apart from the service's
 * other dead letters and for 4 days only.
 */
export class NotificationQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: NotificationQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      queueName: `${props.queueName}-dead-letters`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const dlqReason = 'This queue is itself the dead-letter queue of the notification queue; nothing consumes it automatically, its depth alarm brings a person to read it.';
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: dlqReason });
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: dlqReason });

    this.queue = new Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: NOTIFICATION_MAX_RECEIVE_COUNT },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AmazonSellingPartnerNotifications',
        effect: Effect.ALLOW,
        principals: [new AccountPrincipal(AMAZON_NOTIFICATIONS_ACCOUNT)],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
      }),
    );
  }
}
