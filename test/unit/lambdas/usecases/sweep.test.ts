import { DETAIL_TYPES, type DomainEvent } from '../../../../lambdas/domain/events.js';
import type { Grant } from '../../../../lambdas/domain/grant.js';
import { RecordingLog } from '../../../builders/log.js';
import {
  DAY_MS,
  HOUR_MS,
  InMemoryGrantTable,
  aSweep,
  anAuthorizedGrant,
  authorizedGrants,
  labelOf,
  reauthorized,
} from '../../../builders/sweep.js';
import { FakeClock } from '../../../builders/clock.js';
import { RecordingPublisher } from '../../../builders/publisher.js';

const GENERATED = new Date('2026-01-10T09:30:00.000Z');

/** Runs the sweep every `stepMs` from `from` to `to` and returns each delivery with the run's time. */
async function walk(table: InMemoryGrantTable, bus: RecordingPublisher, clock: FakeClock, from: Date, to: Date, stepMs = HOUR_MS) {
  const sweep = aSweep({ store: table, publisher: bus, clock });
  const seen: { at: Date; event: DomainEvent }[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += stepMs) {
    clock.set(new Date(t));
    const before = bus.published.length;
    await sweep.run();
    for (const event of bus.published.slice(before)) seen.push({ at: new Date(t), event });
  }
  return seen;
}

describe('the expiry sweep over one grant\'s year (hourly runs, fake clock)', () => {
  it('warns once at 30 days, once at 1 day, says expired once, then stays quiet', async () => {
    // Prepare
    const grant = anAuthorizedGrant({ generatedAt: GENERATED });
    const table = new InMemoryGrantTable([grant]);
    const bus = new RecordingPublisher();
    const clock = new FakeClock(GENERATED);
    const expiresAt = grant.expiresAt.getTime();

    // Act
    const seen = await walk(table, bus, clock, GENERATED, new Date(expiresAt + 40 * DAY_MS));

    // Assess
    expect(seen.map((s) => [labelOf(s.event), s.at.getTime() - expiresAt])).toEqual([
      ['30d', -30 * DAY_MS],
      ['1d', -1 * DAY_MS],
      ['expired', 0],
    ]);
    expect(seen.map((s) => s.event.detailType)).toEqual([DETAIL_TYPES.expiring, DETAIL_TYPES.expiring, DETAIL_TYPES.expired]);
    expect(seen[0]!.event.detail).toMatchObject({ threshold: '30d', daysRemaining: 30, hoursRemaining: 720 });
    expect(seen[1]!.event.detail).toMatchObject({ threshold: '1d', daysRemaining: 1, hoursRemaining: 24 });
    expect(new Set(seen.map((s) => s.event.detail.eventId)).size).toBe(3);
    expect(table.get(grant)).toMatchObject({ alertsSent: ['30d', '1d', 'expired'], nextAlertAt: null });
  });

  it('starts over after a re-authorization, with new event ids', async () => {
    // Prepare: the first year ran its course.
    const grant = anAuthorizedGrant({ generatedAt: GENERATED });
    const table = new InMemoryGrantTable([grant]);
    const bus = new RecordingPublisher();
    const clock = new FakeClock(GENERATED);
    const firstYear = await walk(table, bus, clock, GENERATED, new Date(grant.expiresAt.getTime() + 2 * DAY_MS), 6 * HOUR_MS);
    const renewedAt = new Date(grant.expiresAt.getTime() + 3 * DAY_MS);
    const renewed = reauthorized(table.get(grant)!, renewedAt);
    table.put(renewed);

    // Act
    const secondYear = await walk(table, bus, clock, renewedAt, new Date(renewed.expiresAt.getTime() + DAY_MS), 6 * HOUR_MS);

    // Assess
    expect(firstYear.map((s) => labelOf(s.event))).toEqual(['30d', '1d', 'expired']);
    expect(secondYear.map((s) => labelOf(s.event))).toEqual(['30d', '1d', 'expired']);
    expect(secondYear.every((s) => s.event.detail.generatedAt === renewedAt.toISOString())).toBe(true);
    const firstIds = new Set(firstYear.map((s) => s.event.detail.eventId));
    expect(secondYear.some((s) => firstIds.has(s.event.detail.eventId))).toBe(false);
  });

  it('drops the rest of the old schedule when the seller re-authorizes between two warnings', async () => {
    // Prepare: the 30-day warning went out.
    const grant = anAuthorizedGrant({ generatedAt: GENERATED });
    const table = new InMemoryGrantTable([grant]);
    const bus = new RecordingPublisher();
    const clock = new FakeClock(new Date(grant.expiresAt.getTime() - 29 * DAY_MS));
    await aSweep({ store: table, publisher: bus, clock }).run();
    const renewedAt = new Date(grant.expiresAt.getTime() - 10 * DAY_MS);
    table.put(reauthorized(table.get(grant)!, renewedAt));

    // Act: walk to the old expiry and past it.
    const seen = await walk(table, bus, clock, renewedAt, new Date(grant.expiresAt.getTime() + 5 * DAY_MS));

    // Assess
    expect(bus.published.map(labelOf)).toEqual(['30d']);
    expect(seen).toEqual([]);
    expect(table.get(grant)).toMatchObject({ alertsSent: [], nextAlertAt: new Date(renewedAt.getTime() + 335 * DAY_MS) });
  });
});

describe('missed runs (R9)', () => {
  it('sends only the 1-day warning when the scheduler was down across both thresholds, and marks 30d as passed', async () => {
    // Prepare
    const grant = anAuthorizedGrant({ generatedAt: GENERATED });
    const table = new InMemoryGrantTable([grant]);
    const bus = new RecordingPublisher();
    const clock = new FakeClock(new Date(grant.expiresAt.getTime() - 12 * HOUR_MS));

    // Act
    const summary = await aSweep({ store: table, publisher: bus, clock }).run();

    // Assess
    expect(bus.published.map(labelOf)).toEqual(['1d']);
    expect(bus.published[0]!.detail).toMatchObject({ daysRemaining: 1, hoursRemaining: 12 });
    expect(summary).toMatchObject({ examined: 1, eventsSent: 1, passed: 1, failed: 0, skipped: 0 });
    expect(table.get(grant)).toMatchObject({ alertsSent: ['30d', '1d'], nextAlertAt: grant.expiresAt });
  });

  it('sends only Expired when runs were missed for days past expiry', async () => {
    // Prepare: nothing ran since the authorization.
    const grant = anAuthorizedGrant({ generatedAt: GENERATED });
    const table = new InMemoryGrantTable([grant]);
    const bus = new RecordingPublisher();
    const clock = new FakeClock(new Date(grant.expiresAt.getTime() + 4 * DAY_MS));

    // Act
    const first = await aSweep({ store: table, publisher: bus, clock }).run();
    clock.advance(HOUR_MS);
    const second = await aSweep({ store: table, publisher: bus, clock }).run();

    // Assess
    expect(bus.published.map((e) => e.detailType)).toEqual([DETAIL_TYPES.expired]);
    expect(first).toMatchObject({ examined: 1, eventsSent: 1, passed: 2 });
    expect(second).toMatchObject({ examined: 0, eventsSent: 0 });
    expect(table.get(grant)).toMatchObject({ alertsSent: ['30d', '1d', 'expired'], nextAlertAt: null });
  });

  it('sends the 1-day warning late when the run at the threshold was missed but expiry is still ahead', async () => {
    // Prepare: 30d was sent; the scheduler then stopped until 3 hours before expiry.
    const grant = anAuthorizedGrant({ generatedAt: GENERATED });
    const table = new InMemoryGrantTable([grant]);
    const bus = new RecordingPublisher();
    const clock = new FakeClock(new Date(grant.expiresAt.getTime() - 30 * DAY_MS));
    await aSweep({ store: table, publisher: bus, clock }).run();
    clock.set(new Date(grant.expiresAt.getTime() - 3 * HOUR_MS));

    // Act
    const summary = await aSweep({ store: table, publisher: bus, clock }).run();

    // Assess
    expect(bus.published.map(labelOf)).toEqual(['30d', '1d']);
    expect(summary).toMatchObject({ eventsSent: 1, passed: 0 });
  });
});

describe('grants the sweep must not warn about', () => {
  it('sends nothing for a revoked grant and takes it out of the due index', async () => {
    // Prepare: revoked, but its index entry is still there.
    const now = new Date(GENERATED.getTime() + 340 * DAY_MS);
    const grant = anAuthorizedGrant({ generatedAt: GENERATED, revokedAt: new Date(GENERATED.getTime() + 100 * DAY_MS) });
    expect(grant.nextAlertAt).toBeNull();
    const stale = { ...grant, nextAlertAt: new Date(grant.expiresAt.getTime() - 30 * DAY_MS) };
    const table = new InMemoryGrantTable([stale]);
    const bus = new RecordingPublisher();

    // Act
    const summary = await aSweep({ store: table, publisher: bus, clock: new FakeClock(now) }).run();

    // Assess
    expect(bus.published).toEqual([]);
    expect(summary).toMatchObject({ examined: 1, eventsSent: 0, skipped: 1, failed: 0 });
    expect(table.get(grant)).toMatchObject({ nextAlertAt: null, alertsSent: [] });
  });

  it('reads nothing when no grant is due', async () => {
    // Prepare
    const now = new Date('2026-06-01T00:00:00.000Z');
    const table = new InMemoryGrantTable(authorizedGrants(50, now, (i) => (40 + i) * DAY_MS));
    const bus = new RecordingPublisher();

    // Act
    const summary = await aSweep({ store: table, publisher: bus, clock: new FakeClock(now) }).run();

    // Assess
    expect(summary).toMatchObject({ examined: 0, eventsSent: 0, passed: 0, failed: 0, skipped: 0 });
    expect(table.itemsRead).toBe(0);
    expect(bus.calls).toBe(0);
  });

  it('leaves a grant alone when it changed between the read and the write, and does not count it as sent twice', async () => {
    // Prepare: a concurrent writer bumps the version while the event is being published.
    const grant = anAuthorizedGrant({ generatedAt: GENERATED });
    const table = new InMemoryGrantTable([grant]);
    const now = new Date(grant.expiresAt.getTime() - 30 * DAY_MS);
    const bus = new RecordingPublisher();
    const racing = {
      publish: async (events: readonly DomainEvent[]) => {
        table.put(reauthorized(table.get(grant)!, now));
        return bus.publish(events);
      },
    };

    // Act
    const summary = await aSweep({ store: table, publisher: racing, clock: new FakeClock(now) }).run();

    // Assess: the re-authorization won; its fresh schedule is untouched.
    expect(summary).toMatchObject({ eventsSent: 1, skipped: 1, failed: 0 });
    expect(table.get(grant)).toMatchObject({ generatedAt: now, alertsSent: [], nextAlertAt: new Date(now.getTime() + 335 * DAY_MS) });
  });
});

describe('one grant\'s failure never stops the rest', () => {
  it('records every other grant when one write fails, and reports the failure with ids only', async () => {
    // Prepare
    const now = new Date('2026-06-01T00:00:00.000Z');
    const grants = authorizedGrants(5, now, (i) => (10 + i) * DAY_MS);
    const table = new InMemoryGrantTable(grants);
    const broken = grants[2]!;
    const store = {
      due: table.due.bind(table),
      recordAlert: async (g: Grant, r: Parameters<InMemoryGrantTable['recordAlert']>[1]) => {
        if (g.accountId === broken.accountId) throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
        return table.recordAlert(g, r);
      },
    };
    const bus = new RecordingPublisher();
    const log = new RecordingLog();

    // Act
    const summary = await aSweep({ store, publisher: bus, clock: new FakeClock(now), log }).run();
    const failures = log.warns.filter((l) => l.message === 'sweep could not finish a grant').map((l) => l.attributes);

    // Assess
    expect(summary).toMatchObject({ examined: 5, eventsSent: 5, failed: 1, skipped: 0 });
    expect(failures).toEqual([{ accountId: broken.accountId, grantKey: broken.grantKey, label: '30d', reason: 'ProvisionedThroughputExceededException' }]);
    expect(table.all().filter((g) => g.alertsSent.includes('30d')).map((g) => g.accountId).sort()).toEqual(
      grants.filter((g) => g !== broken).map((g) => g.accountId).sort(),
    );
  });

  it('sends every other grant\'s warning when one grant cannot be read into an event', async () => {
    // Prepare: one item is corrupt (an unparseable date).
    const now = new Date('2026-06-01T00:00:00.000Z');
    const grants = authorizedGrants(3, now, (i) => (5 + i) * DAY_MS);
    const corrupt = { ...grants[1]!, generatedAt: new Date('not a date') };
    const table = new InMemoryGrantTable([grants[0]!, corrupt, grants[2]!]);
    const bus = new RecordingPublisher();

    // Act
    const summary = await aSweep({ store: table, publisher: bus, clock: new FakeClock(now) }).run();

    // Assess
    expect(summary).toMatchObject({ examined: 3, eventsSent: 2, failed: 1 });
    expect(bus.published.map((e) => e.detail.accountId).sort()).toEqual([grants[0]!.accountId, grants[2]!.accountId]);
  });

  it('counts every grant of a page as failed when the bus cannot be reached at all, and sends them next run', async () => {
    // Prepare
    const now = new Date('2026-06-01T00:00:00.000Z');
    const table = new InMemoryGrantTable(authorizedGrants(3, now, () => 20 * DAY_MS));
    const down = { publish: async () => Promise.reject(Object.assign(new Error('down'), { name: 'TimeoutError' })) };
    const bus = new RecordingPublisher();

    // Act
    const failedRun = await aSweep({ store: table, publisher: down, clock: new FakeClock(now) }).run();
    const nextRun = await aSweep({ store: table, publisher: bus, clock: new FakeClock(new Date(now.getTime() + HOUR_MS)) }).run();

    // Assess
    expect(failedRun).toMatchObject({ examined: 3, eventsSent: 0, failed: 3 });
    expect(nextRun).toMatchObject({ examined: 3, eventsSent: 3, failed: 0 });
  });

  it('stops cleanly between pages when asked to, leaving the rest for the next run', async () => {
    // Prepare
    const now = new Date('2026-06-01T00:00:00.000Z');
    const table = new InMemoryGrantTable(authorizedGrants(7, now, () => 20 * DAY_MS));
    const bus = new RecordingPublisher();
    const sweep = aSweep({ store: table, publisher: bus, clock: new FakeClock(now), pageSize: 3 });

    // Act
    const first = await sweep.run({ shouldStop: () => true });
    const second = await sweep.run();

    // Assess
    expect(first).toMatchObject({ examined: 3, eventsSent: 3 });
    expect(second).toMatchObject({ examined: 4, eventsSent: 4 });
  });
});
