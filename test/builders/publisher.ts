import type { DomainEvent } from '../../lambdas/domain/events.js';
import type { BusEvent, BusPublishFailure, BusPublisher } from '../../lambdas/ports/bus-event.js';
import type { EventPublisher } from '../../lambdas/ports/event-publisher.js';

/**
 * The one fake bus of the tests, for grant events (`EventPublisher`) and any other bus event
 * (`BusPublisher`): it keeps every event it accepts, counts calls, and refuses or throws when
 * told to. A refused event comes back in `failed`, as PutEvents reports it, and is not kept.
 */
export class RecordingPublisher<E extends BusEvent = DomainEvent> implements EventPublisher, BusPublisher {
  /** Every accepted event, in order. */
  readonly published: E[] = [];
  /** Calls to `publish`, whatever they answered. */
  calls = 0;
  /** Error code every event is refused with, or undefined to accept them. */
  failWith: string | undefined;
  /** How many of the next calls refuse every event with `InternalFailure`. */
  refuseNext = 0;
  /** Thrown by every call (the bus cannot be reached), or undefined. */
  throws: Error | undefined;

  async publish<T extends BusEvent>(events: readonly T[]): Promise<{ failed: readonly BusPublishFailure<T>[] }> {
    this.calls += 1;
    if (this.throws) throw this.throws;
    let errorCode = this.failWith;
    if (this.refuseNext > 0) {
      this.refuseNext -= 1;
      errorCode = 'InternalFailure';
    }
    if (errorCode !== undefined) return { failed: events.map((event) => ({ event, errorCode })) };
    this.published.push(...(events as readonly BusEvent[] as readonly E[]));
    return { failed: [] };
  }
}
