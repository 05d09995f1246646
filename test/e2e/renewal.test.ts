/**
 * What the seller reads after authorizing again: a renewal of the same Amazon seller account says
 * it is renewed and until when, and does not ask to tick Active again; authorizing another Amazon
 * seller account of the same region names the account whose authorization it replaced.
 */
import { screenshot } from './support/browser.js';
import { browserTests } from './support/harness.js';
import { SELLERS, authorize, contradictions, openVenueSettings, signInAs, tokenMessage, venue } from './support/seller.js';
import { moveClock } from './support/stack.js';

const t = browserTests();

describe('Venue Settings: authorizing again', () => {
  it('says a renewal of an Active venue is renewed until the new date, with no "tick Active" step', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-renews');
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);
    await venue(t.page, 'UK').getByTestId('active').check();
    await venue(t.page, 'UK').getByTestId('active-status').getByText('Saved: Active').waitFor();
    await moveClock(t.stack, { advance: 'P340D' });
    await t.page.reload();

    // Act
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);

    // Assess
    const banner = t.page.locator('#banner');
    // The venue's own line shows the new expiry date: the banner names the same one.
    const date = /valid until (\d{1,2} [A-Z][a-z]{2} \d{4})/.exec((await venue(t.page, 'UK').getByTestId('token-dates').textContent()) ?? '')?.[1];
    expect(date).toBeDefined();
    expect(await banner.getAttribute('data-kind')).toBe('success');
    expect(await banner.locator('.banner-title').textContent()).toBe('Amazon authorization renewed');
    expect(await banner.textContent()).toContain(`Your Amazon authorization for amazon.co.uk is renewed until ${date}.`);
    expect(await banner.textContent()).not.toContain('tick Active');
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Current');
    expect(await venue(t.page, 'UK').getByTestId('active').isChecked()).toBe(true);
    expect(await contradictions(t.page)).toEqual([]);
    await screenshot(t.page, 'renewal-banner');
    expect(t.problems.errors).toEqual([]);
  });

  it('names the Amazon seller account whose authorization another one replaced', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-switches-amazon-account');
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);

    // Act
    await authorize(t.page, t.stack, 'UK', SELLERS.europeWithoutGermany);

    // Assess
    const banner = t.page.locator('#banner');
    expect(await banner.getAttribute('data-kind')).toBe('warning');
    expect(await banner.locator('.banner-title').textContent()).toBe('Amazon authorization complete: another seller account was replaced');
    expect(await banner.textContent()).toContain(`This replaced the authorization of Amazon seller account ${SELLERS.europe}: AoB no longer uses that account for Europe.`);
    expect(await venue(t.page, 'UK').locator('.seller-id code').textContent()).toBe(SELLERS.europeWithoutGermany);
    expect(await contradictions(t.page)).toEqual([]);
    await screenshot(t.page, 'replaced-seller-banner');
    expect(t.problems.errors).toEqual([]);
  });
});
