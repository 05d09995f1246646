import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, QueueDoesNotExist, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { type AwsStandIns, startAwsStandIns } from '../../local/aws/server.js';
import { FakeClock } from '../builders/clock.js';

/**
 * The SQS stand-in through the unmodified AWS SDK v3 client (JSON 1.0, x-amz-target
 * AmazonSQS.*, MD5 checks on): visibility timeout on the service clock, redrive to the
 * dead-letter queue after maxReceiveCount receives.
 */
describe('local SQS stand-in (SDK v3 client)', () => {
  let aws: AwsStandIns;
  const clock = new FakeClock(new Date('2026-06-01T00:00:00.000Z'));
  let sqs: SQSClient;
  let url: string;
  let dlqUrl: string;

  beforeAll(async () => {
    aws = await startAwsStandIns({ clock, region: 'eu-west-1', busNames: [] });
    dlqUrl = aws.sqs.createQueue('notes-dlq').url;
    url = aws.sqs.createQueue('notes', { visibilityTimeoutSeconds: 60, redrive: { deadLetterQueue: 'notes-dlq', maxReceiveCount: 2 } }).url;
    sqs = new SQSClient({ endpoint: aws.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    sqs.destroy();
    await aws.stop();
  });

  it('sends, receives with MD5 and attributes, hides a received message for the visibility timeout and deletes it', async () => {
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'notes' }))).QueueUrl).toBe(url);
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"hello":"world"}' }));
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);

    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    expect(first.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['{"hello":"world"}', '1']]);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages ?? []).toEqual([]);

    clock.advance(61_000);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(again.Messages).toHaveLength(1);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages?.[0]?.ReceiptHandle }));
    clock.advance(61_000);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages ?? []).toEqual([]);
  });

  it('moves a message received maxReceiveCount times to the dead-letter queue on its next receive', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) {
      expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toHaveLength(1);
      clock.advance(61_000);
    }
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages ?? []).toEqual([]);
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['All'] }));
    expect(attributes.Attributes?.ApproximateNumberOfMessages).toBe('1');
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }))).Messages?.[0]?.Body).toBe('poison');
  });

  it('answers the modelled errors the SDK maps to its exception classes', async () => {
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: 'x#y', VisibilityTimeout: 0 }))).rejects.toMatchObject({ name: 'MessageNotInflight' });
  });
});
