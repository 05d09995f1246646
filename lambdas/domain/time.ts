/** Durations the domain reasons in. Everything is milliseconds since the epoch, UTC. */
export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** Amazon requires sellers to re-authorize a public app every 365 days and exposes no API for the date. */
export const AUTHORIZATION_LIFETIME_MS = 365 * DAY_MS;

/** A status is "expiring" (and the page counts down) inside this window. */
export const EXPIRING_WINDOW_MS = 30 * DAY_MS;
