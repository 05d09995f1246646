/** "Now" is injected everywhere: expiry, thresholds and one-time lifetimes are all about it. */
export interface Clock {
  now(): Date;
}
