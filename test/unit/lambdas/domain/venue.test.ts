import { marketplacesInRegion, MARKETPLACE_CODES } from '../../../../lambdas/domain/marketplaces.js';
import { DAY_MS } from '../../../../lambdas/domain/time.js';
import { accountVenues, venueView } from '../../../../lambdas/domain/venue.js';
import { A_NOW, aGrant, aGrantExpiringIn, anAccountWith, anEmptyAccount, aVenueRecord, venuesServedBy } from '../../../builders/grants.js';

describe('the venues of an account', () => {
  const now = A_NOW;

  it('lists all 23 marketplaces, NA → EU → FE, even for an account with nothing stored', () => {
    const venues = accountVenues(anEmptyAccount(), now);

    expect(venues.map((v) => v.marketplace)).toEqual([...MARKETPLACE_CODES]);
    expect(venues.map((v) => v.region)).toEqual([...Array(4).fill('NA'), ...Array(16).fill('EU'), ...Array(3).fill('FE')]);
    for (const v of venues) {
      expect(v).toMatchObject({ active: false, token: { status: 'none', message: 'No token present' }, activation: { allowed: false, reason: 'NO_TOKEN' } });
    }
  });

  it('describes each marketplace with its id and domain', () => {
    expect(venueView('UK', anEmptyAccount(), now)).toMatchObject({ marketplace: 'UK', marketplaceId: 'A1F83G8C2ARO7P', domain: 'amazon.co.uk', region: 'EU' });
  });

  it('gives every venue served by an EU grant that grant\'s status, and no other venue', () => {
    const grant = aGrantExpiringIn(12 * DAY_MS, now, { region: 'EU' });

    const venues = accountVenues(anAccountWith(grant), now);

    const eu = new Set(marketplacesInRegion('EU').map((m) => m.code));
    for (const v of venues) {
      if (eu.has(v.marketplace)) expect(v.token).toMatchObject({ status: 'expiring', message: 'Expires in 12 days', sellingPartnerId: grant.sellingPartnerId });
      else expect(v.token.status).toBe('none');
    }
  });

  it('takes the status from the grant the venue record points at (grantKey), not from region membership', () => {
    const grant = aGrant({ region: 'EU' });
    const snapshot = { grants: [grant], venues: [aVenueRecord({ marketplace: 'DE', grantKey: grant.grantKey, participating: true }), aVenueRecord({ marketplace: 'FR', grantKey: null })] };

    expect(venueView('DE', snapshot, now).token.status).toBe('current');
    expect(venueView('FR', snapshot, now).token.status).toBe('none');
    expect(venueView('IT', snapshot, now).token.status).toBe('none');
  });

  it('treats a venue pointing at a grant that no longer exists as having no token', () => {
    const snapshot = { grants: [], venues: [aVenueRecord({ marketplace: 'DE', grantKey: 'EU#GONE', participating: true, active: true })] };

    expect(venueView('DE', snapshot, now)).toMatchObject({ active: false, activeChoice: true, participating: null, token: { status: 'none' }, activation: { reason: 'NO_TOKEN' } });
  });

  it('serves each FE marketplace from its own grant', () => {
    const jp = aGrantExpiringIn(200 * DAY_MS, now, { region: 'FE', marketplaces: ['JP'] });
    const au = aGrantExpiringIn(5 * DAY_MS, now, { region: 'FE', marketplaces: ['AU'], sellingPartnerId: 'A2AUSELLER' });

    const byCode = Object.fromEntries(accountVenues(anAccountWith(jp, au), now).map((v) => [v.marketplace, v]));

    expect(byCode.JP!.token).toMatchObject({ status: 'current' });
    expect(byCode.AU!.token).toMatchObject({ status: 'expiring', message: 'Expires in 5 days', sellingPartnerId: 'A2AUSELLER' });
    expect(byCode.SG!.token.status).toBe('none');
  });

  it('lets a seller activate only where they are registered', () => {
    const grant = aGrant({ region: 'EU' });
    const venues = venuesServedBy(grant).map((v) => (v.marketplace === 'DE' ? { ...v, participating: false } : v));

    const de = venueView('DE', { grants: [grant], venues }, now);
    const uk = venueView('UK', { grants: [grant], venues }, now);

    expect(de.activation).toEqual({ allowed: false, reason: 'NOT_REGISTERED', message: 'Your Amazon seller account is not registered to sell on amazon.de.' });
    expect(uk.activation).toEqual({ allowed: true, reason: null, message: null });
  });

  it.each([
    ['expired', aGrantExpiringIn(-1, now), 'TOKEN_EXPIRED'],
    ['revoked', aGrant({ revokedAt: now }), 'TOKEN_REVOKED'],
  ] as const)('never reports an %s venue as Active, but remembers that the seller chose Active', (_label, grant, reason) => {
    const venues = venuesServedBy(grant, { active: true });

    expect(venueView('UK', { grants: [grant], venues }, now)).toMatchObject({ active: false, activeChoice: true, activation: { allowed: false, reason } });
  });

  it('applies the remembered choice again once the venue may be Active', () => {
    const grant = aGrant({ region: 'EU' });
    const venues = venuesServedBy(grant, { active: true });

    expect(venueView('UK', { grants: [grant], venues }, now)).toMatchObject({ active: true, activeChoice: true, participating: true });
  });

  it('is not Active where the seller is not registered, even when chosen, and says whether the seller sells there', () => {
    const grant = aGrant({ region: 'EU' });
    const venues = venuesServedBy(grant, { active: true }).map((v) => (v.marketplace === 'DE' ? { ...v, participating: false } : v));

    expect(venueView('DE', { grants: [grant], venues }, now)).toMatchObject({ active: false, activeChoice: true, participating: false, activation: { reason: 'NOT_REGISTERED' } });
  });
});
