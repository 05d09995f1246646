/**
 * ISO-8601 durations for the dev clock (`{"advance": "P30D"}`): `PnYnMnWnDTnHnMnS`, optionally
 * negative (`-P1D`). Years and months are calendar steps in UTC; the rest are fixed lengths.
 */

const PATTERN = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

export class DurationError extends Error {}

export function addDuration(from: Date, duration: string): Date {
  const m = PATTERN.exec(duration.trim());
  if (!m || duration.trim().endsWith('T') || !m.slice(2).some((part) => part !== undefined)) {
    throw new DurationError(`"${duration}" is not an ISO-8601 duration such as P30D, PT5H or P1DT2H.`);
  }
  const sign = m[1] ? -1 : 1;
  const n = (i: number) => Number(m[i] ?? 0) * sign;
  const date = new Date(from.getTime());
  if (m[2] || m[3]) date.setUTCFullYear(date.getUTCFullYear() + n(2), date.getUTCMonth() + n(3));
  const ms = ((n(4) * 7 + n(5)) * 24 * 3600 + n(6) * 3600 + n(7) * 60) * 1000 + Math.round(n(8) * 1000);
  return new Date(date.getTime() + ms);
}
