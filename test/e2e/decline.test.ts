/**
 * Every way an authorization can fail lands on Venue Settings with a banner that says what
 * happened and what to do next (docs/authorization.md, "Outcomes"; never a blank page).
 */
import { screenshot } from './support/browser.js';
import { browserTests } from './support/harness.js';
import { SANDBOX_CONSENT_PATH, SELLERS, backOnVenueSettings, clickAuthorize, confirmOnAmazon, declineOnAmazon, openVenueSettings, signInAs, tokenMessage } from './support/seller.js';
import { sandboxFault } from './support/stack.js';

const t = browserTests();

describe('Venue Settings: when the authorization does not complete', () => {
  it('explains a decline on Amazon: nothing changed, authorize again when ready', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-declines');
    await clickAuthorize(t.page, 'UK', t.stack.sandboxUrl);

    // Act
    await declineOnAmazon(t.page, t.stack.url);

    // Assess
    const banner = t.page.locator('#banner');
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.getAttribute('data-reason')).toBe('ACCESS_DENIED');
    expect(await banner.textContent()).toContain('You declined the authorization on Amazon');
    expect(await banner.textContent()).toContain('Nothing changed.');
    expect(await banner.textContent()).toContain('When you are ready, click Authorize on amazon.co.uk below and confirm on Amazon.');
    expect(new URL(t.page.url()).search).toBe('');
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('No token present');
    await screenshot(t.page, 'decline-banner');
    expect(t.problems.errors).toEqual([]);
  });

  it('explains that the authorization must finish in the browser that started it', async () => {
    // Prepare: the seller confirms on Amazon, but Amazon's way back is opened in another browser
    // (a copied link, another device); the first browser never follows it.
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-switches-browser');
    await clickAuthorize(t.page, 'UK', t.stack.sandboxUrl);
    // Playwright cannot stop a redirect chain midway, so the test walks it (with this browser's
    // cookies) up to the Redirect URI and keeps that last hop for the other browser.
    let callbackUrl = '';
    await t.page.route('**/apps/authorize/confirm', async (route) => {
      let response = await route.fetch({ maxRedirects: 0 });
      let location = route.request().url();
      for (let hop = 0; hop < 5 && !callbackUrl; hop += 1) {
        const next = response.headers().location;
        if (!next) throw new Error(`Expected a redirect from ${location}, got HTTP ${response.status()}`);
        location = new URL(next, location).href;
        if (new URL(location).pathname === '/v1/amazon/callback') callbackUrl = location;
        else response = await t.page.request.get(location, { maxRedirects: 0 });
      }
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>The seller walked away from this browser.</p>' });
    });
    await t.page.locator('#seller').selectOption(SELLERS.europe);
    await t.page.locator('#consent-checkbox').check();
    await t.page.locator('#confirm').click();
    await t.page.getByText('The seller walked away from this browser.').waitFor();
    const other = await t.otherBrowser();

    // Act
    await other.page.goto(callbackUrl);
    await backOnVenueSettings(other.page, t.stack.url);

    // Assess
    const banner = other.page.locator('#banner');
    expect(await banner.getAttribute('data-reason')).toBe('BROWSER_MISMATCH');
    expect(await banner.textContent()).toContain('the authorization has to finish in the same browser where you clicked Authorize');
    expect(await tokenMessage(other.page, 'UK').textContent()).toBe('No token present');
    await screenshot(other.page, 'browser-mismatch-banner');
    expect(other.problems.errors).toEqual([]);
  });

  it('explains a sign-in with a seller account from another region: nothing saved', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, 'seller-wrong-region');
    await clickAuthorize(t.page, 'UK', t.stack.sandboxUrl);

    // Act
    await confirmOnAmazon(t.page, t.stack.url, SELLERS.northAmerica);

    // Assess
    const banner = t.page.locator('#banner');
    expect(await banner.getAttribute('data-reason')).toBe('WRONG_REGION');
    expect(await banner.textContent()).toContain('The Amazon seller account you used does not sell in Europe, where amazon.co.uk is. Nothing was saved.');
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('No token present');
    expect(await tokenMessage(t.page, 'US').textContent()).toBe('No token present');
    await screenshot(t.page, 'wrong-region-banner');
    expect(t.problems.errors).toEqual([]);
  });

  it.each([
    ['server_error', 'AMAZON_UNAVAILABLE', 'Amazon could not finish the authorization just now'],
    ['invalid_client', 'APP_CREDENTIALS_INVALID', "A problem on AoB's side"],
  ] as const)('explains an Amazon token endpoint answering %s as %s', async (mode, reason, title) => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, `seller-meets-${mode}`);
    await clickAuthorize(t.page, 'DE', t.stack.sandboxUrl);
    await sandboxFault(t.stack, { target: 'token', mode, times: 1 });

    // Act
    await confirmOnAmazon(t.page, t.stack.url, SELLERS.europe);

    // Assess
    const banner = t.page.locator('#banner');
    expect(await banner.getAttribute('data-reason')).toBe(reason);
    expect(await banner.locator('.banner-title').textContent()).toBe(title);
    expect(await tokenMessage(t.page, 'DE').textContent()).toBe('No token present');
    await screenshot(t.page, `${reason.toLowerCase().replaceAll('_', '-')}-banner`);
    expect(t.problems.errors).toEqual([]);
  });

  it('starts again from the banner\'s own Authorize button', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url, '?amazon_authorization=error&marketplace=UK&reason=STATE_INVALID');

    // Act
    await t.page.getByTestId('banner-authorize').click();

    // Assess
    await t.page.waitForURL((url) => url.href.startsWith(t.stack.sandboxUrl) && url.pathname.endsWith(SANDBOX_CONSENT_PATH));
    expect(t.problems.errors).toEqual([]);
  });

  const reasons: [string, string, string][] = [
    ['STATE_INVALID', 'This authorization link has expired or was already used', 'Click Authorize on amazon.de below to start again'],
    ['BROWSER_MISMATCH', 'The authorization finished in a different browser', 'in this browser'],
    ['ACCESS_DENIED', 'You declined the authorization on Amazon', 'When you are ready'],
    ['CODE_EXCHANGE_FAILED', 'Amazon did not accept the authorization', 'Nothing was saved.'],
    ['AMAZON_UNAVAILABLE', 'Amazon could not finish the authorization just now', 'Try again in a few minutes'],
    ['WRONG_REGION', 'You signed in to Amazon with an account from another region', 'does not sell in Europe'],
    ['APP_CREDENTIALS_INVALID', "A problem on AoB's side", 'our engineers have been alerted'],
    ['SERVICE_UNAVAILABLE', 'AoB could not finish the authorization', 'Wait a few minutes, then click Authorize on amazon.de below again.'],
    ['SOMETHING_NEW', 'The Amazon authorization did not complete', 'mention the code SOMETHING_NEW'],
  ];

  it.each(reasons)('explains %s in plain words and cleans the address bar', async (reason, title, next) => {
    // Act
    await openVenueSettings(t.page, t.stack.url, `?amazon_authorization=error&marketplace=DE&reason=${reason}`);

    // Assess
    const banner = t.page.locator('#banner');
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.locator('.banner-title').textContent()).toBe(title);
    expect(await banner.textContent()).toContain(next);
    expect(await t.page.evaluate(() => document.activeElement?.classList.contains('banner-title'))).toBe(true);
    expect(new URL(t.page.url()).search).toBe('');
    expect(t.problems.errors).toEqual([]);
  });

  it('shows no banner on a plain visit, and none again after a reload of a cleaned address', async () => {
    // Prepare
    await openVenueSettings(t.page, t.stack.url, '?amazon_authorization=success&marketplace=UK');

    // Act
    await t.page.reload();

    // Assess
    await t.page.locator('body[data-ready="true"]').waitFor();
    expect(await t.page.locator('#banner').isHidden()).toBe(true);
    expect(t.problems.errors).toEqual([]);
  });
});
