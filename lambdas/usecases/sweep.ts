import { type AlertThreshold, type DueAlert, dueAlert, nextAlertAt, type SweepSummary } from '../domain/alerts.js';
import { type DomainEvent, expiredEvent, expiringEvent } from '../domain/events.js';
import { SweepAbortedError } from '../domain/errors.js';
import type { Grant } from '../domain/grant.js';
import type { Clock } from '../ports/clock.js';
import type { AlertRecord, DueGrantStore } from '../ports/due-grants.js';
import type { EventPublisher } from '../ports/event-publisher.js';
import type { Log } from '../ports/log.js';

/**
 * One grant the sweep could not finish, as the attributes of its WARN line: ids and a reason
 * only, never grant contents.
 */
export interface SweepFailure {
  readonly accountId: string;
  readonly grantKey: string;
  readonly label: string | null;
  readonly reason: string;
}

export interface SweepDeps {
  readonly store: DueGrantStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  readonly thresholds: readonly AlertThreshold[];
  /** Grants per index page; each page is published and recorded before the next is read. */
  readonly pageSize?: number;
  /** Conditional writes in flight at once. */
  readonly writeConcurrency?: number;
  /** Each grant it could not finish is a WARN line `sweep could not finish a grant` with its {@link SweepFailure}. */
  readonly log: Log;
}

export interface SweepRunOptions {
  /** Asked after each page; true ends the run cleanly (the Lambda is about to time out). */
  readonly shouldStop?: () => boolean;
}

interface Planned {
  readonly grant: Grant;
  readonly due: DueAlert;
  readonly event: DomainEvent;
}

/**
 * The expiry sweep (docs/events.md; SECURITY R6, R7, R9).
 *
 * Delivery is at least once, deduplicated by `eventId`. For each due grant the event is published
 * first and the grant's alert state is advanced only after the bus accepted it, with a write
 * conditioned on the `version` and `generatedAt` that were read. So:
 * - a crash before the write leaves the grant due: the next run sends the same fact again, and the
 *   event builders give it the same `eventId` (grant + threshold + expiresAt), so a consumer that
 *   dedupes on `eventId` sees it once; nothing is ever lost;
 * - a refused entry (PutEvents partial failure that outlived the publisher's retries) is not
 *   recorded, so the next run sends it;
 * - a write that finds the grant changed (another sweep, a re-authorization, a revocation, a
 *   disconnect) changes nothing; the next run reads the grant afresh.
 *
 * The index is eventually consistent and projects whole items, so every entry is judged again by
 * the domain's `dueAlert` before anything is sent. There is deliberately no consistent GetItem
 * per grant: it would double the reads (the budget is ≤ 1.05 items read per due grant) and still
 * not close the gap between reading and publishing; the conditional write is the consistency
 * point. The residual effect of a stale entry is a repeat of an already-sent `eventId`, or — if a
 * re-authorization lands within the index's propagation delay just before a run — one warning
 * about the superseded authorization, recognisable by its older `generatedAt`.
 */
export class Sweep {
  constructor(private readonly deps: SweepDeps) {}

  async run(options: SweepRunOptions = {}): Promise<SweepSummary> {
    const started = performance.now();
    const now = this.deps.clock.now();
    const totals = { examined: 0, eventsSent: 0, passed: 0, failed: 0, skipped: 0 };
    const seen = new Set<string>();
    const summary = (): SweepSummary => ({ ...totals, durationMs: Math.round(performance.now() - started) });
    try {
      for await (const page of this.deps.store.due(now, { pageSize: this.deps.pageSize ?? 100 })) {
        const fresh = page.filter((g) => {
          const id = `${g.accountId}\u001f${g.grantKey}`;
          if (seen.has(id)) return false;
          seen.add(id);
          return true;
        });
        totals.examined += fresh.length;
        await this.sweepPage(fresh, now, totals);
        if (options.shouldStop?.()) break;
      }
    } catch (error) {
      totals.failed += 1;
      throw new SweepAbortedError(summary(), { cause: error });
    }
    return summary();
  }

  private async sweepPage(grants: readonly Grant[], now: Date, totals: { eventsSent: number; passed: number; failed: number; skipped: number }): Promise<void> {
    const planned: Planned[] = [];
    const moot: Grant[] = [];
    for (const grant of grants) {
      try {
        const due = dueAlert(grant, this.deps.thresholds, now);
        if (!due) moot.push(grant);
        else planned.push({ grant, due, event: due.step.kind === 'expired' ? expiredEvent(grant) : expiringEvent(grant, due.step.label, now) });
      } catch (error) {
        totals.failed += 1;
        this.fail(grant, null, error);
      }
    }

    const refused = await this.publish(planned);
    const accepted = planned.filter((p) => {
      const reason = refused.get(p.event.detail.eventId);
      if (reason === undefined) return true;
      totals.failed += 1;
      this.fail(p.grant, p.due.step.label, reason);
      return false;
    });
    totals.eventsSent += accepted.length;

    const writes: { grant: Grant; label: string | null; write: () => Promise<void> }[] = [
      ...accepted.map((p) => ({
        grant: p.grant,
        label: p.due.step.label,
        write: async () => {
          const outcome = await this.deps.store.recordAlert(p.grant, this.advance(p.grant, [...p.due.passed, p.due.step.label]));
          if (outcome === 'recorded') totals.passed += p.due.passed.length;
          else totals.skipped += 1;
        },
      })),
      // Nothing to say after all (revoked, or the index lagged behind a write): bring the entry
      // in line with the domain so it stops coming back. A conflict means someone else did.
      ...moot.map((grant) => ({
        grant,
        label: null,
        write: async () => {
          await this.deps.store.recordAlert(grant, this.advance(grant, []));
          totals.skipped += 1;
        },
      })),
    ];
    await inParallel(writes.length, this.deps.writeConcurrency ?? 8, async (i) => {
      const { grant, label, write } = writes[i]!;
      try {
        await write();
      } catch (error) {
        totals.failed += 1;
        this.fail(grant, label, error);
      }
    });
  }

  /** Returns the refused events' reasons by eventId. */
  private async publish(planned: readonly Planned[]): Promise<Map<string, string>> {
    if (planned.length === 0) return new Map();
    try {
      const { failed } = await this.deps.publisher.publish(planned.map((p) => p.event));
      return new Map(failed.map((f) => [f.event.detail.eventId, f.errorCode]));
    } catch (error) {
      return new Map(planned.map((p) => [p.event.detail.eventId, (error as Error).name || 'PublishError']));
    }
  }

  private advance(grant: Grant, handled: readonly string[]): AlertRecord {
    const alertsSent = [...grant.alertsSent, ...handled.filter((l) => !grant.alertsSent.includes(l))];
    return { handled, nextAlertAt: nextAlertAt({ ...grant, alertsSent }, this.deps.thresholds) };
  }

  private fail(grant: Grant, label: string | null, error: unknown): void {
    const reason = typeof error === 'string' ? error : (error as Error)?.name || 'Error';
    const failure: SweepFailure = { accountId: grant.accountId, grantKey: grant.grantKey, label, reason };
    this.deps.log.warn('sweep could not finish a grant', { ...failure });
  }
}

async function inParallel(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
