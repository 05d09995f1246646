/** `token`: every request to LWA's token endpoint; `refresh`: only refreshes (a code exchange goes through). */
export type FaultTarget = 'token' | 'refresh' | 'participations';
export type FaultMode = 'server_error' | 'timeout' | 'invalid_client';

export interface Fault {
  readonly target: FaultTarget;
  readonly mode: FaultMode;
  /** How many of the next requests to the target fail; 0 clears the target's fault. */
  readonly times: number;
}

const TARGETS: readonly FaultTarget[] = ['token', 'refresh', 'participations'];
const MODES: readonly FaultMode[] = ['server_error', 'timeout', 'invalid_client'];

/** One pending fault per target: setting a new one replaces the old, so a test states exactly what happens next. */
export class FaultPlan {
  private readonly pending = new Map<FaultTarget, { mode: FaultMode; remaining: number }>();

  set(fault: Fault): void {
    if (!TARGETS.includes(fault.target)) throw new Error(`Unknown fault target "${String(fault.target)}": use ${TARGETS.join(', ')}.`);
    if (!MODES.includes(fault.mode)) throw new Error(`Unknown fault mode "${String(fault.mode)}": use ${MODES.join(', ')}.`);
    if (!Number.isInteger(fault.times) || fault.times < 0) throw new Error('Fault times must be a whole number, 0 or more.');
    if (fault.times === 0) this.pending.delete(fault.target);
    else this.pending.set(fault.target, { mode: fault.mode, remaining: fault.times });
  }

  /** The fault this request to `target` suffers, if any, counting it down. */
  take(target: FaultTarget): FaultMode | undefined {
    const fault = this.pending.get(target);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending.delete(target);
    return fault.mode;
  }
}
