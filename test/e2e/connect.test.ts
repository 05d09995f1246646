/**
 * The yearly Re-Authorize started on Amazon (BRIEF 2.2): Seller Central → Manage Your Apps →
 * Re-Authorize → the service's Log-in URI → the connect view, where the seller picks the venue
 * → Amazon → back on Venue Settings with the countdown reset.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type PageProblems, launchBrowser, newSellerPage, screenshot, watchProblems } from './support/browser.js';
import { SELLERS, authorize, backOnVenueSettings, openVenueSettings, signInAs, tokenMessage, waitUntilReady } from './support/seller.js';
import { type RunningStack, moveClock, startStack } from './support/stack.js';

let stack: RunningStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  browser = await launchBrowser();
  stack = await startStack();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

beforeEach(async () => {
  ({ context, page } = await newSellerPage(browser));
  problems = watchProblems(page, stack.url);
});

afterEach(async () => {
  await context.close();
});

describe('Connect view: an authorization started on Amazon', () => {
  it('re-authorizes from Manage Your Apps, through the venue choice, and resets the countdown', async () => {
    // Prepare
    await openVenueSettings(page, stack.url);
    await signInAs(page, 'seller-reauthorizes-on-amazon');
    await authorize(page, stack, 'UK', SELLERS.europe);
    await moveClock(stack, { advance: 'P340D' });
    await page.reload();
    await waitUntilReady(page);
    expect(await tokenMessage(page, 'UK').textContent()).toBe('Expires in 25 days');

    // Act
    await page.goto(`${stack.sandboxUrl}/sellercentral/uk/apps/manage`);
    await page.locator(`#authorize-${SELLERS.europe}`).click();
    await page.waitForURL((url) => url.origin === new URL(stack.url).origin && url.pathname === '/connect');
    await waitUntilReady(page);
    const intro = await page.getByTestId('connect-intro').textContent();
    const sellingPartnerId = await page.getByTestId('selling-partner-id').textContent();
    const preselected = await page.getByLabel('Venue (Amazon marketplace)').inputValue();
    const regions = await page.locator('#marketplace optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label')));
    await screenshot(page, 'connect-view');
    await page.getByTestId('continue').click();
    await backOnVenueSettings(page, stack.url);

    // Assess
    expect(intro).toBe('You started authorizing AoB from Amazon Seller Central. Choose the venue this authorization is for.');
    expect(sellingPartnerId).toBe(SELLERS.europe);
    expect(preselected).toBe('UK');
    expect(regions).toEqual(['North America', 'Europe', 'Far East']);
    expect(await page.locator('#banner').getAttribute('data-result')).toBe('success');
    expect(await tokenMessage(page, 'UK').textContent()).toBe('Current');
    expect(await tokenMessage(page, 'DE').textContent()).toBe('Current');
    await screenshot(page, 'connect-reauthorized');
    expect(problems.errors).toEqual([]);
  });

  it('asks the seller to choose a venue before continuing when none is preselected', async () => {
    // Prepare
    await openVenueSettings(page, stack.url);
    await signInAs(page, 'seller-first-time-from-amazon');
    await page.goto(`${stack.sandboxUrl}/sellercentral/fr/apps/manage`);
    await page.locator(`#authorize-${SELLERS.europe}`).click();
    await page.waitForURL((url) => url.pathname === '/connect');
    await waitUntilReady(page);

    // Act
    await page.getByTestId('continue').click();

    // Assess
    expect(await page.locator('#marketplace-error').textContent()).toBe('Choose the marketplace this authorization is for.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('marketplace');

    // Act
    await page.getByLabel('Venue (Amazon marketplace)').selectOption('FR');
    await page.getByTestId('continue').click();
    await backOnVenueSettings(page, stack.url);

    // Assess
    expect(await page.locator('#banner').getAttribute('data-result')).toBe('success');
    expect(await tokenMessage(page, 'FR').textContent()).toBe('Current');
    expect(problems.errors).toEqual([]);
  });

  it('explains a link without Amazon\'s details and links back to Venue Settings', async () => {
    // Act
    await page.goto(`${stack.url}/connect?selling_partner_id=${SELLERS.europe}`);
    await waitUntilReady(page);

    // Assess
    expect(await page.getByTestId('connect-missing').textContent()).toContain('This link is missing the details from Amazon');
    await screenshot(page, 'connect-missing-details');
    await page.getByTestId('back-to-settings').click();
    await page.waitForURL(`${stack.url}/`);
    await waitUntilReady(page);
    expect(problems.errors).toEqual([]);
  });
});
