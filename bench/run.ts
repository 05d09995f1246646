import { mkdirSync, writeFileSync } from 'node:fs';
import { budgetOf, synthesizeBundles, type BundleMeasurement } from './bundles.js';
import { costMarkdown, costModel, type CostModel } from './cost.js';
import { coldStartMarkdown, measureColdStarts, type ColdStartReport } from './cold-start.js';
import { loadMarkdown, runLoad, type LoadReport } from './load.js';
import { instructionsMarkdown, measureInstructions, valgrindAvailable, type InstructionReport } from './instructions.js';
import { runSweepBenchmark } from './sweep.js';

/**
 * `npm run bench`: the benchmark report. Budgets are checked on quantities that do not depend
 * on the machine's speed (bundle bytes, items read per due grant, load-run errors); times are
 * printed for the record, never checked. Sections: `bundles`, `cold` (cold import of every
 * function against an empty module and its SDK floor), `cost` (the cost model, bench/cost.ts,
 * with the cold-start figures when `cold` ran), `load` (autocannon on the local stack),
 * `sweep` (DynamoDB Local), and, only when asked for, `instructions` (the cold import counted in
 * instructions under valgrind: bench/instructions.ts, about 2 minutes). `--only=cold,load` runs
 * some; `--rounds=N` (≥ 10) sets the cold-start rounds, and `--max-rounds=M` how many a function
 * whose verdict is still undecided may run in all (default 5 × N); `--quick` uses smaller sweep
 * tables (10k/1k grants) and shorter load runs.
 * Exits non-zero when a budget is exceeded. Results: bench-results/report.json and report.md.
 */
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = process.argv.includes('--quick');
const only = new Set((arg('only') ?? 'bundles,cold,load,sweep').split(','));
const rounds = Number(arg('rounds') ?? 10);
const failures: string[] = [];
const report: { at: string; bundles?: BundleMeasurement[]; coldStart?: ColdStartReport; instructions?: InstructionReport; cost?: CostModel; load?: LoadReport; sweep?: unknown; failures: string[] } = { at: new Date().toISOString(), failures };
const markdown: string[] = [`# Bench report, ${report.at}`, ''];

if (only.has('bundles') || only.has('cold') || only.has('instructions')) {
  console.log('== Lambda bundles (minified index.mjs, as cdk synth builds them, the pinned AWS SDK inside)');
  const { bundles, dispose } = await synthesizeBundles();
  try {
    report.bundles = bundles.map(budgetOf);
    for (const b of report.bundles) {
      console.log(`  ${b.id.padEnd(19)} ${(b.bytes / 1024).toFixed(1).padStart(7)} KiB  budget ${(b.budgetBytes / 1024).toFixed(0).padStart(4)} KiB  ${b.withinBudget ? 'ok' : 'OVER'}`);
      if (!b.withinBudget) failures.push(`${b.id} bundle is ${b.bytes} bytes, budget ${b.budgetBytes}`);
    }
    markdown.push('## Bundles', '', '| Function | KiB | budget KiB |', '| --- | ---: | ---: |', ...report.bundles.map((b) => `| ${b.id} | ${(b.bytes / 1024).toFixed(1)} | ${b.budgetBytes / 1024} |`), '');
    if (only.has('cold')) {
      console.log(`\n== Cold import (${rounds} rounds, fresh processes, each function paired with an empty module and its SDK floor)`);
      report.coldStart = await measureColdStarts(bundles, { rounds, ...(arg('max-rounds') ? { maxRounds: Number(arg('max-rounds')) } : {}), log: (line) => console.log(`  ${line}`) });
      const table = coldStartMarkdown(report.coldStart);
      console.log(`\n${table}`);
      markdown.push('## Cold import', '', table, '');
    }
    if (only.has('instructions')) {
      if (valgrindAvailable()) {
        console.log('\n== Cold import in instructions (valgrind; the same pairs, independent of the machine\'s load)');
        report.instructions = await measureInstructions(bundles, { runs: Number(arg('runs') ?? 1), log: (line) => console.log(`  ${line}`) });
        const table = instructionsMarkdown(report.instructions);
        console.log(`\n${table}`);
        markdown.push('## Cold import in instructions', '', table, '');
      } else {
        console.log('\n== Cold import in instructions: skipped, valgrind is not installed (apt-get install valgrind)');
      }
    }
  } finally {
    dispose();
  }
}

if (only.has('cold') || only.has('cost')) {
  report.cost = costModel(report.coldStart);
  const table = costMarkdown(report.cost);
  console.log(`\n== Cost model\n\n${table}`);
  markdown.push('## Cost per 1,000 connected accounts per month', '', table, '');
}

if (only.has('load')) {
  console.log(`\n== Load on the local stack (autocannon on loopback${quick ? ', quick' : ''})`);
  report.load = await runLoad({ quick, log: (line) => console.log(`  ${line}`) });
  const table = loadMarkdown(report.load);
  console.log(`\n${table}`);
  markdown.push('## Load (local stack)', '', table, '');
  failures.push(...report.load.failures);
}

if (only.has('sweep')) {
  console.log(`\n== Sweep on DynamoDB Local (${quick ? 'quick: 10,000 vs 1,000 grants, 100 due' : '100,000 vs 10,000 grants, 1,000 due'})`);
  const sweep = await runSweepBenchmark(quick ? { sizes: [10_000, 1_000], due: 100 } : {});
  report.sweep = sweep;
  const lines = sweep.measurements.map(
    (m) => `${m.grants.toLocaleString('en').padStart(8)} grants: ${m.itemsRead} items read for ${m.due} due (${m.itemsReadPerDue.toFixed(3)} per due, budget 1.05), ${m.scans} scans, sweep ${(m.sweepMs / 1000).toFixed(2)} s`,
  );
  for (const line of lines) console.log(`  ${line}`);
  console.log(`  time at the largest vs the smallest table: ×${sweep.timeRatio} (reported, not checked)`);
  markdown.push('## Sweep (DynamoDB Local)', '', ...lines.map((l) => `- ${l.trim()}`), `- time at the largest vs the smallest table: ×${sweep.timeRatio}`, '');
  if (!sweep.withinBudget) failures.push(`sweep read ${sweep.maxItemsReadPerDue} items per due grant (budget 1.05) or scanned`);
}

markdown.push(failures.length ? `**Over budget:**\n\n- ${failures.join('\n- ')}` : 'All budgets met.', '');
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/report.json', `${JSON.stringify(report, null, 2)}\n`);
writeFileSync('bench-results/report.md', markdown.join('\n'));
console.log(failures.length ? `\nOVER BUDGET:\n- ${failures.join('\n- ')}` : '\nAll budgets met. Report: bench-results/report.json, bench-results/report.md');
process.exitCode = failures.length ? 1 : 0;
