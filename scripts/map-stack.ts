import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Maps a stack trace from a deployed function back to the TypeScript sources, offline. Functions
 * run without `--enable-source-maps` (it cost every cold start ×1.1–1.2, see README
 * "Performance"), so their traces name `index.mjs:1:<column>` of the minified bundle; the
 * `index.mjs.map` next to it in the function's deployment package says where that is.
 *
 *   npm run map-stack -- path/to/index.mjs.map < trace.txt
 *
 * docs/deploy.md ("Reading a stack trace") says where to get the map of a deployed version.
 */

/** `index.mjs:LINE:COLUMN` as Node prints frames (`file:///var/task/index.mjs:1:2345` or a bare path). */
const FRAME = /((?:file:\/\/)?[^\s()]*index\.mjs):(\d+):(\d+)/g;

export function mapStackTrace(trace: string, payload: SourceMapPayload): string {
  const map = new SourceMap(payload);
  return trace.replace(FRAME, (whole, _file: string, line: string, column: string) => {
    // Node's frames are 1-based; the map's entries are 0-based.
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number; name?: string };
    if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return whole;
    const source = entry.originalSource.replace(/^(\.\.\/)+/, '').replace(/^.*?\/(lambdas|node_modules)\//, '$1/');
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${entry.name ? ` [${entry.name}]` : ''}`;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mapFile = process.argv[2];
  if (!mapFile) {
    console.error('usage: npm run map-stack -- path/to/index.mjs.map < trace.txt');
    process.exit(2);
  }
  const payload = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload;
  process.stdout.write(mapStackTrace(readFileSync(0, 'utf8'), payload));
}
