import { jest } from '@jest/globals';
import fc from 'fast-check';
import { backoffDelay, retry, sleep } from '../../../../lambdas/shared/retry.js';

/** A sleep that only records what it was asked to wait. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

class Transient extends Error {
  override name = 'Transient';
}
class Fatal extends Error {
  override name = 'Fatal';
}

describe('backoffDelay (full jitter)', () => {
  it('is random × base × 2^(retry−1): with a fixed random, the exact waits of each retry', () => {
    const half = { baseDelayMs: 100, random: () => 0.5 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, half))).toEqual([50, 100, 200, 400]);
    expect(backoffDelay(3, { baseDelayMs: 200, random: () => 0 })).toBe(0);
  });

  it('never exceeds the cap, and reaches it only at random → 1', () => {
    expect(backoffDelay(10, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 })).toBe(500);
    expect(backoffDelay(10, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 })).toBeLessThan(1000);
    expect(backoffDelay(2, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 })).toBe(100);
  });

  it('uses Math.random when no random source is given', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(0.25);
    try {
      expect(backoffDelay(2, { baseDelayMs: 100 })).toBe(50);
    } finally {
      spy.mockRestore();
    }
  });

  it('property: every delay lies in [0, min(cap, base·2^(retry−1))) for any random in [0, 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.option(fc.integer({ min: 1, max: 600_000 }), { nil: undefined }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retryNumber, baseDelayMs, maxDelayMs, r) => {
          const delay = backoffDelay(retryNumber, { baseDelayMs, maxDelayMs, random: () => r });
          const ceiling = Math.min(maxDelayMs ?? Number.POSITIVE_INFINITY, baseDelayMs * 2 ** (retryNumber - 1));
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
          if (r > 0) expect(delay).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe('retry', () => {
  it('returns the first success without waiting', async () => {
    const s = recordingSleep();
    const attempt = jest.fn(async () => 'ok');
    await expect(retry(attempt, { attempts: 3, baseDelayMs: 100, sleep: s.sleep })).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(s.waits).toEqual([]);
  });

  it('retries a retryable error with growing, jittered waits, numbering the attempts from 1', async () => {
    const s = recordingSleep();
    const seen: number[] = [];
    const result = await retry(
      async (n) => {
        seen.push(n);
        if (n < 3) throw new Transient();
        return n;
      },
      { attempts: 5, baseDelayMs: 100, random: () => 0.5, sleep: s.sleep, retryable: (e) => e instanceof Transient },
    );
    expect(result).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(s.waits).toEqual([50, 100]);
  });

  it('stops at once on a non-retryable error and throws it', async () => {
    const s = recordingSleep();
    const fatal = new Fatal();
    const attempt = jest.fn(async () => {
      throw fatal;
    });
    await expect(retry(attempt, { attempts: 5, baseDelayMs: 100, sleep: s.sleep, retryable: (e) => e instanceof Transient })).rejects.toBe(fatal);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(s.waits).toEqual([]);
  });

  it('gives up after N attempts with the last error, waiting only between attempts', async () => {
    const s = recordingSleep();
    let n = 0;
    const attempt = jest.fn(async () => {
      throw new Transient(`failure ${++n}`);
    });
    await expect(retry(attempt, { attempts: 3, baseDelayMs: 100, random: () => 0.5, sleep: s.sleep })).rejects.toThrow('failure 3');
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(s.waits).toEqual([50, 100]);
  });

  it.each([0, -1, Number.NaN])('refuses %p attempts instead of silently calling once', async (attempts) => {
    const attempt = jest.fn(async () => 'ok');
    await expect(retry(attempt, { attempts, baseDelayMs: 100 })).rejects.toThrow(RangeError);
    expect(attempt).not.toHaveBeenCalled();
  });

  it('tells every failed attempt to onError, the last one included, before its wait', async () => {
    const order: string[] = [];
    const attempt = async (n: number) => {
      throw new Transient(`#${n}`);
    };
    await expect(
      retry(attempt, {
        attempts: 2,
        baseDelayMs: 10,
        random: () => 0.5,
        sleep: async (ms) => void order.push(`wait ${ms}`),
        onError: (error, n) => order.push(`error ${n} ${(error as Error).message}`),
      }),
    ).rejects.toThrow('#2');
    expect(order).toEqual(['error 1 #1', 'wait 5', 'error 2 #2']);
  });

  it('with `again`, retries a value that still needs it and gives back the last value when attempts run out', async () => {
    const s = recordingSleep();
    const left = [3, 1, 0];
    const attempt = jest.fn(async () => left.shift()!);
    await expect(retry(attempt, { attempts: 5, baseDelayMs: 100, random: () => 0.5, sleep: s.sleep, again: (v) => v > 0 })).resolves.toBe(0);
    expect(s.waits).toEqual([50, 100]);

    const stuck = jest.fn(async () => 7);
    await expect(retry(stuck, { attempts: 2, baseDelayMs: 100, random: () => 0.5, sleep: s.sleep, again: () => true })).resolves.toBe(7);
    expect(stuck).toHaveBeenCalledTimes(2);
  });

  it('makes one attempt when attempts is 1, even for a retryable error', async () => {
    const attempt = jest.fn(async () => {
      throw new Transient();
    });
    await expect(retry(attempt, { attempts: 1, baseDelayMs: 100, sleep: async () => undefined })).rejects.toBeInstanceOf(Transient);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('property: attempts, waits and their bounds for any number of failures before a success', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (attempts, failures, baseDelayMs, r) => {
          const s = recordingSleep();
          let calls = 0;
          const run = retry(
            async () => {
              calls++;
              if (calls <= failures) throw new Transient();
              return 'done';
            },
            { attempts, baseDelayMs, random: () => r, sleep: s.sleep },
          );
          if (failures < attempts) await expect(run).resolves.toBe('done');
          else await expect(run).rejects.toBeInstanceOf(Transient);
          expect(calls).toBe(Math.min(failures + 1, attempts));
          expect(s.waits).toHaveLength(calls - 1);
          s.waits.forEach((w, i) => {
            expect(w).toBeGreaterThanOrEqual(0);
            expect(w).toBeLessThan(baseDelayMs * 2 ** i);
          });
        },
      ),
    );
  });
});

describe('sleep', () => {
  it('resolves after the timer', async () => {
    jest.useFakeTimers();
    try {
      let done = false;
      const waiting = sleep(1000).then(() => (done = true));
      await jest.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await waiting;
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
