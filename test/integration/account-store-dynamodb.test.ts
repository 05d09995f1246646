import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo/account-store.js';
import { toGrantItem, toVenueItem } from '../../lambdas/adapters/dynamo/items.js';
import type { AccountSnapshot } from '../../lambdas/domain/venue.js';
import { ConcurrentUpdateError } from '../../lambdas/ports/failures.js';
import { useDynamoDbLocal } from '../builders/dynamodb-local.js';
import { aGrant, anAccountWith, aVenueRecord } from '../builders/grants.js';

/**
 * The same store against AWS's own DynamoDB Local, so the expressions (reserved words,
 * conditions, the transaction) are checked by DynamoDB itself rather than by our reading of them.
 */
const local = useDynamoDbLocal();
let TABLE: string;
let doc: DynamoDBDocumentClient;
let store: DynamoAccountStore;
let n = 0;
const freshAccount = () => `acct-local-${++n}`;

beforeAll(async () => {
  TABLE = await local.newTable('account-store-spec');
  doc = local.doc();
  store = new DynamoAccountStore(doc, TABLE);
});

const seed = async (snapshot: AccountSnapshot) => {
  for (const g of snapshot.grants) await doc.send(new PutCommand({ TableName: TABLE, Item: toGrantItem(g) }));
  for (const v of snapshot.venues) await doc.send(new PutCommand({ TableName: TABLE, Item: toVenueItem(v) }));
};
const rawVenue = async (accountId: string, code: string) => (await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: `ACCOUNT#${accountId}`, sk: `VENUE#${code}` } }))).Item;

describe('DynamoAccountStore on DynamoDB Local', () => {
  it('loads exactly what was stored for the account, and nothing of another account', async () => {
    const accountId = freshAccount();
    const snapshot = anAccountWith(aGrant({ accountId, region: 'EU', nextAlertAt: new Date('2027-01-01T00:00:00.000Z'), alertsSent: ['30d'] }), aGrant({ accountId, region: 'FE', marketplaces: ['JP'] }));
    await seed(snapshot);
    await seed(anAccountWith(aGrant({ accountId: `${accountId}-other`, region: 'NA' })));

    const loaded = await store.load(accountId);

    expect(loaded.grants).toEqual(expect.arrayContaining(snapshot.grants));
    expect(loaded.grants).toHaveLength(2);
    expect(loaded.venues).toHaveLength(17);
    expect(loaded.venues).toEqual(expect.arrayContaining(snapshot.venues));
  });

  it('sets a venue active on its version and refuses a stale version', async () => {
    const accountId = freshAccount();
    const venue = aVenueRecord({ accountId, marketplace: 'DE', grantKey: 'EU#X', participating: true, version: 3 });
    await seed({ grants: [], venues: [venue] });

    const updated = await store.setVenueActive(venue, true);
    const stale = store.setVenueActive(venue, false);

    expect(updated).toEqual({ ...venue, active: true, version: 4 });
    await expect(stale).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await rawVenue(accountId, 'DE')).toMatchObject({ active: true, version: 4, grantKey: 'EU#X', participating: true });
  });

  it('creates a never-stored venue once; a second creation loses', async () => {
    const accountId = freshAccount();
    const venue = aVenueRecord({ accountId, marketplace: 'SG', version: 0 });

    await store.setVenueActive(venue, false);

    await expect(store.setVenueActive(venue, true)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect((await store.load(accountId)).venues).toEqual([{ ...venue, version: 1 }]);
  });

  it('removes a grant and unlinks its venues atomically', async () => {
    const accountId = freshAccount();
    const grant = aGrant({ accountId, region: 'NA', nextAlertAt: new Date('2027-01-01T00:00:00.000Z') });
    const snapshot = anAccountWith(grant);
    await seed(snapshot);

    await store.removeGrant(grant, snapshot.venues);

    const after = await store.load(accountId);
    expect(after.grants).toEqual([]);
    expect(after.venues.map((v) => [v.marketplace, v.active, v.grantKey, v.participating, v.version])).toEqual([
      ['BR', false, null, null, 2],
      ['CA', false, null, null, 2],
      ['MX', false, null, null, 2],
      ['US', false, null, null, 2],
    ]);
  });

  it('changes nothing at all when one venue moved on in between', async () => {
    const accountId = freshAccount();
    const grant = aGrant({ accountId, region: 'NA' });
    const snapshot = anAccountWith(grant);
    await seed(snapshot);
    await store.setVenueActive(snapshot.venues[2]!, true);

    await expect(store.removeGrant(grant, snapshot.venues)).rejects.toBeInstanceOf(ConcurrentUpdateError);

    const after = await store.load(accountId);
    expect(after.grants).toEqual([grant]);
    expect(after.venues.every((v) => v.grantKey === grant.grantKey)).toBe(true);
  });

  it('refuses to remove a grant that changed since it was read', async () => {
    const accountId = freshAccount();
    const grant = aGrant({ accountId });
    await seed({ grants: [{ ...grant, version: 2 }], venues: [] });

    await expect(store.removeGrant(grant, [])).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });
});
