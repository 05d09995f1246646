import { expiryFor } from '../../../../lambdas/domain/grant.js';

describe('a grant\'s lifetime', () => {
  it('ends exactly 365 days after the code exchange, leap years included', () => {
    expect(expiryFor(new Date('2026-03-01T10:00:00.000Z')).toISOString()).toBe('2027-03-01T10:00:00.000Z');
    expect(expiryFor(new Date('2027-06-01T00:00:00.000Z')).toISOString()).toBe('2028-05-31T00:00:00.000Z');
  });
});
