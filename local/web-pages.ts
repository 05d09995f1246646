import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeHtml } from '../lambdas/shared/html.js';

/**
 * The reference pages (local/web/): one layout, `layout.html` (the head, the sign-in bar and the
 * live region every page shares), around each page's own `<main>` content in its file. The
 * server assembles a page on every request, so an edited file shows on reload.
 */

export interface ReferencePage {
  /** The page's `<main>` content, in local/web/. */
  readonly file: string;
  readonly title: string;
  /** Its module, in local/web/. */
  readonly script: string;
  /** The skip link's words. */
  readonly skipLink: string;
  /** Where the page sits in AoB's settings. */
  readonly crumbs: string;
}

export const LAYOUT_FILE = 'layout.html';

/** Each page by its path. */
export const REFERENCE_PAGES: Readonly<Record<string, ReferencePage>> = {
  '/': { file: 'index.html', title: 'Venue Settings · AoB', script: 'venues.js', skipLink: 'Skip to venues', crumbs: 'Settings › Venue Settings' },
  '/connect': { file: 'connect.html', title: 'Connect Amazon · AoB', script: 'connect.js', skipLink: 'Skip to the form', crumbs: 'Settings › Venue Settings › Connect Amazon' },
  '/complete': {
    file: 'complete.html',
    title: 'Finishing the Amazon authorization · AoB',
    script: 'complete.js',
    skipLink: 'Skip to the result',
    crumbs: 'Settings › Venue Settings › Amazon authorization',
  },
};

/** The page whose `<main>` content is in `file`, if any. */
export function pageOfFile(file: string): ReferencePage | undefined {
  return Object.values(REFERENCE_PAGES).find((page) => page.file === file);
}

/** A file of the pages that is missing from local/web/. */
export class PageFileMissing extends Error {
  constructor(readonly file: string) {
    super(`local/web/${file} is missing`);
  }
}

/** The whole page: the layout with the page's slots filled and its `<main>` content inside. */
export async function renderReferencePage(webDir: string, page: ReferencePage): Promise<Buffer> {
  const [layout, main] = await Promise.all([readPageFile(webDir, LAYOUT_FILE), readPageFile(webDir, page.file)]);
  const slots: Record<string, string> = {
    title: escapeHtml(page.title),
    script: escapeHtml(page.script),
    'skip-link': escapeHtml(page.skipLink),
    crumbs: escapeHtml(page.crumbs),
    main: main.replace(/\n$/, ''),
  };
  return Buffer.from(
    layout.replace(/\{\{([a-z-]+)\}\}/g, (_, name: string) => {
      const value = slots[name];
      if (value === undefined) throw new Error(`local/web/${LAYOUT_FILE} has an unknown slot {{${name}}}`);
      return value;
    }),
  );
}

async function readPageFile(webDir: string, file: string): Promise<string> {
  try {
    return await readFile(join(webDir, file), 'utf8');
  } catch {
    throw new PageFileMissing(file);
  }
}
