/**
 * The page itself: "it takes me to AoB and gives me a blank page" (whatever goes wrong between
 * the page and the API, the seller reads what happened and what to do), a revoked authorization
 * flagged at the top, the local sign-in bar, and keyboard use with a visible focus.
 */
import { screenshot } from './support/browser.js';
import { browserTests } from './support/harness.js';
import { SANDBOX_CONSENT_PATH, openVenueSettings, venue, waitUntilReady } from './support/seller.js';

// Failed requests these scenarios cause on purpose; Chromium logs each as a console error.
const t = browserTests({ expectedConsoleErrors: [/Failed to load resource: net::ERR_FAILED/, /status of 409 \(Conflict\)/] });

describe('Venue Settings: when the API cannot help', () => {
  it('says the network failed instead of showing a blank page, and recovers with Try again', async () => {
    // Prepare
    await t.page.route('**/v1/amazon/venues', (route) => route.abort('failed'));

    // Act
    await openVenueSettings(t.page, t.stack.url);

    // Assess
    const banner = t.page.locator('#error-banner');
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.textContent()).toContain('Your Amazon venues could not be loaded');
    expect(await banner.textContent()).toContain('Could not reach AoB: the network request failed.');
    await screenshot(t.page, 'network-failure');

    // Act
    await t.page.unroute('**/v1/amazon/venues');
    await t.page.getByTestId('retry').click();
    await venue(t.page, 'UK').waitFor();

    // Assess
    expect(await banner.isHidden()).toBe(true);
    expect(t.problems.errors).toEqual([]);
  });

  it('shows the API\'s own message when it refuses an activation', async () => {
    // Prepare: the page believes UK may be activated; the API knows there is no token.
    await t.page.route('**/v1/amazon/venues', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { venues: { marketplace: string; activation: unknown }[] };
      for (const v of body.venues) if (v.marketplace === 'UK') v.activation = { allowed: true, reason: null, message: null };
      await route.fulfill({ response, json: body });
    });
    await openVenueSettings(t.page, t.stack.url);

    // Act
    await venue(t.page, 'UK').getByTestId('active').check();
    await t.page.locator('#error-banner').getByText('Could not set amazon.co.uk Active').waitFor();

    // Assess
    expect(await t.page.locator('#error-banner').textContent()).toContain('Authorize AoB on Amazon for amazon.co.uk before setting this venue Active.');
    expect(await venue(t.page, 'UK').getByTestId('active').isChecked()).toBe(false);
    await screenshot(t.page, 'api-error-message');
    expect(t.problems.errors).toEqual([]);
  });

  it('keeps a stale sign-in working: a refused token is replaced without bothering the seller', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await t.page.evaluate(() => sessionStorage.setItem('aob.dev.token', 'not-a-valid-jwt'));

    // Act
    await t.page.reload();
    await waitUntilReady(t.page);

    // Assess
    expect(await t.page.locator('#error-banner').isHidden()).toBe(true);
    expect(await venue(t.page, 'UK').count()).toBe(1);
    expect(t.problems.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});

describe('Venue Settings: what the seller is watching for', () => {
  it('shows a revoked authorization as needing attention, with what to do', async () => {
    // Prepare: the local stack never refreshes tokens, so Amazon's revocation is simulated in the answer.
    await t.page.route('**/v1/amazon/venues', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { venues: { marketplace: string; token: Record<string, unknown>; activation: unknown }[] };
      for (const v of body.venues) {
        if (v.marketplace !== 'AU') continue;
        v.token = { status: 'revoked', message: 'Revoked on Amazon — authorize again', generatedAt: '2026-03-02T10:00:00.000Z', expiresAt: '2027-03-02T10:00:00.000Z', daysRemaining: null, hoursRemaining: null, sellingPartnerId: 'ASANDBOXAU0001' };
        v.activation = { allowed: false, reason: 'TOKEN_REVOKED', message: 'The authorization for amazon.com.au was revoked on Amazon. Authorize again to set this venue Active.' };
      }
      await route.fulfill({ response, json: body });
    });

    // Act
    await openVenueSettings(t.page, t.stack.url);

    // Assess
    const australia = venue(t.page, 'AU');
    expect(await australia.getByTestId('token-message').textContent()).toBe('Revoked on Amazon — authorize again');
    expect(await australia.getByTestId('token-dates').textContent()).toBe('Authorized on 2 Mar 2026');
    expect(await australia.getByTestId('token-hint').textContent()).toContain("AoB's access was removed on Amazon");
    expect(await australia.getByTestId('authorize').textContent()).toBe('Re-authorize');
    expect(await australia.getByTestId('active').isDisabled()).toBe(true);
    expect(await t.page.getByTestId('attention-text').textContent()).toBe(
      "Australia (amazon.com.au): Revoked on Amazon — authorize again. AoB's access was removed on Amazon: re-authorize to reconnect.",
    );
    await screenshot(t.page, 'revoked');
    expect(t.problems.errors).toEqual([]);
  });
});

describe('Venue Settings: local sign-in bar', () => {
  it('refuses an account id that cannot be one, and says what one looks like', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);

    // Act
    await t.page.getByLabel('Switch account').fill('not an id!');
    await t.page.getByRole('button', { name: 'Switch' }).click();

    // Assess
    expect(await t.page.locator('#account-hint').textContent()).toBe('Use 1–128 letters, digits or . _ : @ - (for example demo-seller).');
    expect(await t.page.getByLabel('Switch account').getAttribute('aria-invalid')).toBe('true');
    expect(await t.page.getByTestId('account-id').textContent()).toBe('demo-seller');
    expect(t.problems.errors).toEqual([]);
  });
});

describe('Venue Settings: keyboard', () => {
  it('reaches Authorize with Tab, shows where the focus is, and starts the authorization with Enter', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);

    // Act
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'authorize US'; i += 1) {
      await t.page.keyboard.press('Tab');
      focused = await t.page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return `${el?.dataset.testid ?? el?.tagName} ${el?.closest('section[data-marketplace]')?.getAttribute('data-marketplace') ?? ''}`.trim();
      });
    }
    const outline = await t.page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    await screenshot(t.page, 'keyboard-focus');
    await t.page.keyboard.press('Enter');

    // Assess
    expect(focused).toBe('authorize US');
    expect(outline).toBe('solid');
    await t.page.waitForURL((url) => url.href.startsWith(t.stack.sandboxUrl) && url.pathname.endsWith(SANDBOX_CONSENT_PATH));
    expect(t.problems.errors).toEqual([]);
  });
});
