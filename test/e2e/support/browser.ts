/**
 * Playwright driving Debian's Chromium: `npx playwright install` cannot download
 * browsers here, so the tests use the system binary and fail at once, saying how to install it,
 * when it is missing.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The host-resolver rule keeps Chromium from reaching any host but loopback (it otherwise keeps
 * calling Google services); the other flags keep a headless run quiet and container-friendly.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export const SCREENSHOT_DIR = path.resolve('test-results', 'e2e');

export function chromiumMissingMessage(executablePath: string): string {
  return [
    `Chromium was not found at ${executablePath}.`,
    'The browser tests drive the Chromium package of Debian (Playwright cannot download browsers here).',
    'Install it with:  sudo apt-get update && sudo apt-get install -y chromium',
    'or point CHROMIUM_PATH at another Chromium binary, then run npm run test:e2e again.',
  ].join('\n');
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(chromiumMissingMessage(CHROMIUM_PATH));
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface PageProblems {
  /** Console errors and uncaught exceptions, each with the URL of the page that raised it. */
  readonly errors: string[];
}

/**
 * Collects console errors and uncaught errors raised while the browser shows one of our pages
 * (`origin`: the local stack's page origin). Amazon's pages (the sandbox) are not ours to judge.
 * `expected` lists messages a scenario causes on purpose: Chromium logs every failed fetch as a
 * console error, e.g. a refused activation (409) or an aborted request.
 */
export function watchProblems(page: Page, origin: string, expected: RegExp[] = []): PageProblems {
  const errors: string[] = [];
  const ours = () => page.url().startsWith(`${new URL(origin).origin}/`);
  page.on('console', (message) => {
    if (message.type() !== 'error' || !ours()) return;
    const text = message.text();
    if (expected.some((pattern) => pattern.test(text))) return;
    errors.push(`console error on ${page.url()}: ${text}`);
  });
  page.on('pageerror', (error) => {
    if (ours()) errors.push(`uncaught error on ${page.url()}: ${error.message}`);
  });
  return { errors };
}

export async function newSellerPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  return { context, page };
}

/** Saves a full-page screenshot under the git-ignored test-results/e2e/ folder. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
