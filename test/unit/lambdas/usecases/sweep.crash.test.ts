import type { DomainEvent } from '../../../../lambdas/domain/events.js';
import {
  type CrashPoint,
  DAY_MS,
  HOUR_MS,
  InMemoryGrantTable,
  aSweep,
  authorizedGrants,
  crashingProcess,
  factOf,
} from '../../../builders/sweep.js';
import { FakeClock } from '../../../builders/clock.js';
import { RecordingPublisher } from '../../../builders/publisher.js';

/**
 * R7: a sweep that dies at any point, followed by a rerun, sends exactly one event id per grant
 * and threshold and misses none. Every store/bus operation of an uninterrupted run is tried as
 * the crash point, both before it reached AWS and after it took effect with the answer lost.
 */

const NOW = new Date('2026-06-01T00:00:00.000Z');
const PAGE = 3;

/** Seven grants in three pages: 30d due, 1d due, expired, and 30d passed over (missed runs). */
function aDueTable(): InMemoryGrantTable {
  const remaining = [20 * DAY_MS, 25 * DAY_MS, 12 * HOUR_MS, 20 * HOUR_MS, -2 * DAY_MS, -HOUR_MS, 29 * DAY_MS];
  return new InMemoryGrantTable(authorizedGrants(remaining.length, NOW, (i) => remaining[i]!));
}

const EXPECTED_FACTS = (table: InMemoryGrantTable): string[] =>
  table
    .all()
    .map((g) => {
      const left = g.expiresAt.getTime() - NOW.getTime();
      const label = left <= 0 ? 'expired' : left <= DAY_MS ? '1d' : '30d';
      return `${g.accountId}/${g.region}/${g.sellingPartnerId}/${g.generatedAt.toISOString()}/${label}`;
    })
    .sort();

/** Distinct event ids per fact: exactly one each is the contract. */
function idsPerFact(events: readonly DomainEvent[]): Map<string, Set<string>> {
  const byFact = new Map<string, Set<string>>();
  for (const e of events) byFact.set(factOf(e), (byFact.get(factOf(e)) ?? new Set()).add(e.detail.eventId));
  return byFact;
}

async function operationsOfACleanRun(): Promise<number> {
  const table = aDueTable();
  const process = crashingProcess(table, new RecordingPublisher(), { operation: Number.MAX_SAFE_INTEGER, when: 'before' });
  await aSweep({ store: process.store, publisher: process.publisher, clock: new FakeClock(NOW), pageSize: PAGE }).run();
  return process.operations();
}

async function crashThenRerun(at: CrashPoint) {
  const table = aDueTable();
  const bus = new RecordingPublisher();
  const clock = new FakeClock(NOW);
  const dying = crashingProcess(table, bus, at);
  void aSweep({ store: dying.store, publisher: dying.publisher, clock, pageSize: PAGE }).run();
  await dying.crashed;
  clock.advance(HOUR_MS);
  const rerun = await aSweep({ store: table, publisher: bus, clock, pageSize: PAGE }).run();
  clock.advance(HOUR_MS);
  const third = await aSweep({ store: table, publisher: bus, clock, pageSize: PAGE }).run();
  return { table, bus, rerun, third };
}

describe('a sweep that crashes, then runs again (R7)', () => {
  it('has a known number of operations to crash at (3 publishes + 7 writes)', async () => {
    expect(await operationsOfACleanRun()).toBe(10);
  });

  const points: CrashPoint[] = Array.from({ length: 10 }, (_, i) => i + 1).flatMap((operation) => [
    { operation, when: 'before' as const },
    { operation, when: 'after' as const },
  ]);

  it.each(points)('crash at operation $operation ($when it took effect): one event id per grant and threshold, none missed', async (at) => {
    // Act
    const { table, bus, third } = await crashThenRerun(at);

    // Assess: by (grant, threshold) — every expected fact delivered, nothing else.
    const byFact = idsPerFact(bus.published);
    expect([...byFact.keys()].sort()).toEqual(EXPECTED_FACTS(table));
    // … and by eventId: each fact has exactly one id, however often it was delivered.
    for (const ids of byFact.values()) expect(ids.size).toBe(1);
    expect(new Set(bus.published.map((e) => e.detail.eventId)).size).toBe(7);
    // Every grant's state advanced; a further run has nothing to do.
    expect(table.all().every((g) => g.alertsSent.length > 0)).toBe(true);
    expect(third).toMatchObject({ examined: 0, eventsSent: 0 });
  });

  it('re-delivers, with the same event id, only what was published but not recorded before the crash', async () => {
    // Act: die after the first page's events were accepted, before any write.
    const { bus, rerun } = await crashThenRerun({ operation: 1, when: 'after' });

    // Assess: the first page (3 grants) went out twice with identical ids; the rest once.
    const counts = new Map<string, number>();
    for (const e of bus.published) counts.set(e.detail.eventId, (counts.get(e.detail.eventId) ?? 0) + 1);
    expect([...counts.values()].sort()).toEqual([1, 1, 1, 1, 2, 2, 2]);
    expect(rerun).toMatchObject({ examined: 7, eventsSent: 7, failed: 0 });
  });

  it('sends nothing twice when the crash came after every write', async () => {
    // Act
    const { bus, rerun } = await crashThenRerun({ operation: 10, when: 'after' });

    // Assess
    expect(bus.published).toHaveLength(7);
    expect(rerun).toMatchObject({ examined: 0, eventsSent: 0 });
  });
});
