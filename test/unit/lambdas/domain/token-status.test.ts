import fc from 'fast-check';
import { DAY_MS, HOUR_MS } from '../../../../lambdas/domain/time.js';
import { NO_TOKEN_MESSAGE, REVOKED_MESSAGE, tokenStatus } from '../../../../lambdas/domain/token-status.js';
import { A_NOW, aGrant, aGrantExpiringIn } from '../../../builders/grants.js';

/** The status table of docs/venues.md: the status and message a venue shows, at every boundary of its table. */
describe('token status', () => {
  const now = A_NOW;
  const at = (remainingMs: number) => tokenStatus(aGrantExpiringIn(remainingMs, now), now);

  it('is "none" when no grant covers the venue, with every field null', () => {
    expect(tokenStatus(undefined, now)).toEqual({
      status: 'none',
      message: 'No token present',
      generatedAt: null,
      expiresAt: null,
      daysRemaining: null,
      hoursRemaining: null,
      sellingPartnerId: null,
      lastCheckedAt: null,
    });
    expect(NO_TOKEN_MESSAGE).toBe('No token present');
  });

  it('shows when Amazon last confirmed the authorization, whatever the status; null for a grant from before the token service', () => {
    const checked = new Date(now.getTime() - 3_600_000);
    expect(tokenStatus(aGrantExpiringIn(365 * DAY_MS, now, { lastCheckedAt: checked }), now).lastCheckedAt).toBe(checked.toISOString());
    expect(tokenStatus(aGrantExpiringIn(365 * DAY_MS, now, { lastCheckedAt: checked, revokedAt: now }), now)).toMatchObject({ status: 'revoked', lastCheckedAt: checked.toISOString() });
    expect(tokenStatus(aGrantExpiringIn(365 * DAY_MS, now), now).lastCheckedAt).toBeNull();
  });

  it.each([
    ['more than 30 days (a fresh grant)', 365 * DAY_MS, 'current', 'Current', 365, 365 * 24],
    ['30 days + 1 ms', 30 * DAY_MS + 1, 'current', 'Current', 31, 30 * 24 + 1],
    ['exactly 30 days', 30 * DAY_MS, 'expiring', 'Expires in 30 days', 30, 30 * 24],
    ['30 days − 1 ms', 30 * DAY_MS - 1, 'expiring', 'Expires in 30 days', 30, 30 * 24],
    ['29 days', 29 * DAY_MS, 'expiring', 'Expires in 29 days', 29, 29 * 24],
    ['24 h + 1 ms', DAY_MS + 1, 'expiring', 'Expires in 2 days', 2, 25],
    ['exactly 24 h', DAY_MS, 'expiring', 'Expires in 24 hours', 1, 24],
    ['24 h − 1 ms', DAY_MS - 1, 'expiring', 'Expires in 24 hours', 1, 24],
    ['2 h', 2 * HOUR_MS, 'expiring', 'Expires in 2 hours', 1, 2],
    ['1 h + 1 ms', HOUR_MS + 1, 'expiring', 'Expires in 2 hours', 1, 2],
    ['exactly 1 h', HOUR_MS, 'expiring', 'Expires in 1 hour', 1, 1],
    ['1 ms', 1, 'expiring', 'Expires in 1 hour', 1, 1],
    ['0 (the instant of expiry)', 0, 'expired', 'Expired', 0, 0],
    ['−1 ms', -1, 'expired', 'Expired', 0, 0],
    ['−400 days', -400 * DAY_MS, 'expired', 'Expired', 0, 0],
  ])('with %s remaining is %s: "%s"', (_label, remainingMs, status, message, daysRemaining, hoursRemaining) => {
    expect(at(remainingMs)).toMatchObject({ status, message, daysRemaining, hoursRemaining });
  });

  it('carries the grant\'s dates and selling partner id', () => {
    const grant = aGrant({ generatedAt: new Date('2026-01-15T08:30:00.000Z'), sellingPartnerId: 'A1SELLER' });

    expect(tokenStatus(grant, now)).toMatchObject({
      generatedAt: '2026-01-15T08:30:00.000Z',
      expiresAt: '2027-01-15T08:30:00.000Z',
      sellingPartnerId: 'A1SELLER',
    });
  });

  it('says "revoked" whatever the time, and counts nothing down', () => {
    fc.assert(
      fc.property(fc.integer({ min: -800 * DAY_MS, max: 800 * DAY_MS }), (remainingMs) => {
        const grant = aGrantExpiringIn(remainingMs, now, { revokedAt: new Date(now.getTime() - HOUR_MS) });
        const view = tokenStatus(grant, now);
        expect(view).toMatchObject({ status: 'revoked', message: REVOKED_MESSAGE, daysRemaining: null, hoursRemaining: null });
        expect(view.sellingPartnerId).toBe(grant.sellingPartnerId);
      }),
    );
    expect(REVOKED_MESSAGE).toBe('Revoked on Amazon — authorize again');
  });

  it('keeps status, message and counters consistent for any remaining time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -800 * DAY_MS, max: 800 * DAY_MS }), (remainingMs) => {
        const view = at(remainingMs);
        const days = Math.ceil(remainingMs / DAY_MS);
        const hours = Math.ceil(remainingMs / HOUR_MS);
        if (remainingMs <= 0) {
          expect(view).toMatchObject({ status: 'expired', message: 'Expired', daysRemaining: 0, hoursRemaining: 0 });
        } else if (remainingMs <= DAY_MS) {
          expect(view).toMatchObject({ status: 'expiring', message: `Expires in ${hours} ${hours === 1 ? 'hour' : 'hours'}`, daysRemaining: 1 });
          expect(hours).toBeGreaterThanOrEqual(1);
          expect(hours).toBeLessThanOrEqual(24);
        } else if (remainingMs <= 30 * DAY_MS) {
          expect(view).toMatchObject({ status: 'expiring', message: `Expires in ${days} days`, daysRemaining: days, hoursRemaining: hours });
          expect(days).toBeGreaterThanOrEqual(2);
          expect(days).toBeLessThanOrEqual(30);
        } else {
          expect(view).toMatchObject({ status: 'current', message: 'Current', daysRemaining: days, hoursRemaining: hours });
        }
      }),
    );
  });

  it('never counts up as time passes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2 * DAY_MS, max: 400 * DAY_MS }), fc.integer({ min: 0, max: 10 * DAY_MS }), (remainingMs, elapsed) => {
        const grant = aGrantExpiringIn(remainingMs, now);
        const earlier = tokenStatus(grant, now);
        const later = tokenStatus(grant, new Date(now.getTime() + elapsed));
        expect(later.hoursRemaining!).toBeLessThanOrEqual(earlier.hoursRemaining!);
        expect(later.daysRemaining!).toBeLessThanOrEqual(earlier.daysRemaining!);
      }),
    );
  });
});
