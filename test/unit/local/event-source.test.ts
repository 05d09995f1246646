import { type createSqsEventSource, startQueuePolling } from '../../../local/event-source.js';

type Source = ReturnType<typeof createSqsEventSource>;

/** A source that counts its polls and reports one message each time. */
function countingSource(): Source & { polls: number } {
  const source = {
    polls: 0,
    poll: async () => {
      source.polls += 1;
      return { received: 1, deleted: 1, failed: 0, error: null };
    },
  };
  return source;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the local queue polling (Lambda’s event source mapping)', () => {
  it('polls on its timer and on demand', async () => {
    const source = countingSource();
    const polling = startQueuePolling([source], 5, () => undefined);
    await wait(40);
    await polling.stop();
    expect(source.polls).toBeGreaterThan(1);
  });

  it('with an interval of 0 polls only on demand, so one poll’s counts are all a test sees', async () => {
    const source = countingSource();
    const polling = startQueuePolling([source], 0, () => undefined);
    await wait(40);
    expect(source.polls).toBe(0);
    await expect(polling.poll()).resolves.toEqual({ received: 1, deleted: 1, failed: 0, error: null });
    expect(source.polls).toBe(1);
    await polling.stop();
  });

  it('does nothing once stopped', async () => {
    const source = countingSource();
    const polling = startQueuePolling([source], 0, () => undefined);
    await polling.stop();
    await expect(polling.poll()).resolves.toEqual({ received: 0, deleted: 0, failed: 0, error: null });
    expect(source.polls).toBe(0);
  });
});
