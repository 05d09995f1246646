/**
 * A planted authorization link (docs/security.md, S17): another AoB account's link, opened and
 * confirmed on Amazon by a signed-in seller, ends on the outcome page saying so, and nothing is
 * connected in either account.
 */
import { screenshot } from './support/browser.js';
import { browserTests } from './support/harness.js';
import { SELLERS, backOnVenueSettings, confirmOnAmazon, openVenueSettings, signInAs, tokenMessage } from './support/seller.js';

// The refused completion (403) is the point of the scenario; Chromium logs it as a console error.
const t = browserTests({ expectedConsoleErrors: [/status of 403 \(Forbidden\)/] });

it('another account’s authorization link, confirmed by the signed-in seller, ends in ACCOUNT_MISMATCH and connects nothing', async () => {
  // Prepare: the attacker mints a link for their own account.
  const { token } = (await (await fetch(`${t.stack.url}/__dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: 'attacker-account' }) })).json()) as { token: string };
  const minted = (await (await fetch(`${t.stack.url}/v1/amazon/venues/UK/authorizations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).json()) as { authorizationUrl: string };
  await openVenueSettings(t.page, t.stack.url);
  await signInAs(t.page, 'seller-gets-a-planted-link');

  // Act: the seller opens it and confirms on Amazon (two clicks), as the link invites.
  await t.page.goto(minted.authorizationUrl);
  await confirmOnAmazon(t.page, t.stack.url, SELLERS.europe);

  // Assess
  const banner = t.page.locator('#banner');
  expect(await banner.getAttribute('data-reason')).toBe('ACCOUNT_MISMATCH');
  expect(await banner.textContent()).toContain('This authorization was started from another AoB account. Nothing was saved.');
  expect(await tokenMessage(t.page, 'UK').textContent()).toBe('No token present');
  const attacker = (await (await fetch(`${t.stack.url}/v1/amazon/venues`, { headers: { authorization: `Bearer ${token}` } })).json()) as { venues: { token: { status: string } }[] };
  expect(attacker.venues.every((v) => v.token.status === 'none')).toBe(true);
  await screenshot(t.page, 'account-mismatch');
  expect(t.problems.errors).toEqual([]);
});

it('the same flow started by the signed-in seller completes without a click on the completion page', async () => {
  await openVenueSettings(t.page, t.stack.url);
  await signInAs(t.page, 'seller-authorizes-normally');
  await t.page.getByRole('button', { name: 'Authorize amazon.co.uk' }).click();
  await t.page.waitForURL((url) => url.href.startsWith(t.stack.sandboxUrl));
  await t.page.locator('#seller').selectOption(SELLERS.europe);
  await t.page.locator('#consent-checkbox').check();
  await t.page.locator('#confirm').click();
  await backOnVenueSettings(t.page, t.stack.url);
  expect(await t.page.locator('#banner').getAttribute('data-result')).toBe('success');
  expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Current');
  expect(t.problems.errors).toEqual([]);
});
