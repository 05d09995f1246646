import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lambdas/ports/clock.js';
import { AwsError, type JsonObject, type JsonService } from './protocol.js';

/**
 * An EventBridge stand-in for `PutEvents`: validates entries the way the service does (at most
 * ten per call, Source / DetailType / Detail required, Detail a JSON object, known bus),
 * answers per entry with an EventId or an ErrorCode, and keeps what it received so the local
 * stack can show it (`GET /__dev/events`).
 */

export interface ReceivedEvent {
  readonly id: string;
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  /** ISO time on the service clock (or the entry's own Time). */
  readonly time: string;
}

export interface EventBridgeStandInOptions {
  readonly clock: Clock;
  /** Buses that exist besides `default`. */
  readonly busNames: readonly string[];
  /** Events kept, newest last; older ones are dropped. */
  readonly capacity?: number;
}

const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;

export class EventBridgeStandIn {
  private readonly received: ReceivedEvent[] = [];
  private readonly listeners = new Set<(event: ReceivedEvent) => void>();

  constructor(private readonly options: EventBridgeStandInOptions) {}

  service(): JsonService {
    return { targetPrefix: 'AWSEvents', operations: { PutEvents: (i) => this.putEvents(i) } };
  }

  /** Every event received, oldest first. */
  events(): readonly ReceivedEvent[] {
    return [...this.received];
  }

  clear(): void {
    this.received.length = 0;
  }

  /** Calls `listener` for every event received from now on; returns the unsubscribe function. */
  subscribe(listener: (event: ReceivedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  putEvents(input: JsonObject): JsonObject {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw new AwsError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES} and greater than or equal to 1`);
    }
    const results = entries.map((entry: unknown) => this.accept(entry));
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  private accept(raw: unknown): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as JsonObject;
    const { Source: source, DetailType: detailType, Detail: detailText } = entry;
    if (typeof source !== 'string' || source === '') return invalid('Parameter Source is not valid. Reason: Source is a required argument.');
    if (typeof detailType !== 'string' || detailType === '') return invalid('Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    if (typeof detailText !== 'string' || detailText === '') return invalid('Parameter Detail is not valid. Reason: Detail is a required argument.');
    if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) return invalid('Total size of the entries in the request is over the limit.');
    let detail: unknown;
    try {
      detail = JSON.parse(detailText);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const busName = busNameOf(entry.EventBusName);
    if (busName !== 'default' && !this.options.busNames.includes(busName)) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    }
    const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : this.options.clock.now();
    const event: ReceivedEvent = { id: randomUUID(), eventBusName: busName, source, detailType, detail, time: time.toISOString() };
    this.received.push(event);
    if (this.received.length > (this.options.capacity ?? 1000)) this.received.shift();
    for (const listener of this.listeners) listener(event);
    return { EventId: event.id };
  }
}

function invalid(message: string) {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: message };
}

/** A bus is named by name or ARN (`arn:aws:events:region:account:event-bus/NAME`). */
function busNameOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') return 'default';
  const arn = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(value);
  return arn?.[1] ?? value;
}
