/** A cached access token is handed out only while it has at least this long left. */
export const ACCESS_TOKEN_MARGIN_MS = 60_000;

export function isFresh(expiresAt: Date | null, now: Date): expiresAt is Date {
  return expiresAt !== null && expiresAt.getTime() - now.getTime() > ACCESS_TOKEN_MARGIN_MS;
}

/** The UTC day a failure is counted on. */
export const failureDay = (now: Date): string => now.toISOString().slice(0, 10);

/** The day's failure count after one more failure: a new day starts again from one. */
export function countFailure(previous: { day: string; count: number } | null, now: Date): { day: string; count: number } {
  const day = failureDay(now);
  return { day, count: previous?.day === day ? previous.count + 1 : 1 };
}
