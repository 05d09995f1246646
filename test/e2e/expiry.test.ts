/**
 * "I am not sure what I am watching for": as the yearly authorization runs out, Venue Settings
 * counts down in days, then hours, then says Expired, each with the date and what to do
 * (the status table of docs/venues.md). The service clock is moved with the local dev control.
 */
import { screenshot } from './support/browser.js';
import { browserTests } from './support/harness.js';
import { SANDBOX_CONSENT_PATH, SELLERS, authorize, confirmOnAmazon, contradictions, openVenueSettings, signInAs, tokenMessage, venue, waitUntilReady } from './support/seller.js';
import { moveClock } from './support/stack.js';

const t = browserTests({ pagePerTest: false });

async function reload(): Promise<void> {
  await t.page.reload();
  await waitUntilReady(t.page);
}

// One seller's year, in order: each step moves the same clock further.
describe('Venue Settings: an authorization running out', () => {
  it('is Current right after authorizing', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-watches-expiry');

    // Act
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);
    await venue(t.page, 'UK').getByTestId('active').check();
    await venue(t.page, 'UK').getByTestId('active-status').getByText('Saved: Active').waitFor();

    // Assess
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Current');
    expect(await venue(t.page, 'UK').getAttribute('data-status')).toBe('current');
  });

  it('counts days 25 days before expiry, with the renew-by date and the next step', async () => {
    // Act
    await moveClock(t.stack, { advance: 'P340D' });
    await reload();

    // Assess
    const uk = venue(t.page, 'UK');
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Expires in 25 days');
    expect(await tokenMessage(t.page, 'FR').textContent()).toBe('Expires in 25 days');
    expect(await uk.getAttribute('data-status')).toBe('expiring');
    expect(await uk.getByTestId('token-dates').textContent()).toMatch(/^Authorized on \d{1,2} [A-Z][a-z]{2} \d{4} · renew by \d{1,2} [A-Z][a-z]{2} \d{4}$/);
    expect(await uk.getByTestId('token-hint').textContent()).toContain('Click Re-authorize and confirm on Amazon before it expires');
    expect(await uk.getByTestId('authorize').textContent()).toBe('Re-authorize');
    expect(await uk.getByTestId('active').isChecked()).toBe(true);
    const attention = t.page.getByTestId('attention-item');
    expect(await attention.count()).toBe(1);
    expect(await attention.getByTestId('attention-text').textContent()).toMatch(/^Europe \(5 marketplaces you sell on\): Expires in 25 days\. Re-authorize by \d{1,2} [A-Z][a-z]{2} \d{4} to keep AoB connected\./);
    expect(await attention.getAttribute('data-marketplace')).toBe('UK');
    await screenshot(t.page, 'expires-in-days');
    expect(t.problems.errors).toEqual([]);
  });

  it('counts hours on the last day, with the time to renew by', async () => {
    // Act
    await moveClock(t.stack, { advance: 'P24DT12H' });
    await reload();

    // Assess
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Expires in 12 hours');
    expect(await venue(t.page, 'UK').getByTestId('token-dates').textContent()).toMatch(/renew by \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/);
    await screenshot(t.page, 'expires-in-hours');
    expect(t.problems.errors).toEqual([]);
  });

  it('says Expired once the year is over, and why the venue can no longer be set Active', async () => {
    // Act
    await moveClock(t.stack, { advance: 'PT13H' });
    await reload();

    // Assess
    const uk = venue(t.page, 'UK');
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Expired');
    expect(await uk.getAttribute('data-status')).toBe('expired');
    expect(await uk.getByTestId('token-dates').textContent()).toContain('expired on');
    expect(await uk.getByTestId('token-hint').textContent()).toBe('AoB can no longer reach amazon.co.uk. Click Re-authorize and confirm on Amazon to reconnect.');
    expect(await venue(t.page, 'FR').getByTestId('activation-reason').textContent()).toBe(
      'The authorization for amazon.fr has expired. Authorize again to set this venue Active.',
    );
    expect(await venue(t.page, 'FR').getByTestId('active').isDisabled()).toBe(true);
    // The seller had set the UK Active: the box is unticked and disabled, and says the choice is kept.
    expect(await uk.getByTestId('active').isChecked()).toBe(false);
    expect(await uk.getByTestId('active').isDisabled()).toBe(true);
    expect(await uk.getAttribute('data-active-choice')).toBe('true');
    expect(await uk.getByTestId('activation-reason').textContent()).toBe(
      'The authorization for amazon.co.uk has expired. Authorize again to set this venue Active. You had set it Active: it becomes Active again by itself once it can be.',
    );
    expect(await contradictions(t.page)).toEqual([]);
    await screenshot(t.page, 'expired');
    expect(t.problems.errors).toEqual([]);
  });

  it('is Current again after re-authorizing from the "Needs your attention" panel', async () => {
    // Prepare
    expect(await t.page.getByTestId('attention-text').textContent()).toContain('Europe (5 marketplaces you sell on): Expired. AoB can no longer reach these venues');

    // Act
    await t.page.getByTestId('attention-authorize').click();
    await t.page.waitForURL((url) => url.href.startsWith(t.stack.sandboxUrl) && url.pathname.endsWith(SANDBOX_CONSENT_PATH));
    await confirmOnAmazon(t.page, t.stack.url, SELLERS.europe);

    // Assess
    expect(await t.page.locator('#attention').isHidden()).toBe(true);
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Current');
    expect(await tokenMessage(t.page, 'DE').textContent()).toBe('Current');
    // The remembered choice takes effect again: the UK is Active without a new click.
    expect(await venue(t.page, 'UK').getByTestId('active').isChecked()).toBe(true);
    expect(await venue(t.page, 'UK').getByTestId('activation-reason').count()).toBe(0);
    expect(await contradictions(t.page)).toEqual([]);
    await screenshot(t.page, 'reauthorized-active-again');
    expect(t.problems.errors).toEqual([]);
  });
});
