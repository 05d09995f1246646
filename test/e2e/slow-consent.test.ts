/**
 * A seller who takes a long time on Amazon's pages (two-step verification, a forgotten password):
 * within the consent window the authorization completes; past it the seller lands on AoB's own
 * page saying it took too long and nothing was saved, with a one-click restart, never on the
 * connect page of a flow "started on Amazon" nor on Amazon's error page.
 */
import { screenshot } from './support/browser.js';
import { browserTests } from './support/harness.js';
import { SANDBOX_CONSENT_PATH, SELLERS, clickAuthorize, confirmOnAmazon, contradictions, openVenueSettings, signInAs, tokenMessage } from './support/seller.js';
import { moveClock } from './support/stack.js';

const t = browserTests();

describe('Venue Settings: a slow consent on Amazon', () => {
  it('still completes after 19 minutes on Amazon', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-signs-in-slowly');
    await clickAuthorize(t.page, 'UK', t.stack.sandboxUrl);

    // Act
    await moveClock(t.stack, { advance: 'PT19M' });
    await confirmOnAmazon(t.page, t.stack.url, SELLERS.europe);

    // Assess
    expect(await t.page.locator('#banner').getAttribute('data-result')).toBe('success');
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Current');
    expect(t.problems.errors).toEqual([]);
  });

  it('after 21 minutes says it took too long and nothing was saved, and restarts in one click', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-signs-in-too-slowly');
    await clickAuthorize(t.page, 'UK', t.stack.sandboxUrl);

    // Act
    await moveClock(t.stack, { advance: 'PT21M' });
    await confirmOnAmazon(t.page, t.stack.url, SELLERS.europe);

    // Assess
    const banner = t.page.locator('#banner');
    expect(await banner.getAttribute('data-reason')).toBe('FLOW_EXPIRED');
    expect(await banner.locator('.banner-title').textContent()).toBe('This took longer than 20 minutes; nothing was saved');
    expect(await banner.textContent()).toContain('Nothing changed on your account.');
    expect(await banner.textContent()).not.toContain('Seller Central');
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('No token present');
    expect(await contradictions(t.page)).toEqual([]);
    await screenshot(t.page, 'slow-consent-flow-expired');
    await t.page.getByTestId('banner-authorize').click();
    await t.page.waitForURL((url) => url.href.startsWith(t.stack.sandboxUrl) && url.pathname.endsWith(SANDBOX_CONSENT_PATH));
    await confirmOnAmazon(t.page, t.stack.url, SELLERS.europe);
    expect(await t.page.locator('#banner').getAttribute('data-result')).toBe('success');
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Current');
    expect(t.problems.errors).toEqual([]);
  });
});
