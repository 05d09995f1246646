import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The figures of `npm run test:security`: the attack suite (test/security/attacks.test.ts)
 * writes them, `tsx test/security/figures.ts` prints them as the Markdown table the README shows.
 */

export interface RouteFigures {
  tried: number;
  rejected: number;
  serverErrors: number;
  offSiteRedirects: number;
  leakedMarkers: number;
}

export interface Figures {
  routes: Record<string, RouteFigures>;
  crossAccount: { attack: string; outcome: string; grantInWrongAccount: boolean }[];
  /** Grant, venue, secret or event changes caused by rejected input (0 unless the suite saw one). */
  writesOnRejectedInput?: number;
}

export const FIGURES_FILE = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '.local', 'security-figures.json');

export function table(f: Figures): string {
  const lines = ['| route | requests | rejected | 5xx | off-site redirects | leaked markers |', '|---|---|---|---|---|---|'];
  const sum = { tried: 0, rejected: 0, serverErrors: 0, offSiteRedirects: 0, leakedMarkers: 0 };
  for (const [name, r] of Object.entries(f.routes).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| \`${name}\` | ${r.tried} | ${r.rejected} | ${r.serverErrors} | ${r.offSiteRedirects} | ${r.leakedMarkers} |`);
    for (const k of Object.keys(sum) as (keyof RouteFigures)[]) sum[k] += r[k];
  }
  lines.push(`| **all** | ${sum.tried} | ${sum.rejected} | ${sum.serverErrors} | ${sum.offSiteRedirects} | ${sum.leakedMarkers} |`);
  lines.push('', `Writes (grant, venue, secret, event) on rejected input: ${f.writesOnRejectedInput ?? 'not measured'}`, '');
  lines.push('| cross-account attempt | outcome | grant in the wrong account |', '|---|---|---|');
  for (const a of f.crossAccount) lines.push(`| ${a.attack} | ${a.outcome} | ${a.grantInWrongAccount ? '**yes**' : 'no'} |`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as Figures;
  process.stdout.write(`\n${table(figures)}\n`);
}
