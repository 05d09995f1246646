import { ConflictError, DomainError, NotFoundError, UnauthorizedError, UnknownMarketplaceError, ValidationError } from '../../../lambdas/domain/errors.js';
import { DETAIL_TYPES, disconnectedEvent, EVENT_SOURCE, eventId, expiredEvent, expiringEvent, grantedEvent, revokedEvent } from '../../../lambdas/domain/events.js';
import { expiryFor } from '../../../lambdas/domain/grant.js';
import { MARKETPLACE_CODES } from '../../../lambdas/domain/marketplaces.js';
import { DAY_MS, HOUR_MS } from '../../../lambdas/domain/time.js';
import { A_NOW, aGrant } from '../../builders/grants.js';

describe('a grant\'s lifetime', () => {
  it('ends exactly 365 days after the code exchange, leap years included', () => {
    expect(expiryFor(new Date('2026-03-01T10:00:00.000Z')).toISOString()).toBe('2027-03-01T10:00:00.000Z');
    expect(expiryFor(new Date('2027-06-01T00:00:00.000Z')).toISOString()).toBe('2028-05-31T00:00:00.000Z');
  });
});

describe('errors the caller can act on', () => {
  it.each([
    ['ValidationError', new ValidationError('Bad.'), 'VALIDATION_FAILED', 400],
    ['UnknownMarketplaceError', new UnknownMarketplaceError('GB'), 'UNKNOWN_MARKETPLACE', 400],
    ['UnauthorizedError', new UnauthorizedError(), 'UNAUTHORIZED', 401],
    ['NotFoundError', new NotFoundError('NO_AUTHORIZATION', 'None.'), 'NO_AUTHORIZATION', 404],
    ['ConflictError', new ConflictError('TOKEN_EXPIRED', 'Expired.'), 'TOKEN_EXPIRED', 409],
  ])('%s has code %s and status %i', (_name, error, code, status) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, httpStatus: status });
    expect(error.name).toBe(error.constructor.name);
    expect(error.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(error.message).toMatch(/\.$/);
  });

  it('names an unknown marketplace code and lists the valid ones', () => {
    const error = new UnknownMarketplaceError('GB');

    expect(error.message).toBe(`"GB" is not a supported Amazon marketplace. Use one of: ${MARKETPLACE_CODES.join(', ')}.`);
    expect(error.details).toEqual({ validMarketplaces: MARKETPLACE_CODES });
  });

  it.each([`GB${'x'.repeat(100)}`, '<script>alert(1)</script>', 'Atzr|IwEBIexample', 'UK%2F..'])('never repeats a value that is not shaped like a code (%s)', (value) => {
    const error = new UnknownMarketplaceError(value);

    expect(error.message).toBe(`That is not a supported Amazon marketplace. Use one of: ${MARKETPLACE_CODES.join(', ')}.`);
  });

  it('keeps the cause', () => {
    const cause = new Error('root');

    expect(new DomainError('X', 500, 'Failed.', undefined, { cause }).cause).toBe(cause);
  });
});

describe('domain events', () => {
  const grant = aGrant({ region: 'EU' });

  it('carry the common detail of docs/events.md and never a token', () => {
    const events = [grantedEvent(grant, false), expiringEvent(grant, '30d', A_NOW), expiredEvent(grant), revokedEvent(grant, A_NOW), disconnectedEvent(grant, A_NOW)];

    for (const e of events) {
      expect(e.detail).toMatchObject({
        version: '1',
        accountId: grant.accountId,
        region: 'EU',
        sellingPartnerId: grant.sellingPartnerId,
        marketplaces: grant.marketplaces,
        generatedAt: grant.generatedAt.toISOString(),
        expiresAt: grant.expiresAt.toISOString(),
      });
      expect(e.detail.eventId).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.stringify(e)).not.toMatch(/Atz[ra]\||secret/i);
    }
    expect(EVENT_SOURCE).toBe('aob.amazon-connect');
    expect(new Set(events.map((e) => e.detail.eventId)).size).toBe(5);
  });

  it('a disconnect says when it happened, under its detail type', () => {
    expect(disconnectedEvent(grant, A_NOW)).toMatchObject({ detailType: DETAIL_TYPES.disconnected, detail: { disconnectedAt: A_NOW.toISOString() } });
    expect(DETAIL_TYPES.disconnected).toBe('Amazon Authorization Disconnected');
  });

  it('get the same id for the same fact, whenever and however often it is built', () => {
    expect(disconnectedEvent(grant, A_NOW).detail.eventId).toBe(disconnectedEvent(grant, new Date(A_NOW.getTime() + HOUR_MS)).detail.eventId);
    expect(expiringEvent(grant, '1d', A_NOW).detail.eventId).toBe(expiringEvent(grant, '1d', new Date(A_NOW.getTime() + DAY_MS)).detail.eventId);
  });

  it('get a new id for a new authorization of the same grant', () => {
    const renewed = aGrant({ region: 'EU', generatedAt: new Date(grant.generatedAt.getTime() + DAY_MS) });

    expect(disconnectedEvent(renewed, A_NOW).detail.eventId).not.toBe(disconnectedEvent(grant, A_NOW).detail.eventId);
  });

  it('separate the parts of an id so they cannot run into each other', () => {
    expect(eventId('ab', 'c')).not.toBe(eventId('a', 'bc'));
  });
});
