import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { LambdaBundle } from './bundles.js';
import { buildReferences, lambdaProcess, writeMeasureScript } from './cold-start.js';

/**
 * The cold import counted in CPU instructions instead of time: each function, its SDK floor and
 * the empty module are imported in a fresh Node process under valgrind (cachegrind without its
 * cache simulation, which only counts the instructions executed), the whole process from start
 * to exit. A count does not depend on what else the machine is doing, which the CPU time of
 * `cold-start.ts` does on a shared host; it does not see what makes an instruction slow either
 * (a cache miss on freshly loaded code costs more than it counts), so it is the noise-free
 * companion of the timed ratios, not their replacement. The process runs with V8's
 * `--predictable` (seeded hashes and random numbers, background work in a fixed order), so on one
 * machine and Node a count repeats to the instruction; without it, counts moved by 2–4% from run
 * to run, and its counts fall inside the range those gave. (`--single-threaded` repeats too, but it adds
 * about 60 M instructions of extra work to every process, the empty module included, which
 * flatters every ratio: it is not used.) The median of `runs` is still taken. Needs `valgrind`
 * on the PATH (Debian: `apt-get install valgrind`); about 8 s per process.
 */

/** The V8 flag that makes a process's instruction count repeat exactly. */
export const REPEATABLE_V8 = ['--predictable'] as const;

const execFileAsync = promisify(execFile);

export interface InstructionMeasurement {
  readonly id: string;
  /** Millions of instructions, median over the runs. */
  readonly function: number;
  /** The floor's (the empty module's, for a function without SDK clients). */
  readonly reference: number;
  readonly against: 'floor' | 'empty';
  readonly ratio: number;
}

export interface InstructionReport {
  readonly runs: number;
  readonly emptyModule: number;
  readonly measurements: readonly InstructionMeasurement[];
}

/** Whether valgrind can run here. */
export function valgrindAvailable(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The `I refs` total cachegrind prints on stderr, in millions. */
export function instructionsFrom(stderr: string): number {
  const match = /I\s+refs:\s+([\d,]+)/.exec(stderr);
  if (!match) throw new Error('valgrind printed no instruction count');
  return Number(match[1]!.replace(/,/g, '')) / 1e6;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function measureInstructions(bundles: readonly LambdaBundle[], options: { runs?: number; log?: (line: string) => void } = {}): Promise<InstructionReport> {
  const runs = Math.max(1, options.runs ?? 1);
  const log = options.log ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), 'aob-bench-instructions-'));
  try {
    const measureScript = writeMeasureScript(work);
    const references = await buildReferences(bundles, work);
    const count = async (file: string, b: LambdaBundle): Promise<number> => {
      const { env, nodeOptions } = lambdaProcess(b);
      const counts: number[] = [];
      for (let i = 0; i < runs; i++) {
        const args = ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, ...REPEATABLE_V8, ...nodeOptions, measureScript, pathToFileURL(file).href];
        const { stderr } = await execFileAsync('valgrind', args, { env, cwd: tmpdir(), maxBuffer: 1 << 22 });
        counts.push(instructionsFrom(stderr));
      }
      return median(counts);
    };
    // Every reference is counted once, in the environment of the first function that uses it.
    const referenceCounts = new Map<string, number>();
    const measurements: InstructionMeasurement[] = [];
    for (const b of bundles) {
      const reference = references.floorOf(b.spec.id).file;
      if (!referenceCounts.has(reference)) referenceCounts.set(reference, await count(reference, b));
      const fn = await count(b.file, b);
      const ref = referenceCounts.get(reference)!;
      const m = { id: b.spec.id, function: fn, reference: ref, against: references.clientsOf(b.spec.id).length ? ('floor' as const) : ('empty' as const), ratio: fn / ref };
      measurements.push(m);
      log(`${m.id.padEnd(22)} ${m.function.toFixed(0).padStart(5)} M instructions, ÷ ${m.against} ×${m.ratio.toFixed(3)}`);
    }
    const emptyModule = referenceCounts.get(references.emptyFile) ?? (await count(references.emptyFile, bundles[0]!));
    return { runs, emptyModule, measurements };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function instructionsMarkdown(report: InstructionReport): string {
  return [
    `Instructions executed by a fresh Node process that imports the module (valgrind cachegrind, V8 ${REPEATABLE_V8.join(' ')}, median of ${report.runs} run${report.runs === 1 ? '' : 's'}); the empty module: ${report.emptyModule.toFixed(0)} M, most of it Node's own start.`,
    '',
    '| Function | M instructions | floor (empty) M | ÷ floor (÷ empty) |',
    '| --- | ---: | ---: | ---: |',
    ...report.measurements.map((m) => `| ${m.id} | ${m.function.toFixed(0)} | ${m.reference.toFixed(0)}${m.against === 'empty' ? ' (empty)' : ''} | ×${m.ratio.toFixed(3)} |`),
  ].join('\n');
}
