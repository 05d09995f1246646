import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { benchmarkGrants, countingClient, type DynamoCounters, loadGrants, resetCounters } from '../../bench/sweep.js';
import { DynamoDueGrantStore } from '../../lambdas/adapters/dynamo/due-grant-store.js';
import { grantItemKey, toGrantItem } from '../../lambdas/adapters/dynamo/items.js';
import type { DomainEvent } from '../../lambdas/domain/events.js';
import type { Grant } from '../../lambdas/domain/grant.js';
import { createTable } from '../../local/create-table.js';
import { DAY_MS, HOUR_MS, aSweep, anAuthorizedGrant, crashingProcess, factOf, reauthorized } from '../builders/sweep.js';
import { FakeClock } from '../builders/clock.js';
import { RecordingPublisher } from '../builders/publisher.js';
import { useDynamoDbLocal } from '../builders/dynamodb-local.js';

/**
 * The sweep on AWS's own DynamoDB engine (DynamoDB Local), with the production adapter: the read
 * budget and exactly-once-per-threshold on the real index and conditional writes. A small table
 * only; the 100,000-grant run is `npm run bench`. No timing is asserted.
 */

const NOW = new Date('2026-06-01T00:00:00.000Z');
const local = useDynamoDbLocal();
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let counters: DynamoCounters;
let tables = 0;

beforeAll(() => {
  ({ client, doc, counters } = countingClient(local.endpoint()));
});

afterAll(() => {
  client?.destroy();
});

async function aTableWith(grants: readonly Grant[]): Promise<string> {
  const name = `sweep-it-${++tables}`;
  await createTable(client, name);
  await loadGrants(doc, name, grants, 4);
  return name;
}

async function stored(table: string, grant: Grant): Promise<Record<string, unknown> | undefined> {
  return (await doc.send(new GetCommand({ TableName: table, Key: grantItemKey(grant.accountId, grant.grantKey), ConsistentRead: true }))).Item;
}

const dueAt = (grants: readonly Grant[], now: Date) => grants.filter((g) => g.nextAlertAt && g.nextAlertAt.getTime() <= now.getTime());

function idsPerFact(events: readonly DomainEvent[]): Map<string, Set<string>> {
  const byFact = new Map<string, Set<string>>();
  for (const e of events) byFact.set(factOf(e), (byFact.get(factOf(e)) ?? new Set()).add(e.detail.eventId));
  return byFact;
}

describe('the sweep on DynamoDB Local', () => {
  it('reads only the due grants (≤ 1.05 items per due grant, no scan), sends each one event and advances it exactly once', async () => {
    // Prepare: 2,000 grants, 20 due (some after missed runs), one expired, one revoked with a stale entry.
    const expired = anAuthorizedGrant({ accountId: 'acct-expired', generatedAt: new Date(NOW.getTime() - 366 * DAY_MS) });
    const revoked = { ...anAuthorizedGrant({ accountId: 'acct-revoked', generatedAt: new Date(NOW.getTime() - 340 * DAY_MS) }), revokedAt: new Date(NOW.getTime() - DAY_MS) };
    const grants = [...benchmarkGrants(1_998, 18, NOW), expired, revoked];
    const due = dueAt(grants, NOW);
    expect(due).toHaveLength(20);
    const table = await aTableWith(grants);
    const bus = new RecordingPublisher();
    const sweep = aSweep({ store: new DynamoDueGrantStore(doc, table), publisher: bus, clock: new FakeClock(NOW), pageSize: 7 });

    // Act
    resetCounters(counters);
    const summary = await sweep.run();
    const firstRun = { ...counters };
    resetCounters(counters);
    const rerun = await sweep.run();

    // Assess: the read budget.
    expect(firstRun.scans).toBe(0);
    expect(firstRun.itemsRead / due.length).toBeLessThanOrEqual(1.05);
    expect(summary).toMatchObject({ examined: 20, eventsSent: 19, skipped: 1, failed: 0 });
    // One event per due grant and threshold, by eventId and by (grant, threshold).
    expect(bus.published).toHaveLength(19);
    expect(new Set(bus.published.map((e) => e.detail.eventId)).size).toBe(19);
    expect([...idsPerFact(bus.published).values()].every((ids) => ids.size === 1)).toBe(true);
    // A rerun finds nothing: the index moved on.
    expect(rerun).toMatchObject({ examined: 0, eventsSent: 0 });
    expect(counters.itemsRead).toBe(0);
  }, 120_000);

  it('writes the alert state the domain expects and takes finished or revoked grants out of the index', async () => {
    // Prepare
    const warned = anAuthorizedGrant({ accountId: 'acct-30d', generatedAt: new Date(NOW.getTime() - 340 * DAY_MS), version: 4 });
    const expired = anAuthorizedGrant({ accountId: 'acct-expired', generatedAt: new Date(NOW.getTime() - 366 * DAY_MS) });
    const revoked = { ...anAuthorizedGrant({ accountId: 'acct-revoked', generatedAt: new Date(NOW.getTime() - 340 * DAY_MS) }), revokedAt: new Date(NOW.getTime() - DAY_MS) };
    const table = await aTableWith([warned, expired, revoked]);

    // Act
    const summary = await aSweep({ store: new DynamoDueGrantStore(doc, table), publisher: new RecordingPublisher(), clock: new FakeClock(NOW) }).run();

    // Assess
    expect(summary).toMatchObject({ examined: 3, eventsSent: 2, passed: 2, skipped: 1 });
    expect(await stored(table, warned)).toMatchObject({ alertsSent: ['30d'], nextAlertAt: new Date(warned.expiresAt.getTime() - DAY_MS).toISOString(), dueShard: toGrantItem(warned).dueShard, version: 5 });
    const expiredItem = await stored(table, expired);
    expect(expiredItem).toMatchObject({ alertsSent: ['30d', '1d', 'expired'], version: 2 });
    expect(expiredItem).not.toHaveProperty('nextAlertAt');
    expect(expiredItem).not.toHaveProperty('dueShard');
    const revokedItem = await stored(table, revoked);
    expect(revokedItem).toMatchObject({ alertsSent: [], version: 2 });
    expect(revokedItem).not.toHaveProperty('nextAlertAt');
  }, 60_000);

  it('after a crash between publish and record, the rerun re-delivers the same event ids and nothing else', async () => {
    // Prepare
    const grants = benchmarkGrants(200, 20, NOW);
    const table = await aTableWith(grants);
    const store = new DynamoDueGrantStore(doc, table);
    const bus = new RecordingPublisher();
    const clock = new FakeClock(NOW);
    const dying = crashingProcess(store, bus, { operation: 1, when: 'after' });

    // Act: the first page's events are accepted, then the process dies before any write.
    void aSweep({ store: dying.store, publisher: dying.publisher, clock, pageSize: 5 }).run();
    await dying.crashed;
    const beforeCrash = bus.published.map((e) => e.detail.eventId);
    clock.advance(HOUR_MS);
    const rerun = await aSweep({ store, publisher: bus, clock, pageSize: 5 }).run();
    const third = await aSweep({ store, publisher: bus, clock, pageSize: 5 }).run();

    // Assess: the first page (up to 5, from one shard) went out twice with identical ids; the rest once.
    expect(beforeCrash.length).toBeGreaterThan(0);
    expect(beforeCrash.length).toBeLessThanOrEqual(5);
    expect(bus.published).toHaveLength(20 + beforeCrash.length);
    const deliveries = new Map<string, number>();
    for (const e of bus.published) deliveries.set(e.detail.eventId, (deliveries.get(e.detail.eventId) ?? 0) + 1);
    expect([...deliveries].filter(([, n]) => n > 1).map(([id]) => id).sort()).toEqual([...beforeCrash].sort());
    const byFact = idsPerFact(bus.published);
    expect(byFact.size).toBe(20);
    expect([...byFact.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(rerun).toMatchObject({ examined: 20, eventsSent: 20, failed: 0 });
    expect(third).toMatchObject({ examined: 0, eventsSent: 0 });
  }, 60_000);

  it('lets a re-authorization that lands between read and write win', async () => {
    // Prepare
    const grant = anAuthorizedGrant({ accountId: 'acct-race', generatedAt: new Date(NOW.getTime() - 340 * DAY_MS) });
    const table = await aTableWith([grant]);
    const renewed = reauthorized(grant, NOW);
    const bus = new RecordingPublisher();
    const racing = {
      publish: async (events: readonly DomainEvent[]) => {
        await doc.send(new PutCommand({ TableName: table, Item: toGrantItem(renewed) as unknown as Record<string, unknown> }));
        return bus.publish(events);
      },
    };

    // Act
    const summary = await aSweep({ store: new DynamoDueGrantStore(doc, table), publisher: racing, clock: new FakeClock(NOW) }).run();

    // Assess
    expect(summary).toMatchObject({ eventsSent: 1, skipped: 1, failed: 0 });
    expect(await stored(table, grant)).toMatchObject({ generatedAt: NOW.toISOString(), alertsSent: [], nextAlertAt: renewed.nextAlertAt!.toISOString(), version: renewed.version });
  }, 60_000);
});
