import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../lambdas/ports/clock.js';
import { AwsError, type JsonObject, type JsonService, optionalString, requiredString } from './protocol.js';
import { LOCAL_ACCOUNT_ID } from '../stage.js';

/**
 * An SQS stand-in speaking the AWS JSON 1.0 protocol the SDK v3 SQS client uses
 * (`x-amz-target: AmazonSQS.<Operation>`): SendMessage, ReceiveMessage, DeleteMessage(Batch),
 * ChangeMessageVisibility, GetQueueUrl, GetQueueAttributes, ListQueues, PurgeQueue. Standard
 * queues with the semantics the notification flow depends on: a received message is invisible
 * for the visibility timeout (on the service clock, so moving the local clock moves it), comes
 * back unless deleted, and after `maxReceiveCount` receives moves to the dead-letter queue on its
 * next receive, as SQS's redrive policy does. Bodies are returned with their MD5, which the SDK
 * checks. Queues are created in process (the local stack's CloudFormation); messages live in memory.
 */

const MAX_BODY_BYTES = 256 * 1024;

interface Message {
  readonly messageId: string;
  readonly body: string;
  readonly md5: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  visibleAt: number;
  receiptHandle: string | null;
}

interface Queue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds: number;
  readonly redrive: { readonly deadLetterQueue: string; readonly maxReceiveCount: number } | null;
  readonly messages: Message[];
}

export interface QueueOptions {
  readonly visibilityTimeoutSeconds?: number;
  /** Dead-letter queue (by name, created first) and the receives before a message moves there. */
  readonly redrive?: { readonly deadLetterQueue: string; readonly maxReceiveCount: number };
}

/** One message as a receiver gets it (what Lambda's event source mapping turns into a record). */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: { ApproximateReceiveCount: string; SentTimestamp: string; ApproximateFirstReceiveTimestamp: string; SenderId: string };
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export class SqsStandIn {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly options: { readonly clock: Clock; readonly region: string; readonly endpoint: () => string }) {}

  service(): JsonService {
    return {
      targetPrefix: 'AmazonSQS',
      contentType: 'application/x-amz-json-1.0',
      operations: {
        SendMessage: (i) => this.sendMessage(i),
        ReceiveMessage: (i) => this.receiveMessage(i),
        DeleteMessage: (i) => this.deleteMessage(i),
        DeleteMessageBatch: (i) => this.deleteMessageBatch(i),
        ChangeMessageVisibility: (i) => this.changeMessageVisibility(i),
        GetQueueUrl: (i) => ({ QueueUrl: this.byName(requiredString(i, 'QueueName')).url }),
        GetQueueAttributes: (i) => ({ Attributes: this.attributes(this.byUrl(requiredString(i, 'QueueUrl'))) }),
        ListQueues: () => ({ QueueUrls: [...this.queues.values()].map((q) => q.url) }),
        PurgeQueue: (i) => {
          this.byUrl(requiredString(i, 'QueueUrl')).messages.length = 0;
          return {};
        },
      },
    };
  }

  createQueue(name: string, options: QueueOptions = {}): { url: string; arn: string } {
    if (options.redrive && !this.queues.has(options.redrive.deadLetterQueue)) throw new Error(`dead-letter queue ${options.redrive.deadLetterQueue} must exist first`);
    const existing = this.queues.get(name);
    if (existing) return { url: existing.url, arn: existing.arn };
    const queue: Queue = {
      name,
      url: `${this.options.endpoint()}/${LOCAL_ACCOUNT_ID}/${name}`,
      arn: `arn:aws:sqs:${this.options.region}:${LOCAL_ACCOUNT_ID}:${name}`,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
      redrive: options.redrive ?? null,
      messages: [],
    };
    this.queues.set(name, queue);
    return { url: queue.url, arn: queue.arn };
  }

  /** In process: what an SDK SendMessage does (the Amazon sandbox delivers its notifications this way). */
  send(queueName: string, body: string): string {
    return this.enqueue(this.byName(queueName), body);
  }

  /** In process: a ReceiveMessage of up to `max` visible messages, applying the redrive policy. */
  receive(queueName: string, max: number, visibilityTimeoutSeconds?: number): ReceivedMessage[] {
    return this.take(this.byName(queueName), max, visibilityTimeoutSeconds);
  }

  /** In process: DeleteMessage. False when the receipt handle is stale (the message was received again since). */
  delete(queueName: string, receiptHandle: string): boolean {
    const queue = this.byName(queueName);
    const i = queue.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (i < 0) return false;
    queue.messages.splice(i, 1);
    return true;
  }

  /** Messages in the queue, visible and in flight. */
  depth(queueName: string): { visible: number; inFlight: number } {
    const now = this.now();
    const messages = this.byName(queueName).messages;
    const visible = messages.filter((m) => m.visibleAt <= now).length;
    return { visible, inFlight: messages.length - visible };
  }

  /** The bodies in a queue (dev controls and tests; a local queue holds only sandbox secrets). */
  peek(queueName: string): { messageId: string; receiveCount: number; body: string }[] {
    return this.byName(queueName).messages.map((m) => ({ messageId: m.messageId, receiveCount: m.receiveCount, body: m.body }));
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }

  private enqueue(queue: Queue, body: string, keep?: Message): string {
    if (keep) {
      queue.messages.push({ ...keep, visibleAt: this.now(), receiptHandle: null });
      return keep.messageId;
    }
    if (body.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new AwsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_BYTES} bytes.`);
    const messageId = randomUUID();
    queue.messages.push({ messageId, body, md5: md5(body), sentAt: this.now(), receiveCount: 0, firstReceivedAt: null, visibleAt: this.now(), receiptHandle: null });
    return messageId;
  }

  private take(queue: Queue, max: number, visibilityTimeoutSeconds?: number): ReceivedMessage[] {
    const now = this.now();
    const out: ReceivedMessage[] = [];
    for (const message of [...queue.messages]) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      if (queue.redrive && message.receiveCount >= queue.redrive.maxReceiveCount) {
        queue.messages.splice(queue.messages.indexOf(message), 1);
        this.enqueue(this.byName(queue.redrive.deadLetterQueue), message.body, message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + (visibilityTimeoutSeconds ?? queue.visibilityTimeoutSeconds) * 1000;
      message.receiptHandle = `${message.messageId}#${randomUUID()}`;
      out.push({
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        body: message.body,
        md5OfBody: message.md5,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
          SenderId: LOCAL_ACCOUNT_ID,
        },
      });
    }
    return out;
  }

  private sendMessage(input: JsonObject): JsonObject {
    const queue = this.byUrl(requiredString(input, 'QueueUrl'));
    const body = requiredString(input, 'MessageBody');
    if (input.MessageAttributes !== undefined) throw new AwsError('InvalidParameterValue', 'The local SQS stand-in does not take MessageAttributes.');
    const id = this.enqueue(queue, body);
    return { MessageId: id, MD5OfMessageBody: md5(body) };
  }

  private receiveMessage(input: JsonObject): JsonObject {
    const queue = this.byUrl(requiredString(input, 'QueueUrl'));
    const max = input.MaxNumberOfMessages === undefined ? 1 : Number(input.MaxNumberOfMessages);
    if (!Number.isInteger(max) || max < 1 || max > 10) throw new AwsError('InvalidParameterValue', 'Value for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
    const timeout = input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout);
    const messages = this.take(queue, max, timeout);
    const all = Array.isArray(input.MessageSystemAttributeNames) || Array.isArray(input.AttributeNames);
    return {
      Messages: messages.map((m) => ({ MessageId: m.messageId, ReceiptHandle: m.receiptHandle, Body: m.body, MD5OfBody: m.md5OfBody, ...(all ? { Attributes: m.attributes } : {}) })),
    };
  }

  private deleteMessage(input: JsonObject): JsonObject {
    const queue = this.byUrl(requiredString(input, 'QueueUrl'));
    const handle = requiredString(input, 'ReceiptHandle');
    if (!handle.includes('#')) throw new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle.slice(0, 40)}" is not a valid receipt handle.`);
    this.delete(queue.name, handle);
    return {};
  }

  private deleteMessageBatch(input: JsonObject): JsonObject {
    const queue = this.byUrl(requiredString(input, 'QueueUrl'));
    const entries = Array.isArray(input.Entries) ? (input.Entries as JsonObject[]) : [];
    if (entries.length < 1 || entries.length > 10) throw new AwsError('TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10.');
    const Successful: JsonObject[] = [];
    for (const entry of entries) {
      this.delete(queue.name, requiredString(entry, 'ReceiptHandle'));
      Successful.push({ Id: optionalString(entry, 'Id') });
    }
    return { Successful, Failed: [] };
  }

  private changeMessageVisibility(input: JsonObject): JsonObject {
    const queue = this.byUrl(requiredString(input, 'QueueUrl'));
    const handle = requiredString(input, 'ReceiptHandle');
    const message = queue.messages.find((m) => m.receiptHandle === handle);
    if (!message) throw new AwsError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    message.visibleAt = this.now() + Number(input.VisibilityTimeout ?? 0) * 1000;
    return {};
  }

  private attributes(queue: Queue): Record<string, string> {
    const depth = this.depth(queue.name);
    return {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(depth.visible),
      ApproximateNumberOfMessagesNotVisible: String(depth.inFlight),
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
      ...(queue.redrive
        ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: this.byName(queue.redrive.deadLetterQueue).arn, maxReceiveCount: queue.redrive.maxReceiveCount }) }
        : {}),
    };
  }

  private byName(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new AwsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  private byUrl(url: string): Queue {
    const name = url.split('/').pop() ?? '';
    return this.byName(name);
  }
}
