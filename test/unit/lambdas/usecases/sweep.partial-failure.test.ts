import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgePublisher } from '../../../../lambdas/adapters/events/eventbridge-publisher.js';
import { RecordingLog } from '../../../builders/log.js';
import { DAY_MS, HOUR_MS, InMemoryGrantTable, aSweep, authorizedGrants } from '../../../builders/sweep.js';
import { FakeClock } from '../../../builders/clock.js';

/** R6: PutEvents may accept some entries of a call and refuse others. */

const NOW = new Date('2026-06-01T00:00:00.000Z');
const eventBridge = mockClient(EventBridgeClient);

const accountOf = (entry: PutEventsRequestEntry) => (JSON.parse(entry.Detail!) as { accountId: string }).accountId;
const eventIdOf = (entry: PutEventsRequestEntry) => (JSON.parse(entry.Detail!) as { eventId: string }).eventId;

/** A bus that refuses an entry when `refuse(account, attempt)` says so; attempts are counted per event id. */
function aFlakyBus(refuse: (accountId: string, attempt: number) => boolean) {
  const attempts = new Map<string, number>();
  eventBridge.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
    const entries = input.Entries.map((entry) => {
      const attempt = (attempts.get(eventIdOf(entry)) ?? 0) + 1;
      attempts.set(eventIdOf(entry), attempt);
      return refuse(accountOf(entry), attempt) ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `eb-${eventIdOf(entry)}` };
    });
    return { FailedEntryCount: entries.filter((e) => 'ErrorCode' in e).length, Entries: entries };
  });
}

const publisher = () => new EventBridgePublisher(new EventBridgeClient({ region: 'eu-west-1' }), { busName: 'aob-bus', maxAttempts: 3, sleep: async () => undefined });
const sentEntries = () => eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);

beforeEach(() => eventBridge.reset());

describe('the sweep when PutEvents partly fails (R6)', () => {
  it('retries only the refused entries and records every grant whose event was finally accepted', async () => {
    // Prepare: acct-1 is refused once, then accepted.
    const table = new InMemoryGrantTable(authorizedGrants(4, NOW, () => 10 * DAY_MS));
    aFlakyBus((account, attempt) => account === 'acct-1' && attempt === 1);

    // Act
    const summary = await aSweep({ store: table, publisher: publisher(), clock: new FakeClock(NOW) }).run();

    // Assess
    expect(sentEntries().map((entries) => entries.map(accountOf))).toEqual([['acct-0', 'acct-1', 'acct-2', 'acct-3'], ['acct-1']]);
    expect(summary).toMatchObject({ examined: 4, eventsSent: 4, failed: 0 });
    expect(table.all().every((g) => g.alertsSent.includes('30d'))).toBe(true);
  });

  it('does not record an entry refused on every attempt, so the next run sends it again with the same event id', async () => {
    // Prepare: acct-2 is refused three times (the publisher's bound).
    const grants = authorizedGrants(4, NOW, () => 10 * DAY_MS);
    const table = new InMemoryGrantTable(grants);
    const log = new RecordingLog();
    aFlakyBus((account) => account === 'acct-2');
    const clock = new FakeClock(NOW);

    // Act
    const first = await aSweep({ store: table, publisher: publisher(), clock, log }).run();
    const failures = log.warns.filter((l) => l.message === 'sweep could not finish a grant').map(({ attributes: f }) => `${f.accountId}:${f.label}:${f.reason}`);
    const refusedId = sentEntries().at(-1)!.map(eventIdOf)[0];
    const afterFirst = table.get(grants[2]!);
    const attemptsForRefused = sentEntries().flat().filter((e) => accountOf(e) === 'acct-2').length;
    eventBridge.reset();
    aFlakyBus(() => false);
    clock.advance(HOUR_MS);
    const second = await aSweep({ store: table, publisher: publisher(), clock }).run();

    // Assess: bounded retries, nothing silently lost.
    expect(first).toMatchObject({ examined: 4, eventsSent: 3, failed: 1 });
    expect(failures).toEqual(['acct-2:30d:InternalFailure']);
    expect(attemptsForRefused).toBe(3);
    expect(afterFirst).toMatchObject({ alertsSent: [], nextAlertAt: grants[2]!.nextAlertAt, version: grants[2]!.version });
    expect(second).toMatchObject({ examined: 1, eventsSent: 1, failed: 0 });
    expect(sentEntries().flat().map(eventIdOf)).toEqual([refusedId]);
    expect(table.get(grants[2]!)!.alertsSent).toEqual(['30d']);
  });

  it('publishes in calls of at most ten entries', async () => {
    // Prepare
    const table = new InMemoryGrantTable(authorizedGrants(25, NOW, () => 10 * DAY_MS));
    aFlakyBus(() => false);

    // Act
    const summary = await aSweep({ store: table, publisher: publisher(), clock: new FakeClock(NOW) }).run();

    // Assess
    expect(sentEntries().map((e) => e.length)).toEqual([10, 10, 5]);
    expect(summary).toMatchObject({ eventsSent: 25 });
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: expect.arrayContaining([expect.objectContaining({ EventBusName: 'aob-bus', Source: 'aob.amazon-connect', DetailType: 'Amazon Authorization Expiring' })]),
    });
  });

  it('does not record passed thresholds of a grant whose event was refused', async () => {
    // Prepare: runs were missed, 1d is due and 30d would be marked passed.
    const grants = authorizedGrants(1, NOW, () => 6 * HOUR_MS);
    const table = new InMemoryGrantTable(grants);
    aFlakyBus(() => true);

    // Act
    const summary = await aSweep({ store: table, publisher: publisher(), clock: new FakeClock(NOW) }).run();

    // Assess
    expect(summary).toMatchObject({ eventsSent: 0, passed: 0, failed: 1 });
    expect(table.get(grants[0]!)!.alertsSent).toEqual([]);
  });
});
