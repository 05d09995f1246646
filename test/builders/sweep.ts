import { type AlertThreshold, nextAlertAt, parseThresholds } from '../../lambdas/domain/alerts.js';
import { type DomainEvent, DETAIL_TYPES } from '../../lambdas/domain/events.js';
import { type Grant, expiryFor } from '../../lambdas/domain/grant.js';
import { DAY_MS, HOUR_MS } from '../../lambdas/domain/time.js';
import type { AlertRecord, DueGrantStore, DuePageOptions, RecordOutcome } from '../../lambdas/ports/due-grants.js';
import type { EventPublisher } from '../../lambdas/ports/event-publisher.js';
import { Sweep, type SweepDeps } from '../../lambdas/usecases/sweep.js';
import { aGrant } from './grants.js';
import { RecordingLog } from './log.js';

/**
 * Fixtures for the expiry sweep: the default thresholds, grants as the authorization flow writes
 * them, an in-memory table with the due index's semantics, and a way to kill a sweep at any
 * operation to test what a rerun does (the clock and the bus are `./clock.js` and `./publisher.js`).
 */

export const THRESHOLDS: readonly AlertThreshold[] = parseThresholds('30d,1d');
export { DAY_MS, HOUR_MS };

/** A grant as the authorization flow writes it: nothing sent yet, the first alert scheduled. */
export function anAuthorizedGrant(overrides: Partial<Grant> = {}, thresholds: readonly AlertThreshold[] = THRESHOLDS): Grant {
  const grant = aGrant({ alertsSent: [], ...overrides });
  return { ...grant, nextAlertAt: overrides.nextAlertAt === undefined ? nextAlertAt(grant, thresholds) : overrides.nextAlertAt };
}

/** `count` authorized grants of one account-per-grant, expiring `remainingMs(i)` after `now`. */
export function authorizedGrants(count: number, now: Date, remainingMs: (i: number) => number): Grant[] {
  return Array.from({ length: count }, (_, i) => {
    const expiresAt = new Date(now.getTime() + remainingMs(i));
    const generatedAt = new Date(expiresAt.getTime() - 365 * DAY_MS);
    return anAuthorizedGrant({ accountId: `acct-${i}`, sellingPartnerId: `A${String(i).padStart(6, '0')}SP`, generatedAt, expiresAt });
  });
}

/** What the authorization flow writes on a re-authorization: a new year, the schedule reset. */
export function reauthorized(grant: Grant, at: Date, thresholds: readonly AlertThreshold[] = THRESHOLDS): Grant {
  const renewed = { ...grant, generatedAt: at, expiresAt: expiryFor(at), alertsSent: [], revokedAt: null, version: grant.version + 1 };
  return { ...renewed, nextAlertAt: nextAlertAt(renewed, thresholds) };
}

const idOf = (g: Pick<Grant, 'accountId' | 'grantKey'>) => `${g.accountId}\u001f${g.grantKey}`;

/**
 * The grant items and the sparse due index in memory, with the DynamoDB adapter's semantics:
 * only grants with a `nextAlertAt` are in the index, pages follow (nextAlertAt, key) order with a
 * cursor (so a grant moved later during a run is not read again), and `recordAlert` is
 * conditioned on `version` and `generatedAt`.
 */
export class InMemoryGrantTable implements DueGrantStore {
  private readonly items = new Map<string, Grant>();
  /** Index entries read, across every `due` call (the read budget). */
  itemsRead = 0;
  writes = 0;

  constructor(grants: readonly Grant[] = []) {
    for (const g of grants) this.put(g);
  }

  put(grant: Grant): void {
    this.items.set(idOf(grant), grant);
  }

  get(grant: Pick<Grant, 'accountId' | 'grantKey'>): Grant | undefined {
    return this.items.get(idOf(grant));
  }

  all(): Grant[] {
    return [...this.items.values()];
  }

  async *due(now: Date, options: DuePageOptions = {}): AsyncIterable<readonly Grant[]> {
    const limit = options.pageSize ?? 100;
    let cursor: string | undefined;
    for (;;) {
      const sortKey = (g: Grant) => `${g.nextAlertAt!.toISOString()}\u0000${idOf(g)}`;
      const page = [...this.items.values()]
        .filter((g) => g.nextAlertAt && g.nextAlertAt.getTime() <= now.getTime() && (cursor === undefined || sortKey(g) > cursor))
        .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))
        .slice(0, limit);
      this.itemsRead += page.length;
      if (page.length === 0) return;
      cursor = sortKey(page.at(-1)!);
      yield page;
      if (page.length < limit) return;
    }
  }

  async recordAlert(grant: Grant, record: AlertRecord): Promise<RecordOutcome> {
    const stored = this.items.get(idOf(grant));
    if (!stored || stored.version !== grant.version || stored.generatedAt.getTime() !== grant.generatedAt.getTime()) return 'conflict';
    this.writes += 1;
    const labels = record.handled.filter((l) => !stored.alertsSent.includes(l));
    this.items.set(idOf(grant), { ...stored, alertsSent: [...stored.alertsSent, ...labels], nextAlertAt: record.nextAlertAt, version: stored.version + 1 });
    return 'recorded';
  }
}

/** The label an event announces: its threshold, or `expired`. */
export const labelOf = (event: DomainEvent): string =>
  event.detailType === DETAIL_TYPES.expired ? 'expired' : String((event.detail as unknown as { threshold: string }).threshold);

/** `accountId/grantKey/generatedAt/label` of an event: one fact, whatever the number of deliveries. */
export const factOf = (event: DomainEvent): string =>
  `${event.detail.accountId}/${event.detail.region}/${event.detail.sellingPartnerId}/${event.detail.generatedAt}/${labelOf(event)}`;

export interface CrashPoint {
  /** 1-based index of the store/bus operation (publish or recordAlert) at which the process dies. */
  readonly operation: number;
  /** `before`: the operation never reached AWS. `after`: it took effect, but the answer was lost. */
  readonly when: 'before' | 'after';
}

/**
 * Wraps a table and a bus as one Lambda process would see them: from the crash point on, nothing
 * this process does takes effect and no call ever returns (the process is gone). `crashed`
 * resolves once the process died.
 */
export function crashingProcess(table: DueGrantStore, bus: EventPublisher, at: CrashPoint) {
  let operations = 0;
  let dead = false;
  let died: () => void = () => undefined;
  const crashed = new Promise<void>((resolve) => (died = resolve));
  const never = <T>() => new Promise<T>(() => undefined);
  async function step<T>(op: () => Promise<T>): Promise<T> {
    if (dead) return never<T>();
    const n = ++operations;
    if (n === at.operation && at.when === 'before') {
      dead = true;
      died();
      return never<T>();
    }
    const result = await op();
    if (n === at.operation) {
      dead = true;
      died();
      return never<T>();
    }
    return result;
  }
  const store: DueGrantStore = {
    due: (now, options) => table.due(now, options),
    recordAlert: (grant, record) => step(() => table.recordAlert(grant, record)),
  };
  const publisher: EventPublisher = { publish: (events) => step(() => bus.publish(events)) };
  return { store, publisher, crashed, operations: () => operations };
}

/** A sweep with the default thresholds and, unless given, a {@link RecordingLog} nobody reads. */
export function aSweep(deps: Pick<SweepDeps, 'store' | 'publisher' | 'clock'> & Partial<SweepDeps>): Sweep {
  return new Sweep({ thresholds: THRESHOLDS, log: new RecordingLog(), ...deps });
}
