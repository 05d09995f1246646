/**
 * A keyboard user on Venue Settings: the reason a box cannot be ticked is reachable with Tab, and
 * after Disconnect the focus lands on the result instead of the top of the page.
 */
import { screenshot } from './support/browser.js';
import { browserTests } from './support/harness.js';
import { SELLERS, authorize, openVenueSettings, signInAs, venue } from './support/seller.js';

const t = browserTests();

async function focusedElement(): Promise<{ testid: string; marketplace: string; describedBy: string; text: string }> {
  return t.page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const describedBy = el?.getAttribute('aria-describedby') ?? '';
    return {
      testid: el?.dataset.testid ?? el?.tagName ?? '',
      marketplace: el?.closest('section[data-marketplace]')?.getAttribute('data-marketplace') ?? '',
      describedBy: describedBy ? (document.getElementById(describedBy)?.textContent ?? '') : '',
      text: el?.textContent ?? '',
    };
  });
}

describe('Venue Settings: keyboard users', () => {
  it('reach a greyed-out Active box with Tab, hear its reason, and cannot tick it', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'keyboard-seller-without-germany');
    await authorize(t.page, t.stack, 'UK', SELLERS.europeWithoutGermany);
    await venue(t.page, 'DE').getByTestId('authorize').focus();

    // Act
    let focused = await focusedElement();
    for (let i = 0; i < 5 && !(focused.testid === 'active' && focused.marketplace === 'DE'); i += 1) {
      await t.page.keyboard.press('Tab');
      focused = await focusedElement();
    }
    await t.page.keyboard.press('Space');

    // Assess
    expect(focused).toMatchObject({ testid: 'active', marketplace: 'DE', describedBy: 'Your Amazon seller account is not registered to sell on amazon.de.' });
    expect(await venue(t.page, 'DE').getByTestId('active').isChecked()).toBe(false);
    expect(await venue(t.page, 'DE').getByTestId('active').isDisabled()).toBe(true);
    await screenshot(t.page, 'keyboard-disabled-box-reason');
    expect(t.problems.errors).toEqual([]);
  });

  it('land on the result banner after Disconnect', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'keyboard-seller-disconnects');
    await authorize(t.page, t.stack, 'JP', SELLERS.japan);
    t.page.once('dialog', (dialog) => dialog.accept());

    // Act
    await venue(t.page, 'JP').getByTestId('disconnect').focus();
    await t.page.keyboard.press('Enter');
    await t.page.locator('#banner').getByText('Disconnected from Amazon').waitFor();

    // Assess
    const focused = await focusedElement();
    expect(focused.text).toBe('Disconnected from Amazon');
    expect(await t.page.locator('#banner').textContent()).toContain('AoB no longer reaches amazon.co.jp, and the venue is not Active any more.');
    await screenshot(t.page, 'keyboard-disconnect-result-focused');
    expect(t.problems.errors).toEqual([]);
  });
});
