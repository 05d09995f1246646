import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Where the service parks what it could not deliver: schedule deliveries to the sweep, failed
 * asynchronous sweep invocations, on-call notifications EventBridge could not publish and email
 * deliveries SNS gave up on. Encrypted at rest (SQS-managed keys: the messages are event
 * envelopes with ids, never tokens), TLS-only, kept 14 days; any message raises an alarm.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: { readonly queueName: string }) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason = 'This queue is itself the dead-letter queue; nothing consumes it automatically, its depth alarm brings a person to read it.';
    Validations.of(this.queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
    Validations.of(this.queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
  }
}
