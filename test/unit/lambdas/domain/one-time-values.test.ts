import { authorizationExpiry } from '../../../../lambdas/domain/flow-lifetimes.js';
import { hashOneTime, isOneTimeValue, newOneTimeValue, stateFromBinding, stateMatchesBinding } from '../../../../lambdas/domain/one-time-values.js';

/** S1: tickets, bindings, states and their hashes; S4: the lifetime cap. */

describe('one-time values (S1)', () => {
  it('10,000 tickets, bindings and derived states: 0 collisions, 256 bits each, base64url', () => {
    // Prepare / Act
    const values = Array.from({ length: 10_000 }, () => newOneTimeValue());
    const states = values.map(stateFromBinding);
    // Assess
    expect(new Set(values).size).toBe(10_000);
    expect(new Set(states).size).toBe(10_000);
    expect(values.every(isOneTimeValue)).toBe(true);
    expect(states.every(isOneTimeValue)).toBe(true);
    expect(Buffer.from(values[0]!, 'base64url')).toHaveLength(32);
  });

  it('stores a SHA-256 hex digest, never the value', () => {
    const v = newOneTimeValue();
    expect(hashOneTime(v)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOneTime(v)).not.toContain(v);
  });

  it('a state belongs to exactly one binding', () => {
    const binding = newOneTimeValue();
    expect(stateMatchesBinding(stateFromBinding(binding), binding)).toBe(true);
    expect(stateMatchesBinding(stateFromBinding(newOneTimeValue()), binding)).toBe(false);
    expect(stateMatchesBinding('short', binding)).toBe(false);
  });

  it('lifetime is capped at 10 minutes whatever the configuration says (S4)', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(authorizationExpiry(now, 60 * 60_000).getTime() - now.getTime()).toBe(10 * 60_000);
    expect(authorizationExpiry(now, 5 * 60_000).getTime() - now.getTime()).toBe(5 * 60_000);
  });
});
