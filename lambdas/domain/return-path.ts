import { ReturnPathError } from './errors.js';

/**
 * Where in the frontend a flow returns to (S6): only one of the configured paths
 * (FRONTEND_RETURN_PATHS), compared exactly. Never a URL. Pure: no I/O.
 */

/** Return paths look like config's FRONTEND_RETURN_PATHS entries; membership is checked separately. */
export const RETURN_PATH_PATTERN = /^\/[A-Za-z0-9\-._~/]{0,199}$/;

/** The path a flow returns to: `requested` when it is exactly one of `allowed`, the first one when absent. */
export function resolveReturnPath(requested: string | undefined, allowed: readonly string[]): string {
  const fallback = allowed[0];
  if (fallback === undefined) throw new ReturnPathError(allowed);
  if (requested === undefined) return fallback;
  if (!allowed.includes(requested)) throw new ReturnPathError(allowed);
  return requested;
}
