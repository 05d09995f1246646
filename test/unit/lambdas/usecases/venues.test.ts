import { ConflictError, DomainError } from '../../../../lambdas/domain/errors.js';
import { DETAIL_TYPES } from '../../../../lambdas/domain/events.js';
import { MARKETPLACE_CODES, marketplacesInRegion } from '../../../../lambdas/domain/marketplaces.js';
import { DAY_MS } from '../../../../lambdas/domain/time.js';
import { disconnect, getVenue, listVenues, setVenueActive } from '../../../../lambdas/usecases/venues.js';
import { A_NOW, AN_ACCOUNT, aGrant, aGrantExpiringIn, anAccountWith, anEmptyAccount, aVenueRecord, venuesServedBy } from '../../../builders/grants.js';
import { RecordingLog } from '../../../builders/log.js';
import { InMemoryAccountStore } from '../../../builders/venues.js';
import { InMemorySecretStore } from '../../../builders/secrets.js';
import { FakeClock } from '../../../builders/clock.js';
import { RecordingPublisher } from '../../../builders/publisher.js';

const clock = new FakeClock(A_NOW);
const EU = marketplacesInRegion('EU').map((m) => m.code);

describe('listing venues', () => {
  it('returns all 23 venues of the account from one read', async () => {
    const accounts = new InMemoryAccountStore(anAccountWith(aGrant({ region: 'EU' })));

    const venues = await listVenues({ accounts, clock }, AN_ACCOUNT);

    expect(venues.map((v) => v.marketplace)).toEqual([...MARKETPLACE_CODES]);
    expect(venues.filter((v) => v.token.status === 'current').map((v) => v.marketplace)).toEqual(EU);
    expect(accounts.loads).toBe(1);
  });

  it('shows nothing of another account', async () => {
    const accounts = new InMemoryAccountStore(anAccountWith(aGrant({ accountId: 'acct-other', region: 'NA' })));

    const venues = await listVenues({ accounts, clock }, AN_ACCOUNT);

    expect(venues.every((v) => v.token.status === 'none')).toBe(true);
  });

  it('gets one venue', async () => {
    const accounts = new InMemoryAccountStore(anAccountWith(aGrantExpiringIn(3 * DAY_MS, A_NOW, { region: 'NA' })));

    await expect(getVenue({ accounts, clock }, AN_ACCOUNT, 'MX')).resolves.toMatchObject({ marketplace: 'MX', token: { status: 'expiring', message: 'Expires in 3 days' } });
    expect(accounts.loads).toBe(1);
  });
});

describe('setting a venue Active', () => {
  it('activates a venue with a live token where the seller is registered, with one write', async () => {
    const accounts = new InMemoryAccountStore(anAccountWith(aGrant({ region: 'EU' })));

    const venue = await setVenueActive({ accounts, clock }, AN_ACCOUNT, 'DE', true);

    expect(venue).toMatchObject({ marketplace: 'DE', active: true, activation: { allowed: true } });
    expect(accounts.peek(AN_ACCOUNT).venues.find((v) => v.marketplace === 'DE')).toMatchObject({ active: true, version: 2 });
    expect(accounts.writes).toBe(1);
  });

  it.each([
    ['NO_TOKEN', anEmptyAccount(), 'Authorize AoB on Amazon for amazon.de before setting this venue Active.'],
    ['TOKEN_EXPIRED', anAccountWith(aGrantExpiringIn(0)), 'The authorization for amazon.de has expired. Authorize again to set this venue Active.'],
    ['TOKEN_REVOKED', anAccountWith(aGrant({ revokedAt: A_NOW })), 'The authorization for amazon.de was revoked on Amazon. Authorize again to set this venue Active.'],
  ])('refuses with 409 %s and writes nothing', async (code, snapshot, message) => {
    const accounts = new InMemoryAccountStore(snapshot);

    const error = await setVenueActive({ accounts, clock }, AN_ACCOUNT, 'DE', true).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code, httpStatus: 409, message, details: { marketplace: 'DE' } });
    expect(accounts.writes).toBe(0);
  });

  it('refuses with 409 NOT_REGISTERED where the seller does not sell, naming the marketplace', async () => {
    const grant = aGrant({ region: 'EU' });
    const accounts = new InMemoryAccountStore({ grants: [grant], venues: venuesServedBy(grant).map((v) => (v.marketplace === 'DE' ? { ...v, participating: false } : v)) });

    await expect(setVenueActive({ accounts, clock }, AN_ACCOUNT, 'DE', true)).rejects.toMatchObject({
      code: 'NOT_REGISTERED',
      httpStatus: 409,
      message: 'Your Amazon seller account is not registered to sell on amazon.de.',
      details: { marketplace: 'DE', tokenStatus: 'current' },
    });
  });

  it('always allows deactivating, even with an expired or revoked token', async () => {
    for (const grant of [aGrantExpiringIn(-DAY_MS), aGrant({ revokedAt: A_NOW })]) {
      const accounts = new InMemoryAccountStore({ grants: [grant], venues: venuesServedBy(grant, { active: true }) });

      const venue = await setVenueActive({ accounts, clock }, AN_ACCOUNT, 'UK', false);

      expect(venue.active).toBe(false);
      expect(accounts.writes).toBe(1);
    }
  });

  it('changes nothing and writes nothing when the venue is already in that state', async () => {
    const grant = aGrant();
    const accounts = new InMemoryAccountStore({ grants: [grant], venues: venuesServedBy(grant, { active: true }) });

    await expect(setVenueActive({ accounts, clock }, AN_ACCOUNT, 'UK', true)).resolves.toMatchObject({ active: true });
    await expect(setVenueActive({ accounts, clock }, AN_ACCOUNT, 'JP', false)).resolves.toMatchObject({ active: false });
    expect(accounts.writes).toBe(0);
  });

  it('answers an expired venue the seller had chosen Active without a 409 or a write: the choice is kept, the venue is not Active', async () => {
    const grant = aGrantExpiringIn(-1);
    const accounts = new InMemoryAccountStore({ grants: [grant], venues: venuesServedBy(grant, { active: true }) });

    await expect(setVenueActive({ accounts, clock }, AN_ACCOUNT, 'UK', true)).resolves.toMatchObject({ active: false, activeChoice: true, activation: { reason: 'TOKEN_EXPIRED' } });
  });

  it('lets the seller withdraw the remembered choice of an expired venue', async () => {
    const grant = aGrantExpiringIn(-1);
    const accounts = new InMemoryAccountStore({ grants: [grant], venues: venuesServedBy(grant, { active: true }) });

    await expect(setVenueActive({ accounts, clock }, AN_ACCOUNT, 'UK', false)).resolves.toMatchObject({ active: false, activeChoice: false });
    await expect(getVenue({ accounts, clock }, AN_ACCOUNT, 'UK')).resolves.toMatchObject({ activeChoice: false });
  });

  it('retries once from a fresh read when another request changed the venue in between', async () => {
    const grant = aGrant();
    const accounts = new InMemoryAccountStore(anAccountWith(grant));
    accounts.beforeWrite = () => accounts.seed({ grants: [], venues: [aVenueRecord({ marketplace: 'UK', grantKey: grant.grantKey, participating: true, version: 5 })] });

    const venue = await setVenueActive({ accounts, clock }, AN_ACCOUNT, 'UK', true);

    expect(venue.active).toBe(true);
    expect(accounts.loads).toBe(2);
    expect(accounts.peek(AN_ACCOUNT).venues.find((v) => v.marketplace === 'UK')).toMatchObject({ active: true, version: 6 });
  });

  it('re-decides on the fresh read: if the other request already did it, nothing more is written', async () => {
    const grant = aGrant();
    const accounts = new InMemoryAccountStore(anAccountWith(grant));
    accounts.beforeWrite = () => accounts.seed({ grants: [], venues: [aVenueRecord({ marketplace: 'UK', grantKey: grant.grantKey, participating: true, active: true, version: 2 })] });

    await expect(setVenueActive({ accounts, clock }, AN_ACCOUNT, 'UK', true)).resolves.toMatchObject({ active: true });
    expect(accounts.writes).toBe(0);
  });

  it('gives up with 409 CONCURRENT_UPDATE when it loses the race twice', async () => {
    const grant = aGrant();
    const accounts = new InMemoryAccountStore(anAccountWith(grant));
    let version = 1;
    const interfere = () => {
      version += 10;
      accounts.seed({ grants: [], venues: [aVenueRecord({ marketplace: 'UK', grantKey: grant.grantKey, participating: true, version })] });
      accounts.beforeWrite = interfere;
    };
    accounts.beforeWrite = interfere;

    await expect(setVenueActive({ accounts, clock }, AN_ACCOUNT, 'UK', true)).rejects.toMatchObject({
      code: 'CONCURRENT_UPDATE',
      httpStatus: 409,
      details: { marketplace: 'UK' },
    });
    expect(accounts.loads).toBe(2);
  });

  it('lets a store failure through (a 500 for the mapper), without retrying it', async () => {
    const accounts = new InMemoryAccountStore(anAccountWith(aGrant()));
    accounts.beforeWrite = () => {
      throw new Error('DynamoDB is down');
    };

    const error = await setVenueActive({ accounts, clock }, AN_ACCOUNT, 'UK', true).catch((e: unknown) => e);

    expect(error).not.toBeInstanceOf(DomainError);
    expect(accounts.loads).toBe(1);
  });
});

describe('disconnecting', () => {
  const setup = (...snapshots: ReturnType<typeof anAccountWith>[]) => {
    const deps = {
      accounts: new InMemoryAccountStore(...snapshots),
      secrets: new InMemorySecretStore(),
      events: new RecordingPublisher(),
      log: new RecordingLog(),
      clock,
    };
    return deps;
  };

  it('removes the EU grant, deactivates and unlinks all 16 EU venues, and returns them in catalog order', async () => {
    // Prepare
    const grant = aGrant({ region: 'EU' });
    const na = aGrant({ region: 'NA' });
    const deps = setup({ grants: [grant], venues: venuesServedBy(grant, { active: true }) }, anAccountWith(na));

    // Act
    const venues = await disconnect(deps, AN_ACCOUNT, 'DE');

    // Assess
    expect(venues.map((v) => v.marketplace)).toEqual(EU);
    for (const v of venues) {
      expect(v).toMatchObject({ active: false, token: { status: 'none', message: 'No token present' }, activation: { allowed: false, reason: 'NO_TOKEN' } });
    }
    const stored = deps.accounts.peek(AN_ACCOUNT);
    expect(stored.grants).toEqual([na]);
    expect(stored.venues.filter((v) => EU.includes(v.marketplace))).toHaveLength(16);
    expect(stored.venues.filter((v) => EU.includes(v.marketplace)).every((v) => !v.active && v.grantKey === null)).toBe(true);
    expect(stored.venues.filter((v) => v.grantKey === na.grantKey)).toHaveLength(4);
    expect(deps.log.infos).toEqual([{ message: 'grant disconnected', attributes: { accountId: AN_ACCOUNT, grantKey: grant.grantKey, marketplace: 'DE', venues: 16 } }]);
    expect(deps.log.errors).toEqual([]);
  });

  it('schedules the grant\'s secret for deletion and announces the disconnect once', async () => {
    const grant = aGrant({ region: 'NA' });
    const deps = setup(anAccountWith(grant));

    await disconnect(deps, AN_ACCOUNT, 'US');

    expect(deps.secrets.deleted).toEqual([grant.secretName]);
    expect(deps.events.published).toHaveLength(1);
    expect(deps.events.published[0]).toMatchObject({
      detailType: DETAIL_TYPES.disconnected,
      detail: {
        accountId: AN_ACCOUNT,
        region: 'NA',
        sellingPartnerId: grant.sellingPartnerId,
        marketplaces: ['US', 'CA', 'MX', 'BR'],
        disconnectedAt: A_NOW.toISOString(),
      },
    });
    expect(JSON.stringify(deps.events.published)).not.toMatch(/Atz[ra]\|/);
  });

  it('in FE removes only the marketplace\'s own grant', async () => {
    const jp = aGrant({ region: 'FE', marketplaces: ['JP'] });
    const au = aGrant({ region: 'FE', marketplaces: ['AU'] });
    const deps = setup(anAccountWith(jp, au));

    const venues = await disconnect(deps, AN_ACCOUNT, 'JP');

    expect(venues.map((v) => v.marketplace)).toEqual(['JP']);
    expect(deps.accounts.peek(AN_ACCOUNT).grants).toEqual([au]);
  });

  it('answers 404 NO_AUTHORIZATION with a plain message when no grant serves the venue, and changes nothing', async () => {
    const deps = setup(anAccountWith(aGrant({ region: 'NA' })));

    await expect(disconnect(deps, AN_ACCOUNT, 'UK')).rejects.toMatchObject({
      code: 'NO_AUTHORIZATION',
      httpStatus: 404,
      message: 'There is no Amazon authorization for amazon.co.uk to disconnect. Nothing was changed.',
    });
    expect(deps.accounts.writes).toBe(0);
    expect(deps.secrets.deleted).toEqual([]);
    expect(deps.events.published).toEqual([]);
  });

  it('never touches another account\'s grant for the same seller', async () => {
    const mine = aGrant({ region: 'EU' });
    const theirs = aGrant({ region: 'EU', accountId: 'acct-other' });
    const deps = setup(anAccountWith(mine), anAccountWith(theirs));

    await disconnect(deps, AN_ACCOUNT, 'UK');

    expect(deps.accounts.peek('acct-other')).toEqual(anAccountWith(theirs));
  });

  it('still answers with the disconnected venues when the event cannot be published, and logs an error', async () => {
    const deps = setup(anAccountWith(aGrant({ region: 'FE', marketplaces: ['SG'] })));
    deps.events.failWith = 'InternalFailure';

    const venues = await disconnect(deps, AN_ACCOUNT, 'SG');

    expect(venues).toHaveLength(1);
    expect(deps.log.errors).toEqual([expect.objectContaining({ message: 'disconnected event not published', attributes: expect.objectContaining({ alarm: 'DISCONNECT_EVENT_NOT_PUBLISHED', errorCode: 'InternalFailure' }) })]);
  });

  it('still answers when publishing throws, and logs an error', async () => {
    const deps = setup(anAccountWith(aGrant()));
    deps.events.throws = new Error('socket hang up');

    await expect(disconnect(deps, AN_ACCOUNT, 'UK')).resolves.toHaveLength(16);
    expect(deps.log.errors.map((e) => e.message)).toEqual(['disconnected event not published']);
  });

  it('still answers and still announces when the secret cannot be scheduled for deletion, and logs an error', async () => {
    const deps = setup(anAccountWith(aGrant()));
    deps.secrets.deletionFailure = Object.assign(new Error('throttled'), { name: 'ThrottlingException' });

    await expect(disconnect(deps, AN_ACCOUNT, 'UK')).resolves.toHaveLength(16);
    expect(deps.events.published).toHaveLength(1);
    expect(deps.log.errors).toEqual([expect.objectContaining({ message: 'grant secret not scheduled for deletion after disconnect', attributes: expect.objectContaining({ alarm: 'DISCONNECT_SECRET_NOT_SCHEDULED', errorName: 'ThrottlingException' }) })]);
  });

  it('retries once from a fresh read when the grant changed in between (e.g. a re-authorization)', async () => {
    const grant = aGrant();
    const deps = setup(anAccountWith(grant));
    const renewed = { ...grant, version: 2, generatedAt: A_NOW };
    deps.accounts.beforeWrite = () => deps.accounts.seed({ grants: [renewed], venues: [] });

    await disconnect(deps, AN_ACCOUNT, 'UK');

    expect(deps.accounts.loads).toBe(2);
    expect(deps.accounts.peek(AN_ACCOUNT).grants).toEqual([]);
    expect(deps.events.published[0]!.detail.generatedAt).toBe(A_NOW.toISOString());
  });

  it('answers 409 CONCURRENT_UPDATE after losing twice, with nothing scheduled or announced', async () => {
    const grant = aGrant();
    const deps = setup(anAccountWith(grant));
    let version = 1;
    const interfere = () => {
      version++;
      deps.accounts.seed({ grants: [{ ...grant, version }], venues: [] });
      deps.accounts.beforeWrite = interfere;
    };
    deps.accounts.beforeWrite = interfere;

    await expect(disconnect(deps, AN_ACCOUNT, 'UK')).rejects.toMatchObject({ code: 'CONCURRENT_UPDATE', httpStatus: 409 });
    expect(deps.secrets.deleted).toEqual([]);
    expect(deps.events.published).toEqual([]);
  });
});
