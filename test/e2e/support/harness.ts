/**
 * The frame every browser test file shares: Chromium and the whole local stack for the file, a
 * fresh browser context (cookies, sessionStorage) per test unless the file tells one story
 * across its tests, and the page's console watched throughout.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type PageProblems, launchBrowser, newSellerPage, watchProblems } from './browser.js';
import { type RunningStack, startStack } from './stack.js';

export interface BrowserTest {
  readonly stack: RunningStack;
  readonly page: Page;
  /** Console errors and uncaught errors on our pages since the page was opened. */
  readonly problems: PageProblems;
  /** A second, separate browser (own cookies and storage), closed with the test's page. */
  otherBrowser(): Promise<{ page: Page; problems: PageProblems }>;
}

export interface BrowserTestOptions {
  /** false: one page for the whole file (a story told across its tests). Default true. */
  readonly pagePerTest?: boolean;
  /** Console errors a file's scenarios cause on purpose (see watchProblems). */
  readonly expectedConsoleErrors?: RegExp[];
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The browser test has no ${what}: setting up the file failed (see the first error).`);
  return value;
}

/** Registers the jest hooks; call once at the top of a test file. */
export function browserTests(options: BrowserTestOptions = {}): BrowserTest {
  const pagePerTest = options.pagePerTest ?? true;
  let stack: RunningStack | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let problems: PageProblems | undefined;
  const others: BrowserContext[] = [];

  async function openPage(): Promise<void> {
    ({ context, page } = await newSellerPage(ready(browser, 'browser')));
    problems = watchProblems(page, ready(stack, 'stack').url, options.expectedConsoleErrors);
  }

  async function closePage(): Promise<void> {
    for (const other of others.splice(0)) await other.close();
    await context?.close();
    context = undefined;
    page = undefined;
    problems = undefined;
  }

  beforeAll(async () => {
    // Chromium first: when it is missing, say so before spending seconds on the stack.
    browser = await launchBrowser();
    stack = await startStack();
    if (!pagePerTest) await openPage();
  });
  beforeEach(async () => {
    if (pagePerTest && browser && stack) await openPage();
  });
  afterEach(async () => {
    if (pagePerTest) await closePage();
  });
  afterAll(async () => {
    await closePage();
    await browser?.close();
    await stack?.stop();
  });

  return {
    get stack() {
      return ready(stack, 'stack');
    },
    get page() {
      return ready(page, 'page');
    },
    get problems() {
      return ready(problems, 'page');
    },
    async otherBrowser() {
      const other = await newSellerPage(ready(browser, 'browser'));
      others.push(other.context);
      return { page: other.page, problems: watchProblems(other.page, ready(stack, 'stack').url, options.expectedConsoleErrors) };
    },
  };
}
