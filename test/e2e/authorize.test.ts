/**
 * A seller connects AoB to Amazon Europe from the Venue Settings page (docs/authorization.md, website workflow), sets a
 * venue Active (2.4) and disconnects (2.6), against the whole local stack and the Amazon sandbox.
 */
import { screenshot } from './support/browser.js';
import { browserTests } from './support/harness.js';
import { SELLERS, authorize, openVenueSettings, signInAs, tokenMessage, venue, waitUntilReady } from './support/seller.js';

const EUROPE = ['UK', 'DE', 'FR', 'IT', 'ES', 'NL', 'SE', 'PL', 'BE', 'IE', 'TR', 'EG', 'SA', 'AE', 'IN', 'ZA'];

const t = browserTests();

describe('Venue Settings: authorizing Amazon Europe', () => {
  it('shows every marketplace grouped by region, with no token, before anything is authorized', async () => {
    // Act
    await openVenueSettings(t.page, t.stack.url);

    // Assess
    expect(await t.page.getByTestId('account-id').textContent()).toBe('demo-seller');
    expect(await t.page.locator('section[data-region] > h2').allTextContents()).toEqual(['North America', 'Europe', 'Far East']);
    expect(await t.page.locator('section[data-marketplace]').evaluateAll((els) => els.map((el) => el.getAttribute('data-marketplace')))).toEqual([
      'US', 'CA', 'MX', 'BR', ...EUROPE, 'JP', 'AU', 'SG',
    ]);
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('No token present');
    expect(await venue(t.page, 'UK').getByTestId('authorize').textContent()).toBe('Authorize');
    expect(await venue(t.page, 'UK').getByTestId('active').isDisabled()).toBe(true);
    expect(await t.page.locator('section[data-region="EU"] [data-testid="region-note"]').textContent()).toContain(
      'One Amazon authorization covers all your European marketplaces',
    );
    await screenshot(t.page, 'venue-settings-empty');
    expect(t.problems.errors).toEqual([]);
  });

  it('brings the seller back to a success banner with every European venue Current after confirming on Amazon', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-authorizes-uk');

    // Act
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);

    // Assess
    const banner = t.page.locator('#banner');
    expect(await banner.getAttribute('role')).toBe('status');
    expect(await banner.getAttribute('data-result')).toBe('success');
    expect(await banner.textContent()).toContain('Amazon authorization complete');
    expect(await banner.textContent()).toContain('AoB is now connected to your Amazon seller account for amazon.co.uk.');
    expect(await banner.textContent()).toContain('The same authorization covers all your European marketplaces');
    expect(new URL(t.page.url()).search).toBe('');
    for (const code of EUROPE) expect(await tokenMessage(t.page, code).textContent()).toBe('Current');
    expect(await tokenMessage(t.page, 'US').textContent()).toBe('No token present');
    expect(await tokenMessage(t.page, 'JP').textContent()).toBe('No token present');
    expect(await venue(t.page, 'UK').getByTestId('token-dates').textContent()).toMatch(/^Authorized on \d{1,2} [A-Z][a-z]{2} \d{4} · valid until /);
    expect(await venue(t.page, 'UK').getByTestId('authorize').textContent()).toBe('Re-authorize');
    expect(await venue(t.page, 'UK').getByTestId('active').isEnabled()).toBe(true);
    await screenshot(t.page, 'authorize-uk-success');
    expect(t.problems.errors).toEqual([]);
  });

  it('authorizes a Far East marketplace on its own: Japan only', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-authorizes-japan');

    // Act
    await authorize(t.page, t.stack, 'JP', SELLERS.japan);

    // Assess
    expect(await t.page.locator('#banner').textContent()).toContain('AoB is now connected to your Amazon seller account for amazon.co.jp.');
    expect(await t.page.locator('#banner').textContent()).not.toContain('covers all your');
    expect(await tokenMessage(t.page, 'JP').textContent()).toBe('Current');
    expect(await tokenMessage(t.page, 'AU').textContent()).toBe('No token present');
    expect(await tokenMessage(t.page, 'SG').textContent()).toBe('No token present');
    expect(await t.page.locator('section[data-region="FE"] [data-testid="region-note"]').textContent()).toContain('Each Far East marketplace is authorized on its own');
    expect(t.problems.errors).toEqual([]);
  });

  it('sets UK Active, and it stays Active after a reload', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-sets-uk-active');
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);

    // Act
    await venue(t.page, 'UK').getByTestId('active').check();
    await venue(t.page, 'UK').getByTestId('active-status').getByText('Saved: Active').waitFor();

    // Assess
    expect(await venue(t.page, 'UK').getAttribute('data-active')).toBe('true');
    await t.page.reload();
    await waitUntilReady(t.page);
    expect(await venue(t.page, 'UK').getByTestId('active').isChecked()).toBe(true);
    expect(await venue(t.page, 'FR').getByTestId('active').isChecked()).toBe(false);
    await screenshot(t.page, 'uk-active');
    expect(t.problems.errors).toEqual([]);
  });

  it('disconnects after a confirmation that lists every European venue it affects', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-disconnects');
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);
    await venue(t.page, 'UK').getByTestId('active').check();
    await venue(t.page, 'UK').getByTestId('active-status').getByText('Saved: Active').waitFor();
    const questions: string[] = [];
    t.page.once('dialog', async (dialog) => {
      questions.push(dialog.message());
      await dialog.accept();
    });

    // Act
    await venue(t.page, 'DE').getByTestId('disconnect').click();
    await t.page.locator('#banner').getByText('Disconnected from Amazon').waitFor();

    // Assess
    expect(questions).toHaveLength(1);
    expect(questions[0]).toContain('Disconnect AoB from Amazon in Europe?');
    expect(questions[0]).toContain('amazon.co.uk, amazon.de, amazon.fr');
    expect(await t.page.locator('#banner').textContent()).toContain("AoB's authorization for Europe was removed: AoB no longer reaches these 16 marketplaces");
    for (const code of EUROPE) expect(await tokenMessage(t.page, code).textContent()).toBe('No token present');
    expect(await venue(t.page, 'UK').getByTestId('active').isChecked()).toBe(false);
    expect(await venue(t.page, 'UK').getByTestId('authorize').textContent()).toBe('Authorize');
    await screenshot(t.page, 'disconnect-europe');
    expect(t.problems.errors).toEqual([]);
  });

  it('keeps everything as it was when the seller cancels the disconnect confirmation', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-keeps-connection');
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);
    t.page.once('dialog', (dialog) => dialog.dismiss());

    // Act
    await venue(t.page, 'UK').getByTestId('disconnect').click();

    // Assess
    await t.page.reload();
    await waitUntilReady(t.page);
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Current');
    expect(t.problems.errors).toEqual([]);
  });
});
