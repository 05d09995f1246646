/**
 * Retries with exponential backoff and full jitter, for adapters and use cases alike: no I/O but
 * the timer, and both the timer and the random source injectable, so tests run without waiting
 * and see every delay.
 */

/** Waits `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

/** The real timer. */
export const sleep: Sleep = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface BackoffOptions {
  /** The delay ceiling of the first retry: the n-th retry waits up to base·2^(n-1). */
  readonly baseDelayMs: number;
  /** No retry waits longer than this. Default: no ceiling. */
  readonly maxDelayMs?: number;
  /** A number in [0, 1), like `Math.random` (the default). */
  readonly random?: () => number;
}

/**
 * Full jitter: the wait before the `retry`-th retry (1 for the first) is a random value in
 * [0, min(max, base·2^(retry-1))). Random waits keep clients that failed together from retrying
 * in the same busy moment (R10).
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs ?? Number.POSITIVE_INFINITY, options.baseDelayMs * 2 ** (retry - 1));
  return (options.random ?? Math.random)() * ceiling;
}

export interface RetryOptions<T> extends BackoffOptions {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Whether a thrown error is worth another attempt; default: every error is. */
  readonly retryable?: (error: unknown) => boolean;
  /** Whether a returned value still needs another attempt (e.g. a partial failure); default: none does. */
  readonly again?: (value: T) => boolean;
  /** Called with every thrown error, the last one included, before any wait. */
  readonly onError?: (error: unknown, attempt: number) => void;
  readonly sleep?: Sleep;
}

/**
 * Runs `attempt` (1 for the first call) until it returns a value that needs no other attempt, a
 * non-retryable error is thrown, or `attempts` calls were made; waits `backoffDelay(n)` after
 * the n-th call. Gives up with the last error thrown, or the last value returned.
 */
export async function retry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  if (!(options.attempts >= 1)) throw new RangeError(`retry needs at least one attempt, got ${options.attempts}`);
  const wait = options.sleep ?? sleep;
  for (let n = 1; ; n++) {
    let value: T;
    try {
      value = await attempt(n);
    } catch (error) {
      options.onError?.(error, n);
      if (n >= options.attempts || !(options.retryable?.(error) ?? true)) throw error;
      await wait(backoffDelay(n, options));
      continue;
    }
    if (n >= options.attempts || !(options.again?.(value) ?? false)) return value;
    await wait(backoffDelay(n, options));
  }
}
