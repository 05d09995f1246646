import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { mapStackTrace } from '../../scripts/map-stack.js';

/** A minified bundle built like the functions' (one line, a linked map without sources), failing at a known place. */
describe('mapping a deployed stack trace back to the sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aob-map-stack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns index.mjs:1:<column> frames into file:line:column of the TypeScript source, leaving other lines alone', async () => {
    const source = join(dir, 'lambdas', 'handler.ts');
    mkdirSync(join(dir, 'lambdas'));
    writeFileSync(source, ['export function parse(text: string): number {', '  const n = Number(text);', "  if (Number.isNaN(n)) throw new Error('not a number');", '  return n;', '}', "export const handler = () => parse('x');", ''].join('\n'));
    await build({ entryPoints: [source], bundle: true, minify: true, format: 'esm', platform: 'node', sourcemap: 'linked', sourcesContent: false, outfile: join(dir, 'out', 'index.mjs') });
    // Run as Lambda would: a plain Node process, no --enable-source-maps.
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'out', 'index.mjs')).href)}); try { m.handler(); } catch (e) { process.stdout.write(e.stack); }`;
    const trace = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(trace).toMatch(/index\.mjs:1:\d+/);

    const mapped = mapStackTrace(trace, JSON.parse(readFileSync(join(dir, 'out', 'index.mjs.map'), 'utf8')));

    expect(mapped.split('\n')[0]).toBe('Error: not a number');
    expect(mapped).toContain('lambdas/handler.ts:3:');
    expect(mapped).not.toMatch(/index\.mjs:1:\d+/);
  });
});
