/**
 * A European seller who is not registered to sell on amazon.de (docs/authorization.md NOT_REGISTERED notice,
 * docs/venues.md activation): the authorization is stored, and Germany is greyed out with the reason.
 */
import { screenshot } from './support/browser.js';
import { browserTests } from './support/harness.js';
import { SELLERS, authorize, openVenueSettings, signInAs, tokenMessage, venue } from './support/seller.js';

const t = browserTests();

describe('Venue Settings: a seller not registered on every European marketplace', () => {
  it('greys out Germany with the reason beside it, and lets the seller set the UK Active', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-without-germany');

    // Act
    await authorize(t.page, t.stack, 'UK', SELLERS.europeWithoutGermany);

    // Assess
    expect(await t.page.locator('#banner').getAttribute('data-result')).toBe('success');
    expect(await tokenMessage(t.page, 'DE').textContent()).toBe('Current');
    const germany = venue(t.page, 'DE');
    // Covered by the authorization, but the status line and hint say the seller does not sell there.
    expect(await germany.getByTestId('not-selling').textContent()).toBe(' · You do not sell here');
    expect(await germany.getByTestId('token-hint').textContent()).toBe(
      'Your Europe authorization covers amazon.de, but your Amazon seller account is not registered to sell there, so AoB cannot use it. Nothing to do unless you start selling on amazon.de.',
    );
    expect(await venue(t.page, 'UK').getByTestId('not-selling').count()).toBe(0);
    expect(await venue(t.page, 'UK').getByTestId('token-hint').textContent()).toBe('Connected. Nothing to do now: this page tells you when Amazon needs a new authorization.');
    expect(await germany.getByTestId('active').isDisabled()).toBe(true);
    expect(await germany.getByTestId('activation-reason').textContent()).toBe('Your Amazon seller account is not registered to sell on amazon.de.');
    expect(await germany.getByTestId('active').getAttribute('aria-describedby')).toBe('active-DE-reason');
    expect(await venue(t.page, 'UK').getByTestId('activation-reason').count()).toBe(0);
    await venue(t.page, 'UK').getByTestId('active').check();
    await venue(t.page, 'UK').getByTestId('active-status').getByText('Saved: Active').waitFor();
    await screenshot(t.page, 'not-registered-germany-greyed-out');
    expect(t.problems.errors).toEqual([]);
  });

  it('says so in the banner when the seller authorized from the marketplace they are not registered on', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-authorizes-from-germany');

    // Act
    await authorize(t.page, t.stack, 'DE', SELLERS.europeWithoutGermany);

    // Assess
    const banner = t.page.locator('#banner');
    expect(await banner.getAttribute('data-kind')).toBe('warning');
    expect(await banner.textContent()).toContain('Amazon authorization complete, with one thing to check');
    expect(await banner.textContent()).toContain('Your Amazon seller account is not registered to sell on amazon.de, so that venue cannot be set Active.');
    expect(new URL(t.page.url()).search).toBe('');
    expect(await venue(t.page, 'DE').getByTestId('active').isDisabled()).toBe(true);
    expect(await venue(t.page, 'FR').getByTestId('active').isEnabled()).toBe(true);
    await screenshot(t.page, 'not-registered-notice-banner');
    expect(t.problems.errors).toEqual([]);
  });
});
