/**
 * The yearly Re-Authorize started on Amazon (docs/authorization.md, "Started on Amazon"): Seller Central → Manage Your Apps →
 * Re-Authorize → the service's Log-in URI → the connect view, where the seller picks the venue
 * → Amazon → back on Venue Settings with the countdown reset.
 */
import { screenshot } from './support/browser.js';
import { browserTests } from './support/harness.js';
import { SELLERS, authorize, connectOnCompletionPage, openVenueSettings, signInAs, tokenMessage, waitUntilReady } from './support/seller.js';
import { moveClock } from './support/stack.js';

// The refused continuation (400) is caused on purpose; Chromium logs it as a console error.
const t = browserTests({ expectedConsoleErrors: [/status of 400 \(Bad Request\)/] });

describe('Connect view: an authorization started on Amazon', () => {
  it('re-authorizes from Manage Your Apps, through the venue choice, and resets the countdown', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-reauthorizes-on-amazon');
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);
    await moveClock(t.stack, { advance: 'P340D' });
    await t.page.reload();
    await waitUntilReady(t.page);
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Expires in 25 days');

    // Act
    await t.page.goto(`${t.stack.sandboxUrl}/sellercentral/uk/apps/manage`);
    await t.page.locator(`#authorize-${SELLERS.europe}`).click();
    await t.page.waitForURL((url) => url.origin === new URL(t.stack.url).origin && url.pathname === '/connect');
    await waitUntilReady(t.page);
    const intro = await t.page.getByTestId('connect-intro').textContent();
    const sellingPartnerId = await t.page.getByTestId('selling-partner-id').textContent();
    const preselected = await t.page.getByLabel('Venue (Amazon marketplace)').inputValue();
    const regions = await t.page.locator('#marketplace optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label')));
    const addressBar = new URL(t.page.url());
    await t.page.reload();
    await waitUntilReady(t.page);
    const afterReload = await t.page.getByTestId('selling-partner-id').textContent();
    await screenshot(t.page, 'connect-view');
    await t.page.getByTestId('continue').click();
    // Back from Amazon: nothing is saved before the seller sees who is connected to which account.
    await t.page.getByTestId('confirmation').waitFor();
    await screenshot(t.page, 'connect-confirmation');
    const shown = await connectOnCompletionPage(t.page, t.stack.url);

    // Assess
    expect(intro).toBe('You started authorizing AoB from Amazon Seller Central. Choose the venue this authorization is for.');
    expect(sellingPartnerId).toBe(SELLERS.europe);
    expect(preselected).toBe('UK');
    expect(regions).toEqual(['North America', 'Europe', 'Far East']);
    // Amazon's one-time values leave the address bar (and history) at once; a reload still continues.
    expect(addressBar.search).toBe('');
    expect(afterReload).toBe(SELLERS.europe);
    expect(shown).toEqual({ store: 'Sandbox Trading Europe', sellingPartnerId: SELLERS.europe, accountId: 'seller-reauthorizes-on-amazon' });
    expect(await t.page.locator('#banner').getAttribute('data-result')).toBe('success');
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Current');
    expect(await tokenMessage(t.page, 'DE').textContent()).toBe('Current');
    await screenshot(t.page, 'connect-reauthorized');
    expect(t.problems.errors).toEqual([]);
  });

  it('asks the seller to choose a venue before continuing when none is preselected', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-first-time-from-amazon');
    await t.page.goto(`${t.stack.sandboxUrl}/sellercentral/fr/apps/manage`);
    await t.page.locator(`#authorize-${SELLERS.europe}`).click();
    await t.page.waitForURL((url) => url.pathname === '/connect');
    await waitUntilReady(t.page);

    // Act
    await t.page.getByTestId('continue').click();

    // Assess
    expect(await t.page.locator('#marketplace-error').textContent()).toBe('Choose the marketplace this authorization is for.');
    expect(await t.page.evaluate(() => document.activeElement?.id)).toBe('marketplace');

    // Act
    await t.page.getByLabel('Venue (Amazon marketplace)').selectOption('FR');
    await t.page.getByTestId('continue').click();
    await connectOnCompletionPage(t.page, t.stack.url);

    // Assess
    expect(await t.page.locator('#banner').getAttribute('data-result')).toBe('success');
    expect(await tokenMessage(t.page, 'FR').textContent()).toBe('Current');
    expect(t.problems.errors).toEqual([]);
  });

  it('shows the service\'s own words when Amazon\'s details do not hold up, with a way back', async () => {
    // Prepare: a callback URI that is not an Amazon Seller Central address.
    const query = new URLSearchParams({ amazon_callback_uri: 'https://sellercentral.amazon.com.evil.example/apps/authorize/callback', amazon_state: 'amzn-state-0001', selling_partner_id: SELLERS.europe });
    await t.page.goto(`${t.stack.url}/connect?${query}`);
    await waitUntilReady(t.page);

    // Act
    await t.page.getByLabel('Venue (Amazon marketplace)').selectOption('UK');
    await t.page.getByTestId('continue').click();
    await t.page.locator('#error-banner').getByText('Could not continue the authorization for amazon.co.uk').waitFor();

    // Assess
    const banner = t.page.locator('#error-banner');
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.textContent()).not.toContain('HTTP 400');
    expect(await banner.textContent()).toContain('does not lead back to Amazon Seller Central, so AoB will not follow it. Start again from Manage Your Apps in Seller Central.');
    expect(await banner.getByTestId('back-to-settings').count()).toBe(1);
    expect(new URL(t.page.url()).pathname).toBe('/connect');
    await screenshot(t.page, 'connect-refused');
    expect(t.problems.errors).toEqual([]);
  });

  it('explains a link without Amazon\'s details and links back to Venue Settings', async () => {
    // Act
    await t.page.goto(`${t.stack.url}/connect?selling_partner_id=${SELLERS.europe}`);
    await waitUntilReady(t.page);

    // Assess
    expect(await t.page.getByTestId('connect-missing').textContent()).toContain('This link is missing the details from Amazon');
    await screenshot(t.page, 'connect-missing-details');
    await t.page.getByTestId('back-to-settings').click();
    await t.page.waitForURL(`${t.stack.url}/`);
    await waitUntilReady(t.page);
    expect(t.problems.errors).toEqual([]);
  });
});
