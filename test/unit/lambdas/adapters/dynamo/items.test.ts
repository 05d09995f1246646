import { fromGrantItem, toGrantItem } from '../../../../../lambdas/adapters/dynamo/items.js';
import { aGrant } from '../../../../builders/grants.js';

describe('grant items', () => {
  it('keep the marketplaces the seller sells on next to the ones the grant covers', () => {
    const grant = aGrant({ region: 'EU', sellingMarketplaces: ['UK', 'FR'] });

    const item = toGrantItem(grant);

    expect(item.sellingMarketplaces).toEqual(['UK', 'FR']);
    expect(fromGrantItem({ ...item })).toEqual(grant);
  });

  it('read a grant stored before the list was recorded as "not known", never as "sells nowhere"', () => {
    const { sellingMarketplaces: _dropped, ...legacy } = toGrantItem(aGrant({ region: 'EU' }));

    expect(fromGrantItem({ ...legacy }).sellingMarketplaces).toBeNull();
  });
});
