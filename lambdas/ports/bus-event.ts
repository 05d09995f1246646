/**
 * Any event the service puts on its bus: a detail type and a detail with a deterministic
 * `eventId`. The grant events (`EventPublisher`) are one kind; the app-credential events another.
 */
export interface BusEvent {
  readonly detailType: string;
  readonly detail: { readonly eventId: string };
}

export interface BusPublishFailure<E extends BusEvent> {
  readonly event: E;
  readonly errorCode: string;
}

/** Publishes any bus events; the same retry contract as `EventPublisher`. */
export interface BusPublisher {
  publish<E extends BusEvent>(events: readonly E[]): Promise<{ failed: readonly BusPublishFailure<E>[] }>;
}
