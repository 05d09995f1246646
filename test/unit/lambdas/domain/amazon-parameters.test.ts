import { parseAmazonCallbackUri } from '../../../../lambdas/domain/amazon-parameters.js';
import { SELLER_CENTRAL_HOSTS } from '../../../../lambdas/domain/marketplaces.js';
import { CALLBACK_URI } from '../../../builders/auth.js';

/** S6: the amazon_callback_uri check, and the callback URI the tests use. */

describe('amazon_callback_uri (S6)', () => {
  it.each([
    'https://sellercentral.amazon.com/apps/authorize/confirm/amzn1.sp.solution.x',
    'https://sellercentral-europe.amazon.com/apps/authorize/confirm/amzn1.sp.solution.x?marketplaceId=A1F83G8C2ARO7P',
    'https://sellercentral.amazon.co.jp/apps/authorize/confirm/x',
  ])('accepts %s', (uri) => {
    expect(parseAmazonCallbackUri(uri)?.href).toBe(uri);
  });

  it('accepts any marketplace under the local sandbox override, and nothing else then', () => {
    const override = 'http://127.0.0.1:3001/sellercentral/{marketplace}';
    expect(parseAmazonCallbackUri('http://127.0.0.1:3001/sellercentral/de/apps/authorize/confirm/x', { sellerCentralUrlOverride: override })).not.toBeNull();
    expect(parseAmazonCallbackUri('http://127.0.0.1:3001/elsewhere/x', { sellerCentralUrlOverride: override })).toBeNull();
    expect(parseAmazonCallbackUri('http://127.0.0.1:3002/sellercentral/de/x', { sellerCentralUrlOverride: override })).toBeNull();
    expect(parseAmazonCallbackUri('http://127.0.0.1:3001/sellercentral/xx/x', { sellerCentralUrlOverride: override })).toBeNull();
  });

  it('the allow-list is the catalog’s Seller Central hosts', () => {
    for (const host of SELLER_CENTRAL_HOSTS) expect(parseAmazonCallbackUri(`https://${host}/apps/authorize/confirm/x`)).not.toBeNull();
  });
});

it('CALLBACK_URI fixture is a valid callback', () => {
  expect(parseAmazonCallbackUri(CALLBACK_URI)).not.toBeNull();
});
