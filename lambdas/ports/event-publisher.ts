import type { DomainEvent } from '../domain/events.js';

export interface PublishFailure {
  readonly event: DomainEvent;
  readonly errorCode: string;
}

/**
 * Publishes domain events to the service's bus. Retries only the entries that failed,
 * a bounded number of times; what still failed is returned, never dropped silently.
 */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<{ failed: readonly PublishFailure[] }>;
}
