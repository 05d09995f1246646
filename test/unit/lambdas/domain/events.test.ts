import { DETAIL_TYPES, disconnectedEvent, EVENT_SOURCE, eventId, expiredEvent, expiringEvent, grantedEvent, revokedEvent } from '../../../../lambdas/domain/events.js';
import { DAY_MS, HOUR_MS } from '../../../../lambdas/domain/time.js';
import { A_NOW, aGrant } from '../../../builders/grants.js';

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
