/**
 * "I revoked AoB on Amazon and the page still said Current": after a revoke in the sandbox (as
 * in Seller Central → Manage Your Apps), one run of the token health check — the refresh is the
 * only signal Amazon gives — makes Venue Settings say so, with exactly one Revoked event; the
 * venue is no longer Active; re-authorizing makes it Current again.
 */
import { browserTests } from './support/harness.js';
import { SELLERS, authorize, openVenueSettings, signInAs, tokenMessage, venue, waitUntilReady } from './support/seller.js';
import { moveClock } from './support/stack.js';

const t = browserTests({ pagePerTest: false });
const ACCOUNT = 'seller-revokes-on-amazon';

async function dev(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${t.stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

async function revokedEvents(): Promise<unknown[]> {
  const { events } = (await dev('GET', `/__dev/events?detailType=${encodeURIComponent('Amazon Authorization Revoked')}`)) as { events: { detail: { accountId: string } }[] };
  return events.filter((e) => e.detail.accountId === ACCOUNT);
}

describe('Venue Settings: an authorization revoked on Amazon', () => {
  it('is Current and Active after authorizing', async () => {
    await openVenueSettings(t.page, t.stack.url);
    await signInAs(t.page, ACCOUNT);
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);
    await venue(t.page, 'UK').getByTestId('active').check();
    await venue(t.page, 'UK').getByTestId('active-status').getByText('Saved: Active').waitFor();
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Current');
  });

  it('says "Revoked on Amazon — authorize again" after one health-check run, with exactly one Revoked event', async () => {
    // Act: the seller removes AoB on Amazon; a day later the health check refreshes the idle grant.
    await dev('POST', '/__dev/sandbox/revoke', { sellingPartnerId: SELLERS.europe });
    await moveClock(t.stack, { advance: 'P1DT1H' });
    const summary = await dev('POST', '/__dev/health-check');
    await t.page.reload();
    await waitUntilReady(t.page);

    // Assess
    expect(summary).toMatchObject({ revoked: 1 });
    for (const code of ['UK', 'FR']) {
      expect(await tokenMessage(t.page, code).textContent()).toBe('Revoked on Amazon — authorize again');
      expect(await venue(t.page, code).getAttribute('data-status')).toBe('revoked');
    }
    expect(await venue(t.page, 'UK').getByTestId('active').isChecked()).toBe(false);
    expect(await venue(t.page, 'UK').getByTestId('authorize').textContent()).toBe('Re-authorize');
    expect(await revokedEvents()).toHaveLength(1);

    // A second run finds nothing more to say.
    await dev('POST', '/__dev/health-check');
    expect(await revokedEvents()).toHaveLength(1);
    expect(t.problems.errors).toEqual([]);
  });

  it('is Current again after re-authorizing, and Active as the seller had it', async () => {
    await authorize(t.page, t.stack, 'UK', SELLERS.europe);
    expect(await tokenMessage(t.page, 'UK').textContent()).toBe('Current');
    expect(await venue(t.page, 'UK').getAttribute('data-status')).toBe('current');
    expect(await venue(t.page, 'UK').getByTestId('active').isChecked()).toBe(true);
    expect(await dev('POST', '/__dev/health-check', { accountId: ACCOUNT, marketplace: 'UK' })).toMatchObject({ confirmed: 1, revoked: 0 });
    expect(await revokedEvents()).toHaveLength(1);
    expect(t.problems.errors).toEqual([]);
  });
});
