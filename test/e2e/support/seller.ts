/**
 * What a seller does in the browser, in the words of the scenarios: open Venue Settings,
 * authorize a marketplace, decide on Amazon's consent page, come back.
 */
import type { Locator, Page } from 'playwright-core';

/** Sandbox sellers (local/sandbox/sellers.ts). */
export const SELLERS = {
  /** Europe unified account: UK, DE, FR, IT, ES. */
  europe: 'ASANDBOXEU0001',
  /** Europe account that is not registered in Germany: UK, FR, IT, ES. */
  europeWithoutGermany: 'ASANDBOXEU0002',
  northAmerica: 'ASANDBOXNA0001',
  japan: 'ASANDBOXJP0001',
} as const;

/** Where the sandbox's Seller Central consent page lives (under /sellercentral/{mp}). */
export const SANDBOX_CONSENT_PATH = '/apps/authorize/consent';

export async function openVenueSettings(page: Page, baseUrl: string, query = ''): Promise<void> {
  await page.goto(`${baseUrl}/${query}`);
  await waitUntilReady(page);
}

/** The page marks `body[data-ready]` once it has rendered what the API answered. */
export async function waitUntilReady(page: Page): Promise<void> {
  await page.locator('body[data-ready="true"]').waitFor();
}

export function venue(page: Page, marketplace: string): Locator {
  return page.locator(`section[data-marketplace="${marketplace}"]`);
}

/**
 * Every way a venue section could contradict itself: an Active box ticked on a venue whose
 * authorization is missing, expired or revoked, or ticked while it says it cannot be Active.
 * Returns one line per contradiction (empty: the page is consistent).
 */
export async function contradictions(page: Page): Promise<string[]> {
  return page.locator('section[data-marketplace]').evaluateAll((sections) =>
    sections.flatMap((section) => {
      const code = section.getAttribute('data-marketplace');
      const status = section.getAttribute('data-status');
      const box = section.querySelector<HTMLInputElement>('[data-testid="active"]');
      if (!box?.checked) return [];
      const found: string[] = [];
      if (status === 'none' || status === 'expired' || status === 'revoked') found.push(`${code}: Active ticked on a ${status} venue`);
      if (box.getAttribute('aria-disabled') === 'true') found.push(`${code}: Active ticked but the box says it cannot be Active`);
      return found;
    }),
  );
}

export function tokenMessage(page: Page, marketplace: string): Locator {
  return venue(page, marketplace).getByTestId('token-message');
}

/** Switches the local sign-in to another AoB account through the account bar. */
export async function signInAs(page: Page, accountId: string): Promise<void> {
  await page.getByLabel('Switch account').fill(accountId);
  await page.getByRole('button', { name: 'Switch' }).click();
  await page.getByTestId('account-id').getByText(accountId, { exact: true }).waitFor();
  await page.locator('section[data-marketplace]').first().waitFor();
}

/** Clicks Authorize (or Re-authorize) on a venue and waits for Amazon's consent page. */
export async function clickAuthorize(page: Page, marketplace: string, sandboxUrl: string): Promise<void> {
  await venue(page, marketplace).getByTestId('authorize').click();
  await page.waitForURL((url) => url.href.startsWith(sandboxUrl) && url.pathname.endsWith(SANDBOX_CONSENT_PATH));
}

/** On the sandbox consent page: pick the selling account, tick the box, Confirm (Amazon's two clicks). */
export async function confirmOnAmazon(page: Page, baseUrl: string, sellingPartnerId: string): Promise<void> {
  await page.locator('#seller').selectOption(sellingPartnerId);
  await page.locator('#consent-checkbox').check();
  await page.locator('#confirm').click();
  await backOnVenueSettings(page, baseUrl);
}

/**
 * A flow started in Seller Central, back from Amazon: the completion page names the Amazon store,
 * the selling partner and the AoB account, and saves only on Connect. Returns what it showed.
 */
export async function connectOnCompletionPage(page: Page, baseUrl: string): Promise<{ store: string; sellingPartnerId: string; accountId: string }> {
  await page.getByTestId('confirmation').waitFor();
  const shown = {
    store: (await page.getByTestId('confirm-store').textContent()) ?? '',
    sellingPartnerId: (await page.getByTestId('confirm-selling-partner').textContent()) ?? '',
    accountId: (await page.getByTestId('confirm-account').textContent()) ?? '',
  };
  await page.getByTestId('confirm-connect').click();
  await backOnVenueSettings(page, baseUrl);
  return shown;
}

export async function declineOnAmazon(page: Page, baseUrl: string): Promise<void> {
  await page.locator('#deny').click();
  await backOnVenueSettings(page, baseUrl);
}

export async function backOnVenueSettings(page: Page, baseUrl: string): Promise<void> {
  await page.waitForURL((url) => url.origin === new URL(baseUrl).origin && url.pathname === '/');
  await waitUntilReady(page);
}

/** The whole website workflow (docs/authorization.md, website workflow): Authorize → consent → back on Venue Settings. */
export async function authorize(page: Page, stack: { url: string; sandboxUrl: string }, marketplace: string, sellingPartnerId: string): Promise<void> {
  await clickAuthorize(page, marketplace, stack.sandboxUrl);
  await confirmOnAmazon(page, stack.url, sellingPartnerId);
}
