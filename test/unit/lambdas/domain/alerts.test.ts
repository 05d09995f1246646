import { alertSteps, dueAlert, EXPIRED_LABEL, nextAlertAt, parseThresholds } from '../../../../lambdas/domain/alerts.js';
import { DAY_MS, HOUR_MS } from '../../../../lambdas/domain/time.js';

const EXPIRES = new Date('2027-03-01T10:00:00.000Z');
const at = (offsetMs: number) => new Date(EXPIRES.getTime() + offsetMs);
const THRESHOLDS = parseThresholds('30d,1d');
const state = (alertsSent: string[] = [], revokedAt: Date | null = null) => ({ expiresAt: EXPIRES, alertsSent, revokedAt });

describe('parseThresholds', () => {
  it('reads days and hours, earliest warning first, whatever the order given', () => {
    expect(parseThresholds(' 1d, 30d ,12h')).toEqual([
      { label: '30d', beforeExpiryMs: 30 * DAY_MS },
      { label: '1d', beforeExpiryMs: DAY_MS },
      { label: '12h', beforeExpiryMs: 12 * HOUR_MS },
    ]);
  });

  it.each([
    ['', /at least one threshold/],
    [' , ', /at least one threshold/],
    ['30', /"30" is not a threshold/],
    ['0d', /"0d" is not a threshold/],
    ['30m', /"30m" is not a threshold/],
    ['-1d', /"-1d" is not a threshold/],
    ['10000d', /"10000d" is not a threshold/],
    ['1.5d', /"1.5d" is not a threshold/],
    ['365d', /shorter than the 365-day authorization/],
    ['8760h', /shorter than the 365-day authorization/],
    ['30d,30d', /"30d" is listed twice/],
    ['1d,24h', /"24h" is the same time before expiry as "1d"/],
  ])('rejects %j with a message saying what is wrong', (spec, message) => {
    expect(() => parseThresholds(spec)).toThrow(message);
  });

  it('accepts the longest threshold shorter than a year', () => {
    expect(parseThresholds('364d')).toEqual([{ label: '364d', beforeExpiryMs: 364 * DAY_MS }]);
  });
});

describe('alertSteps', () => {
  it('lists each threshold, then expiry, in time order', () => {
    expect(alertSteps(EXPIRES, parseThresholds('1d,30d'))).toEqual([
      { label: '30d', kind: 'expiring', at: at(-30 * DAY_MS) },
      { label: '1d', kind: 'expiring', at: at(-DAY_MS) },
      { label: EXPIRED_LABEL, kind: 'expired', at: EXPIRES },
    ]);
  });
});

describe('dueAlert at the boundaries', () => {
  it.each([
    ['1 ms before the 30-day mark', -30 * DAY_MS - 1, [], null],
    ['exactly at the 30-day mark', -30 * DAY_MS, [], '30d'],
    ['between the marks, 30d not yet sent', -10 * DAY_MS, [], '30d'],
    ['between the marks, 30d sent', -10 * DAY_MS, ['30d'], null],
    ['1 ms before the 1-day mark', -DAY_MS - 1, ['30d'], null],
    ['exactly at the 1-day mark', -DAY_MS, ['30d'], '1d'],
    ['1 ms before expiry, 1d sent', -1, ['30d', '1d'], null],
    ['exactly at expiry', 0, ['30d', '1d'], 'expired'],
    ['long after expiry, everything handled', 90 * DAY_MS, ['30d', '1d', 'expired'], null],
  ])('%s', (_name, offset, sent, expected) => {
    expect(dueAlert(state(sent as string[]), THRESHOLDS, at(offset as number))?.step.label ?? null).toBe(expected);
  });

  it('names nothing as passed when runs were on time', () => {
    expect(dueAlert(state(['30d']), THRESHOLDS, at(-DAY_MS))).toEqual({ step: { label: '1d', kind: 'expiring', at: at(-DAY_MS) }, passed: [] });
  });
});

describe('dueAlert after missed runs (R9)', () => {
  it('announces only the 1-day warning and passes over 30d when both marks went by unseen', () => {
    expect(dueAlert(state(), THRESHOLDS, at(-12 * HOUR_MS))).toEqual({ step: { label: '1d', kind: 'expiring', at: at(-DAY_MS) }, passed: ['30d'] });
  });

  it('announces only expiry when every mark went by unseen', () => {
    expect(dueAlert(state(), THRESHOLDS, at(3 * DAY_MS))).toEqual({ step: { label: 'expired', kind: 'expired', at: EXPIRES }, passed: ['30d', '1d'] });
  });

  it('never goes back to an earlier threshold once a later one was handled', () => {
    expect(dueAlert(state(['1d']), THRESHOLDS, at(-12 * HOUR_MS))).toBeNull();
    expect(nextAlertAt(state(['1d']), THRESHOLDS)).toEqual(EXPIRES);
  });
});

describe('revoked grants', () => {
  it('get no expiry alerts and leave the due index', () => {
    const revoked = state([], at(-100 * DAY_MS));
    expect(dueAlert(revoked, THRESHOLDS, at(-DAY_MS))).toBeNull();
    expect(dueAlert(revoked, THRESHOLDS, at(DAY_MS))).toBeNull();
    expect(nextAlertAt(revoked, THRESHOLDS)).toBeNull();
  });
});

describe('nextAlertAt', () => {
  it('walks the schedule as labels are handled, and ends with null', () => {
    expect(nextAlertAt(state(), THRESHOLDS)).toEqual(at(-30 * DAY_MS));
    expect(nextAlertAt(state(['30d']), THRESHOLDS)).toEqual(at(-DAY_MS));
    expect(nextAlertAt(state(['30d', '1d']), THRESHOLDS)).toEqual(EXPIRES);
    expect(nextAlertAt(state(['30d', '1d', 'expired']), THRESHOLDS)).toBeNull();
  });

  it('follows a changed configuration: labels no longer configured are ignored', () => {
    expect(nextAlertAt(state(['7d']), THRESHOLDS)).toEqual(at(-30 * DAY_MS));
    expect(nextAlertAt(state(['30d', '7d']), THRESHOLDS)).toEqual(at(-DAY_MS));
  });
});
