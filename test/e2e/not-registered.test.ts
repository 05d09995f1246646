/**
 * A European seller who is not registered to sell on amazon.de (BRIEF 2.1 NOT_REGISTERED notice,
 * 2.4 activation): the authorization is stored, and Germany is greyed out with the reason.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type PageProblems, launchBrowser, newSellerPage, screenshot, watchProblems } from './support/browser.js';
import { SELLERS, authorize, openVenueSettings, signInAs, tokenMessage, venue } from './support/seller.js';
import { type RunningStack, startStack } from './support/stack.js';

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

describe('Venue Settings: a seller not registered on every European marketplace', () => {
  it('greys out Germany with the reason beside it, and lets the seller set the UK Active', async () => {
    // Prepare
    await openVenueSettings(page, stack.url);
    await signInAs(page, 'seller-without-germany');

    // Act
    await authorize(page, stack, 'UK', SELLERS.europeWithoutGermany);

    // Assess
    expect(await page.locator('#banner').getAttribute('data-result')).toBe('success');
    expect(await tokenMessage(page, 'DE').textContent()).toBe('Current');
    const germany = venue(page, 'DE');
    expect(await germany.getByTestId('active').isDisabled()).toBe(true);
    expect(await germany.getByTestId('activation-reason').textContent()).toBe('Your Amazon seller account is not registered to sell on amazon.de.');
    expect(await germany.getByTestId('active').getAttribute('aria-describedby')).toBe('active-DE-reason');
    expect(await venue(page, 'UK').getByTestId('activation-reason').count()).toBe(0);
    await venue(page, 'UK').getByTestId('active').check();
    await venue(page, 'UK').getByTestId('active-status').getByText('Saved: Active').waitFor();
    await screenshot(page, 'not-registered-germany-greyed-out');
    expect(problems.errors).toEqual([]);
  });

  it('says so in the banner when the seller authorized from the marketplace they are not registered on', async () => {
    // Prepare
    await openVenueSettings(page, stack.url);
    await signInAs(page, 'seller-authorizes-from-germany');

    // Act
    await authorize(page, stack, 'DE', SELLERS.europeWithoutGermany);

    // Assess
    const banner = page.locator('#banner');
    expect(await banner.getAttribute('data-kind')).toBe('warning');
    expect(await banner.textContent()).toContain('Amazon authorization complete, with one thing to check');
    expect(await banner.textContent()).toContain('Your Amazon seller account is not registered to sell on amazon.de, so that venue cannot be set Active.');
    expect(new URL(page.url()).search).toBe('');
    expect(await venue(page, 'DE').getByTestId('active').isDisabled()).toBe(true);
    expect(await venue(page, 'FR').getByTestId('active').isEnabled()).toBe(true);
    await screenshot(page, 'not-registered-notice-banner');
    expect(problems.errors).toEqual([]);
  });
});
