/**
 * A seller connects AoB to Amazon Europe from the Venue Settings page (BRIEF 2.1), sets a
 * venue Active (2.4) and disconnects (2.6), against the whole local stack and the Amazon sandbox.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type PageProblems, launchBrowser, newSellerPage, screenshot, watchProblems } from './support/browser.js';
import { SELLERS, authorize, openVenueSettings, signInAs, tokenMessage, venue, waitUntilReady } from './support/seller.js';
import { type RunningStack, startStack } from './support/stack.js';

const EUROPE = ['UK', 'DE', 'FR', 'IT', 'ES', 'NL', 'SE', 'PL', 'BE', 'IE', 'TR', 'EG', 'SA', 'AE', 'IN', 'ZA'];

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

describe('Venue Settings: authorizing Amazon Europe', () => {
  it('shows every marketplace grouped by region, with no token, before anything is authorized', async () => {
    // Act
    await openVenueSettings(page, stack.url);

    // Assess
    expect(await page.getByTestId('account-id').textContent()).toBe('demo-seller');
    expect(await page.locator('section[data-region] > h2').allTextContents()).toEqual(['North America', 'Europe', 'Far East']);
    expect(await page.locator('section[data-marketplace]').evaluateAll((els) => els.map((el) => el.getAttribute('data-marketplace')))).toEqual([
      'US', 'CA', 'MX', 'BR', ...EUROPE, 'JP', 'AU', 'SG',
    ]);
    expect(await tokenMessage(page, 'UK').textContent()).toBe('No token present');
    expect(await venue(page, 'UK').getByTestId('authorize').textContent()).toBe('Authorize');
    expect(await venue(page, 'UK').getByTestId('active').isDisabled()).toBe(true);
    expect(await page.locator('section[data-region="EU"] [data-testid="region-note"]').textContent()).toContain(
      'One Amazon authorization covers all your European marketplaces',
    );
    await screenshot(page, 'venue-settings-empty');
    expect(problems.errors).toEqual([]);
  });

  it('brings the seller back to a success banner with every European venue Current after confirming on Amazon', async () => {
    // Prepare
    await openVenueSettings(page, stack.url);
    await signInAs(page, 'seller-authorizes-uk');

    // Act
    await authorize(page, stack, 'UK', SELLERS.europe);

    // Assess
    const banner = page.locator('#banner');
    expect(await banner.getAttribute('role')).toBe('status');
    expect(await banner.getAttribute('data-result')).toBe('success');
    expect(await banner.textContent()).toContain('Amazon authorization complete');
    expect(await banner.textContent()).toContain('AoB is now connected to your Amazon seller account for amazon.co.uk.');
    expect(await banner.textContent()).toContain('The same authorization covers all your European marketplaces');
    expect(new URL(page.url()).search).toBe('');
    for (const code of EUROPE) expect(await tokenMessage(page, code).textContent()).toBe('Current');
    expect(await tokenMessage(page, 'US').textContent()).toBe('No token present');
    expect(await tokenMessage(page, 'JP').textContent()).toBe('No token present');
    expect(await venue(page, 'UK').getByTestId('token-dates').textContent()).toMatch(/^Authorized on \d{1,2} [A-Z][a-z]{2} \d{4} · valid until /);
    expect(await venue(page, 'UK').getByTestId('authorize').textContent()).toBe('Re-authorize');
    expect(await venue(page, 'UK').getByTestId('active').isEnabled()).toBe(true);
    await screenshot(page, 'authorize-uk-success');
    expect(problems.errors).toEqual([]);
  });

  it('authorizes a Far East marketplace on its own: Japan only', async () => {
    // Prepare
    await openVenueSettings(page, stack.url);
    await signInAs(page, 'seller-authorizes-japan');

    // Act
    await authorize(page, stack, 'JP', SELLERS.japan);

    // Assess
    expect(await page.locator('#banner').textContent()).toContain('AoB is now connected to your Amazon seller account for amazon.co.jp.');
    expect(await page.locator('#banner').textContent()).not.toContain('covers all your');
    expect(await tokenMessage(page, 'JP').textContent()).toBe('Current');
    expect(await tokenMessage(page, 'AU').textContent()).toBe('No token present');
    expect(await tokenMessage(page, 'SG').textContent()).toBe('No token present');
    expect(await page.locator('section[data-region="FE"] [data-testid="region-note"]').textContent()).toContain('Each Far East marketplace is authorized on its own');
    expect(problems.errors).toEqual([]);
  });

  it('sets UK Active, and it stays Active after a reload', async () => {
    // Prepare
    await openVenueSettings(page, stack.url);
    await signInAs(page, 'seller-sets-uk-active');
    await authorize(page, stack, 'UK', SELLERS.europe);

    // Act
    await venue(page, 'UK').getByTestId('active').check();
    await venue(page, 'UK').getByTestId('active-status').getByText('Saved: Active').waitFor();

    // Assess
    expect(await venue(page, 'UK').getAttribute('data-active')).toBe('true');
    await page.reload();
    await waitUntilReady(page);
    expect(await venue(page, 'UK').getByTestId('active').isChecked()).toBe(true);
    expect(await venue(page, 'FR').getByTestId('active').isChecked()).toBe(false);
    await screenshot(page, 'uk-active');
    expect(problems.errors).toEqual([]);
  });

  it('disconnects after a confirmation that lists every European venue it affects', async () => {
    // Prepare
    await openVenueSettings(page, stack.url);
    await signInAs(page, 'seller-disconnects');
    await authorize(page, stack, 'UK', SELLERS.europe);
    await venue(page, 'UK').getByTestId('active').check();
    await venue(page, 'UK').getByTestId('active-status').getByText('Saved: Active').waitFor();
    const questions: string[] = [];
    page.once('dialog', async (dialog) => {
      questions.push(dialog.message());
      await dialog.accept();
    });

    // Act
    await venue(page, 'DE').getByTestId('disconnect').click();
    await page.locator('#banner').getByText('Disconnected from Amazon').waitFor();

    // Assess
    expect(questions).toHaveLength(1);
    expect(questions[0]).toContain('Disconnect AoB from Amazon in Europe?');
    expect(questions[0]).toContain('amazon.co.uk, amazon.de, amazon.fr');
    for (const code of EUROPE) expect(await tokenMessage(page, code).textContent()).toBe('No token present');
    expect(await venue(page, 'UK').getByTestId('active').isChecked()).toBe(false);
    expect(await venue(page, 'UK').getByTestId('authorize').textContent()).toBe('Authorize');
    await screenshot(page, 'disconnect-europe');
    expect(problems.errors).toEqual([]);
  });

  it('keeps everything as it was when the seller cancels the disconnect confirmation', async () => {
    // Prepare
    await openVenueSettings(page, stack.url);
    await signInAs(page, 'seller-keeps-connection');
    await authorize(page, stack, 'UK', SELLERS.europe);
    page.once('dialog', (dialog) => dialog.dismiss());

    // Act
    await venue(page, 'UK').getByTestId('disconnect').click();

    // Assess
    await page.reload();
    await waitUntilReady(page);
    expect(await tokenMessage(page, 'UK').textContent()).toBe('Current');
    expect(problems.errors).toEqual([]);
  });
});
