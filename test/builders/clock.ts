import type { Clock } from '../../lambdas/ports/clock.js';

/**
 * The one fake clock of the tests: it stands still at `start` until a test sets or advances it.
 * Every `now()` is a fresh Date, so nothing a use case does to one moves the clock.
 */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date): void {
    this.current = to.getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
