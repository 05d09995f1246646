import type { Grant } from '../domain/grant.js';

/** What the sweep writes back once a grant's alert was accepted by the bus (or found to be moot). */
export interface AlertRecord {
  /** Labels handled by this run: the announced step and any passed over after missed runs. */
  readonly handled: readonly string[];
  /** The grant's next alert time, or null when nothing is left (the grant leaves the due index). */
  readonly nextAlertAt: Date | null;
}

/**
 * `recorded`: the grant's alert state moved on. `conflict`: the grant changed since it was read
 * (another sweep, a re-authorization, a revocation, a disconnect); nothing was written, and the
 * next run reads it afresh.
 */
export type RecordOutcome = 'recorded' | 'conflict';

export interface DuePageOptions {
  /** Items per index page: bounds memory and the size of each unit of work. */
  readonly pageSize?: number;
}

/**
 * The grants the sweep has to look at. Reads go through a sparse index keyed by each grant's
 * next alert time, so their cost grows with due grants, never with all grants. The index is
 * eventually consistent: a page may hold a grant as it was a moment ago, which is why every
 * write is conditioned on what was read.
 */
export interface DueGrantStore {
  /** Grants whose next alert time is at or before `now`, a page at a time. */
  due(now: Date, options?: DuePageOptions): AsyncIterable<readonly Grant[]>;
  /**
   * Advances `grant`'s alert state, on condition that its stored `version` and `generatedAt`
   * are still the ones read (a re-authorization in between wins).
   */
  recordAlert(grant: Grant, record: AlertRecord): Promise<RecordOutcome>;
}
