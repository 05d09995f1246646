import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../../domain/events.js';
import type { EventPublisher } from '../../ports/event-publisher.js';
import type { BusEvent, BusPublishFailure, BusPublisher } from '../../ports/bus-event.js';
import { type Sleep, retry } from '../../shared/retry.js';

export interface PublisherOptions {
  readonly busName: string;
  /** Attempts per entry, the first included. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

/** PutEvents takes at most 10 entries a call. */
const BATCH = 10;

/**
 * Publishes to the service's EventBridge bus in batches of ten. PutEvents may accept some entries
 * and refuse others: only the refused ones are sent again, with exponential backoff and full
 * jitter, a bounded number of times; whatever still failed is returned to the caller.
 */
export class EventBridgePublisher implements EventPublisher, BusPublisher {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;

  constructor(
    private readonly client: EventBridgeClient,
    private readonly options: PublisherOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 100;
  }

  async publish<E extends BusEvent>(events: readonly E[]): Promise<{ failed: readonly BusPublishFailure<E>[] }> {
    const failed: BusPublishFailure<E>[] = [];
    for (let i = 0; i < events.length; i += BATCH) {
      failed.push(...(await this.publishBatch(events.slice(i, i + BATCH))));
    }
    return { failed };
  }

  private async publishBatch<E extends BusEvent>(batch: readonly E[]): Promise<BusPublishFailure<E>[]> {
    if (this.maxAttempts < 1) return batch.map((event) => ({ event, errorCode: 'NotSent' }));
    let pending: readonly E[] = batch;
    // Each attempt sends only what is still pending; `send` never throws (a thrown call fails every entry).
    return retry(
      async () => {
        const failed = await this.send(pending);
        pending = failed.map((f) => f.event);
        return failed;
      },
      { attempts: this.maxAttempts, baseDelayMs: this.baseDelayMs, random: this.options.random, sleep: this.options.sleep, again: (failed) => failed.length > 0 },
    );
  }

  private async send<E extends BusEvent>(events: readonly E[]): Promise<BusPublishFailure<E>[]> {
    try {
      const out = await this.client.send(new PutEventsCommand({ Entries: events.map((e) => this.entry(e)) }));
      if (!out.FailedEntryCount) return [];
      return events.flatMap((event, i) => {
        const result = out.Entries?.[i];
        return result?.EventId ? [] : [{ event, errorCode: result?.ErrorCode ?? 'Unknown' }];
      });
    } catch (error) {
      return events.map((event) => ({ event, errorCode: (error as Error).name || 'Error' }));
    }
  }

  private entry(event: BusEvent): PutEventsRequestEntry {
    return { EventBusName: this.options.busName, Source: EVENT_SOURCE, DetailType: event.detailType, Detail: JSON.stringify(event.detail) };
  }
}
