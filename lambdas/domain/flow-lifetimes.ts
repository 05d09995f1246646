/**
 * How long each step of the authorization flow lives (S4; docs/authorization.md, "Lifetime").
 * Each window is checked in code at the millisecond: DynamoDB TTL deletes late. Pure: "now" is
 * always a parameter.
 */

/** Longest a ticket (the link from Authorize to Amazon) may live, whatever the configuration says (SECURITY S4). */
export const MAX_AUTHORIZATION_TTL_MS = 10 * 60_000;

/** When a ticket minted `now` expires: the configured lifetime, never more than MAX_AUTHORIZATION_TTL_MS. */
export function authorizationExpiry(now: Date, configuredTtlMs: number): Date {
  return new Date(now.getTime() + Math.min(configuredTtlMs, MAX_AUTHORIZATION_TTL_MS));
}

/**
 * How long the state lives once the ticket has sent the browser to Amazon: the seller's time on
 * Amazon's pages. A real sign-in with two-step verification, an account picker or a forgotten
 * password takes minutes, not seconds; 20 minutes covers that with room to spare, ends well
 * before Amazon's own consent form (30 minutes in the sandbox's reading), so a seller who takes
 * longer lands on AoB's FLOW_EXPIRED page with a restart instead of Amazon's error page, and
 * keeps a state that is single-use and bound to this browser's cookie short-lived. Amazon's
 * code, once issued, still lives only 5 minutes.
 */
export const CONSENT_WINDOW_MS = 20 * 60_000;
/** The binding cookie outlives the state by this much, so a late return is recognised as this browser's. */
export const BINDING_COOKIE_GRACE_MS = 60 * 60_000;

/** Amazon's authorization code is valid 5 minutes after it is issued: a completion after that is not tried. */
export const CODE_LIFETIME_MS = 5 * 60_000;
