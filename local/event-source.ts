import { randomUUID } from 'node:crypto';
import type { FunctionSpec } from '../lambdas/functions.js';
import { type LambdaHandler, lambdaContext } from './api-gateway.js';
import type { SqsStandIn } from './aws/sqs.js';

/**
 * Lambda's SQS event source mapping, locally: takes a batch of up to `batchSize` visible
 * messages (each hidden for the queue's visibility timeout), hands them to the handler as an
 * SQS event, and with ReportBatchItemFailures deletes every message except those the handler
 * listed in `batchItemFailures`; a handler that throws or times out leaves the whole batch to
 * come back. The queue's redrive policy moves a message that keeps failing to its dead-letter
 * queue. Polling runs on a timer and on demand (`poll()`), so tests need not wait.
 */

export interface PollSummary {
  readonly received: number;
  readonly deleted: number;
  readonly failed: number;
  /** The handler threw: nothing was deleted. */
  readonly error: string | null;
}

export interface SqsEventSourceOptions {
  readonly sqs: SqsStandIn;
  readonly queueName: string;
  readonly queueArn: string;
  readonly spec: FunctionSpec;
  readonly handler: () => Promise<LambdaHandler>;
  readonly region: string;
  readonly batchSize: number;
  readonly timeoutMs: number;
}

export function createSqsEventSource(options: SqsEventSourceOptions) {
  let polling: Promise<PollSummary> | undefined;

  async function pollOnce(): Promise<PollSummary> {
    const messages = options.sqs.receive(options.queueName, options.batchSize);
    if (messages.length === 0) return { received: 0, deleted: 0, failed: 0, error: null };
    const event = {
      Records: messages.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: m.attributes,
        messageAttributes: {},
        md5OfBody: m.md5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: options.queueArn,
        awsRegion: options.region,
      })),
    };
    const requestId = randomUUID();
    let result: unknown;
    try {
      result = await (await options.handler())(event, lambdaContext(options.spec, options.region, requestId, options.timeoutMs));
    } catch (error) {
      return { received: messages.length, deleted: 0, failed: messages.length, error: (error as Error).name || 'Error' };
    }
    const failures = (result as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined)?.batchItemFailures;
    // Lambda treats an unreadable response as a failure of the whole batch.
    if (result !== undefined && result !== null && !Array.isArray(failures)) return { received: messages.length, deleted: 0, failed: messages.length, error: 'InvalidBatchResponse' };
    const failed = new Set((failures ?? []).map((f) => f.itemIdentifier));
    let deleted = 0;
    for (const m of messages) if (!failed.has(m.messageId) && options.sqs.delete(options.queueName, m.receiptHandle)) deleted += 1;
    return { received: messages.length, deleted, failed: messages.length - deleted, error: null };
  }

  return {
    /** One receive-invoke-delete cycle; concurrent calls share the one in flight (the mapping's concurrency of 1 locally). */
    poll(): Promise<PollSummary> {
      polling ??= pollOnce().finally(() => (polling = undefined));
      return polling;
    },
  };
}

export interface QueuePolling {
  /** One event-source-mapping cycle of every consumer of the queue; the first one's summary. */
  poll(): Promise<PollSummary>;
  /** Stops the timer and waits for the polls in flight; later polls do nothing. */
  stop(): Promise<void>;
}

const NOTHING_POLLED: PollSummary = { received: 0, deleted: 0, failed: 0, error: null };

/**
 * The queue's event source mappings, polled every `intervalMs` (0: never by timer) and on demand. Stopping waits
 * for the polls in flight, and later ones do nothing: no handler runs, or logs, after the stack
 * it belongs to has stopped.
 */
export function startQueuePolling(sources: readonly ReturnType<typeof createSqsEventSource>[], intervalMs: number, log: (line: string) => void): QueuePolling {
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  const poll = async (): Promise<PollSummary> => {
    if (stopped) return { ...NOTHING_POLLED };
    const all = Promise.all(sources.map((source) => source.poll()));
    inFlight.add(all);
    try {
      return (await all)[0] ?? { ...NOTHING_POLLED };
    } finally {
      inFlight.delete(all);
    }
  };
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          poll()
            .then((r) => {
              if (r.received) log(`notifications: ${r.received} received, ${r.deleted} done, ${r.failed} failed`);
            })
            .catch((error: unknown) => log(`notification poll failed: ${(error as Error).message}`));
        }, intervalMs)
      : undefined;
  timer?.unref();
  return {
    poll,
    async stop() {
      clearInterval(timer);
      stopped = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}
