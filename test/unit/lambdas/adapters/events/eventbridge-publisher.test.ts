import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgePublisher } from '../../../../../lambdas/adapters/events/eventbridge-publisher.js';
import { disconnectedEvent, type DomainEvent } from '../../../../../lambdas/domain/events.js';
import { A_NOW, aGrant } from '../../../../builders/grants.js';

const eb = mockClient(EventBridgeClient);
beforeEach(() => eb.reset());

const events = (n: number): DomainEvent[] => Array.from({ length: n }, (_, i) => disconnectedEvent(aGrant({ accountId: `acct-${i}` }), A_NOW));
const sentEntries = (call: number): PutEventsRequestEntry[] => eb.commandCalls(PutEventsCommand)[call]!.args[0].input.Entries!;
const accountsOf = (entries: PutEventsRequestEntry[]) => entries.map((e) => JSON.parse(e.Detail!).accountId as string);
/** PutEvents answers entry by entry: an EventId for accepted entries, an ErrorCode for refused ones. */
const answer = (entries: PutEventsRequestEntry[], refuse: (accountId: string) => boolean) => {
  const results = accountsOf(entries).map((a, i) => (refuse(a) ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `id-${i}` }));
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
};

describe('EventBridgePublisher', () => {
  const sleeps: number[] = [];
  const publisher = (maxAttempts = 3) =>
    new EventBridgePublisher(new EventBridgeClient({}), {
      busName: 'aob-bus',
      maxAttempts,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  beforeEach(() => sleeps.splice(0));

  it('publishes each event to the bus with the service source, its detail type and JSON detail', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    const [event] = events(1);

    await expect(publisher().publish([event!])).resolves.toEqual({ failed: [] });

    expect(sentEntries(0)).toEqual([{ EventBusName: 'aob-bus', Source: 'aob.amazon-connect', DetailType: 'Amazon Authorization Disconnected', Detail: JSON.stringify(event!.detail) }]);
  });

  it('sends at most 10 entries per PutEvents call, in order', async () => {
    eb.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => answer(input.Entries, () => false));

    await publisher().publish(events(23));

    expect(eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
    expect(accountsOf(sentEntries(2))).toEqual(['acct-20', 'acct-21', 'acct-22']);
  });

  it('makes no call for no events', async () => {
    await expect(publisher().publish([])).resolves.toEqual({ failed: [] });
    expect(eb.calls()).toHaveLength(0);
  });

  it('sends again only the entries PutEvents refused, after a backoff', async () => {
    let call = 0;
    eb.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
      call++;
      return answer(input.Entries, (a) => call === 1 && (a === 'acct-1' || a === 'acct-3'));
    });

    const { failed } = await publisher().publish(events(4));

    expect(failed).toEqual([]);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(accountsOf(sentEntries(1))).toEqual(['acct-1', 'acct-3']);
    expect(sleeps).toEqual([50]);
  });

  it('gives up after the bounded number of attempts and returns what still failed, with its error code', async () => {
    eb.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => answer(input.Entries, (a) => a === 'acct-2'));
    const all = events(3);

    const { failed } = await publisher(3).publish(all);

    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(failed).toEqual([{ event: all[2], errorCode: 'InternalFailure' }]);
    // Exponential backoff with full jitter: random (0.5) × base × 2^(attempt−2).
    expect(sleeps).toEqual([50, 100]);
  });

  it('treats a thrown call as every entry of the batch failing, and retries them', async () => {
    eb.on(PutEventsCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'a' }, { EventId: 'b' }] });

    await expect(publisher().publish(events(2))).resolves.toEqual({ failed: [] });
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(sentEntries(1)).toHaveLength(2);
  });

  it('returns every event with the error name when the bus keeps throwing', async () => {
    eb.on(PutEventsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const all = events(2);

    const { failed } = await publisher(2).publish(all);

    expect(failed).toEqual(all.map((event) => ({ event, errorCode: 'AccessDeniedException' })));
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  it('keeps going with the next batch when one batch fails for good', async () => {
    eb.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => answer(input.Entries, (a) => Number(a.slice(5)) < 10));

    const { failed } = await publisher(2).publish(events(12));

    expect(failed).toHaveLength(10);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 3);
  });

  it('treats an entry without an EventId as failed even without an ErrorCode', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{}] });

    const { failed } = await publisher(1).publish(events(1));

    expect(failed).toEqual([expect.objectContaining({ errorCode: 'Unknown' })]);
  });
});
