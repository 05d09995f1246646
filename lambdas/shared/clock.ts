import type { Clock } from '../ports/clock.js';

let offsetMs = 0;

/**
 * The service clock. In Lambda it is always real time. The local stack shifts it
 * (`POST /__dev/clock`) so a seller's whole year can be walked in minutes; nothing deployed
 * can reach {@link shiftClock}.
 */
export const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

/** Local stack only: moves {@link clock} to `target`. */
export function shiftClock(target: Date): void {
  offsetMs = target.getTime() - Date.now();
}
