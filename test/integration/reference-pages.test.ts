import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK_ADDRESS, loopbackUrl } from '../../lambdas/shared/loopback.js';
import { PROJECT_ROOT } from '../../lib/paths.js';
import { type LocalServerDeps, REFERENCE_PAGE_CSP, REFERENCE_PAGE_HEADERS, createLocalListener } from '../../local/server.js';
import { REFERENCE_PAGES } from '../../local/web-pages.js';

/** The reference pages are one layout (local/web/layout.html) around each page's own content. */

const WEB_DIR = join(PROJECT_ROOT, 'local', 'web');

async function serve(webDir: string): Promise<{ url: string; server: Server }> {
  const api = { routes: [], handle: async (_req: unknown, res: { writeHead(s: number): { end(): void } }) => res.writeHead(404).end() };
  const server = createServer(createLocalListener({ api, webDir } as unknown as LocalServerDeps));
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK_ADDRESS, resolve));
  return { url: loopbackUrl((server.address() as AddressInfo).port), server };
}

describe('the reference pages', () => {
  let site: { url: string; server: Server };
  beforeAll(async () => (site = await serve(WEB_DIR)));
  afterAll(() => new Promise((resolve) => site.server.close(resolve)));

  it.each(Object.entries(REFERENCE_PAGES))('%s is the shared layout around its own content, with its title, module, skip link and crumbs', async (path, page) => {
    const response = await fetch(`${site.url}${path}`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n')).toBe(true);
    expect(html).toContain(`<title>${page.title}</title>`);
    expect(html).toContain(`<script type="module" src="/web/${page.script}"></script>`);
    expect(html).toContain(`<a class="skip-link" href="#main">${page.skipLink}</a>`);
    expect(html).toContain(`<span class="crumbs">${page.crumbs}</span>`);
    expect(html.match(/<form id="account-form"/g)).toHaveLength(1);
    expect(html.match(/<main id="main" tabindex="-1">/g)).toHaveLength(1);
    expect(html).toContain('<div id="live" class="visually-hidden" aria-live="polite"></div>');
    expect(html).not.toMatch(/\{\{|\}\}/);
  });

  it.each(Object.keys(REFERENCE_PAGES))('%s keeps the pages\' CSP, HSTS and no-referrer headers', async (path) => {
    const response = await fetch(`${site.url}${path}`);

    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    for (const [name, value] of Object.entries({ ...REFERENCE_PAGE_HEADERS, ...REFERENCE_PAGE_CSP })) expect(response.headers.get(name)).toBe(value);
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(await response.text()));
  });

  it('serves a page under /web/ by its file as the same whole page, and never the bare layout', async () => {
    const page = await (await fetch(`${site.url}/`)).text();

    expect(await (await fetch(`${site.url}/web/index.html`)).text()).toBe(page);
    expect((await fetch(`${site.url}/web/layout.html`)).status).toBe(404);
  });

  it('answers HEAD with the page\'s length and no body', async () => {
    const page = await (await fetch(`${site.url}/connect`)).text();
    const head = await fetch(`${site.url}/connect`, { method: 'HEAD' });

    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(page));
    expect(await head.text()).toBe('');
  });
});

describe('a reference page with a file missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aob-web-'));
  let site: { url: string; server: Server };
  beforeAll(async () => {
    writeFileSync(join(dir, 'index.html'), '    <h1>Venue Settings</h1>\n');
    site = await serve(dir);
  });
  afterAll(async () => {
    await new Promise((resolve) => site.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('says which file is not there yet, with a 503', async () => {
    const response = await fetch(`${site.url}/`);

    expect(response.status).toBe(503);
    expect(await response.text()).toContain('local/web/layout.html');
  });
});
