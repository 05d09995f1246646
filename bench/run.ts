import { mkdirSync, writeFileSync } from 'node:fs';
import { measureBundles } from './bundles.js';
import { runSweepBenchmark } from './sweep.js';

/**
 * `npm run bench`: the benchmark report. Budgets are checked on quantities that do not depend
 * on the machine's speed (bundle bytes, items read per due grant); times are printed for the
 * record, never checked. `npm run bench -- --quick` uses smaller tables (10k/1k grants).
 * Exits non-zero when a budget is exceeded. Results: bench-results/report.json.
 */
const quick = process.argv.includes('--quick');
const failures: string[] = [];

console.log('== Lambda bundles (minified index.mjs, as cdk synth builds them)');
const bundles = await measureBundles();
for (const b of bundles) {
  console.log(`  ${b.id.padEnd(19)} ${(b.bytes / 1024).toFixed(1).padStart(7)} KiB  budget ${(b.budgetBytes / 1024).toFixed(0).padStart(4)} KiB  ${b.withinBudget ? 'ok' : 'OVER'}`);
  if (!b.withinBudget) failures.push(`${b.id} bundle is ${b.bytes} bytes, budget ${b.budgetBytes}`);
}

console.log(`\n== Sweep on DynamoDB Local (${quick ? 'quick: 10,000 vs 1,000 grants, 100 due' : '100,000 vs 10,000 grants, 1,000 due'})`);
const sweep = await runSweepBenchmark(quick ? { sizes: [10_000, 1_000], due: 100 } : {});
for (const m of sweep.measurements) {
  console.log(
    `  ${m.grants.toLocaleString('en').padStart(8)} grants: ${m.itemsRead} items read for ${m.due} due (${m.itemsReadPerDue.toFixed(3)} per due, budget 1.05), ${m.scans} scans, sweep ${(m.sweepMs / 1000).toFixed(2)} s`,
  );
}
console.log(`  time at the largest vs the smallest table: ×${sweep.timeRatio} (reported, not checked)`);
if (!sweep.withinBudget) failures.push(`sweep read ${sweep.maxItemsReadPerDue} items per due grant (budget 1.05) or scanned`);

mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/report.json', `${JSON.stringify({ at: new Date().toISOString(), bundles, sweep, failures }, null, 2)}\n`);
console.log(failures.length ? `\nOVER BUDGET:\n- ${failures.join('\n- ')}` : '\nAll budgets met. Report: bench-results/report.json');
process.exitCode = failures.length ? 1 : 0;
