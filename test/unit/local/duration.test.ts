import { DurationError, addDuration } from '../../../local/duration.js';

/** The dev clock moves by ISO-8601 durations (`POST /__dev/clock {"advance": "P30D"}`). */

const from = new Date('2026-01-15T10:00:00.000Z');

describe('addDuration', () => {
  it.each([
    ['P30D', '2026-02-14T10:00:00.000Z'],
    ['PT5H', '2026-01-15T15:00:00.000Z'],
    ['P1DT2H', '2026-01-16T12:00:00.000Z'],
    ['PT11M', '2026-01-15T10:11:00.000Z'],
    ['PT1.5S', '2026-01-15T10:00:01.500Z'],
    ['P2W', '2026-01-29T10:00:00.000Z'],
    ['P1Y', '2027-01-15T10:00:00.000Z'],
    ['P1M', '2026-02-15T10:00:00.000Z'],
    ['P1Y2M3DT4H5M6S', '2027-03-18T14:05:06.000Z'],
    ['-P1D', '2026-01-14T10:00:00.000Z'],
  ])('moves %s to %s', (duration, expected) => {
    expect(addDuration(from, duration).toISOString()).toBe(expected);
  });

  it.each(['', 'P', 'PT', '30D', 'P1H', 'P1DT', 'soon', 'P-1D'])('refuses %p with a message naming the format', (duration) => {
    expect(() => addDuration(from, duration)).toThrow(DurationError);
    expect(() => addDuration(from, duration)).toThrow(/ISO-8601 duration such as P30D/);
  });
});
