import { AUTHORIZATION_LIFETIME_MS, DAY_MS, HOUR_MS } from './time.js';

/** A warning sent some time before an authorization expires, e.g. `30d` or `1d`. */
export interface AlertThreshold {
  readonly label: string;
  readonly beforeExpiryMs: number;
}

export const EXPIRED_LABEL = 'expired';

/** One thing the sweep may say about a grant: a threshold warning, or that it has expired. */
export interface AlertStep {
  readonly label: string;
  readonly kind: 'expiring' | 'expired';
  readonly at: Date;
}

/** Parses `30d,1d` (units `d` and `h`) into thresholds, earliest warning first. */
export function parseThresholds(spec: string): AlertThreshold[] {
  const parts = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new Error('at least one threshold is required, e.g. "30d,1d"');
  const seen = new Set<string>();
  const byDuration = new Map<number, string>();
  const thresholds = parts.map((label) => {
    const match = /^([1-9]\d{0,3})([dh])$/.exec(label);
    if (!match) throw new Error(`"${label}" is not a threshold: use a whole number of days or hours, e.g. 30d or 12h`);
    const amount = Number(match[1]);
    const beforeExpiryMs = amount * (match[2] === 'd' ? DAY_MS : HOUR_MS);
    if (beforeExpiryMs >= AUTHORIZATION_LIFETIME_MS) throw new Error(`"${label}" must be shorter than the 365-day authorization`);
    if (seen.has(label)) throw new Error(`"${label}" is listed twice`);
    seen.add(label);
    // Two labels at one instant would announce one and silently pass over the other.
    const twin = byDuration.get(beforeExpiryMs);
    if (twin) throw new Error(`"${label}" is the same time before expiry as "${twin}": list it once`);
    byDuration.set(beforeExpiryMs, label);
    return { label, beforeExpiryMs };
  });
  return thresholds.sort((a, b) => b.beforeExpiryMs - a.beforeExpiryMs);
}

/** Every step of one authorization's year, in time order: each threshold, then expiry. */
export function alertSteps(expiresAt: Date, thresholds: readonly AlertThreshold[]): AlertStep[] {
  const steps: AlertStep[] = [...thresholds]
    .sort((a, b) => b.beforeExpiryMs - a.beforeExpiryMs)
    .map((t) => ({ label: t.label, kind: 'expiring' as const, at: new Date(expiresAt.getTime() - t.beforeExpiryMs) }));
  steps.push({ label: EXPIRED_LABEL, kind: 'expired', at: expiresAt });
  return steps;
}

interface AlertState {
  readonly expiresAt: Date;
  readonly alertsSent: readonly string[];
  readonly revokedAt: Date | null;
}

/** Steps still to come: those after the most urgent step already handled. */
function pendingSteps(grant: AlertState, thresholds: readonly AlertThreshold[]): AlertStep[] {
  const steps = alertSteps(grant.expiresAt, thresholds);
  const lastHandled = steps.reduce((last, step, i) => (grant.alertsSent.includes(step.label) ? i : last), -1);
  return steps.slice(lastHandled + 1);
}

/** When the sweep next has to look at this grant; null when nothing is left (or it was revoked). */
export function nextAlertAt(grant: AlertState, thresholds: readonly AlertThreshold[]): Date | null {
  if (grant.revokedAt) return null;
  return pendingSteps(grant, thresholds)[0]?.at ?? null;
}

export interface DueAlert {
  /** The one step to announce now: the most urgent that applies. */
  readonly step: AlertStep;
  /** Earlier steps whose time also passed (missed runs): marked handled without an event. */
  readonly passed: readonly string[];
}

/** What the sweep should announce for this grant at `now`, or null if nothing is due. */
export function dueAlert(grant: AlertState, thresholds: readonly AlertThreshold[], now: Date): DueAlert | null {
  if (grant.revokedAt) return null;
  const due = pendingSteps(grant, thresholds).filter((s) => s.at.getTime() <= now.getTime());
  const step = due.at(-1);
  if (!step) return null;
  return { step, passed: due.slice(0, -1).map((s) => s.label) };
}

/** What one sweep did; the handler turns it into metrics and one log line. */
export interface SweepSummary {
  /** Grants read from the due index. */
  readonly examined: number;
  /** Events the bus accepted. */
  readonly eventsSent: number;
  /** Earlier thresholds recorded as passed without an event (missed runs). */
  readonly passed: number;
  /** Grants whose event was refused or whose state could not be written: the next run retries them. */
  readonly failed: number;
  /** Grants left alone: changed by someone else since the read, or nothing due on a closer look. */
  readonly skipped: number;
  readonly durationMs: number;
}
