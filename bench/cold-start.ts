import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { ESM_REQUIRE_BANNER, UNREACHABLE_CREDENTIAL_PROVIDERS } from '../lib/constructs/service-function.js';
import type { LambdaBundle } from './bundles.js';

/**
 * Cold import of every function as built for Lambda (the synthesized `index.mjs`), each in a fresh
 * Node process with its deployed environment, paired in every round with
 * - an empty module (what Node itself costs), and
 * - its SDK floor: a bundle, built with the same esbuild options, that only constructs the AWS SDK
 *   clients the function's own bundle contains: the least any function using them can cost.
 * Measured per process: CPU time (user + system) and wall time from process start until the
 * module has been imported, as Lambda's init does. Ratios are taken within a round, so a busy
 * machine slows both sides of a pair; medians and the interquartile range over the rounds are
 * reported. Times are reported, never asserted.
 *
 * The target's verdict is the median ratio against the line, and it is decided only when the
 * median's confidence interval (distribution-free, from the order statistics) lies on one side of
 * the line. A function whose interval still straddles it after the first `rounds` gets more
 * rounds, `rounds` at a time, up to `maxRounds`: on a noisy host one run of 10 or 20 rounds cannot
 * tell ×1.08 from ×1.11, and the report says which verdicts stayed undecided. Each look at the
 * data uses a 1 − 0.05 / looks interval (Bonferroni), so that looking again after every batch
 * still decides wrongly less than 5% of the time, however many batches it takes.
 */

const execFileAsync = promisify(execFile);
const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The esbuild options `ServiceFunction` gives CDK's NodejsFunction (lib/constructs/service-function.ts). */
const LAMBDA_ESBUILD: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  external: [...UNREACHABLE_CREDENTIAL_PROVIDERS],
  banner: { js: ESM_REQUIRE_BANNER },
  logLevel: 'silent',
};

/** What the Lambda runtime adds to a function's own environment (credentials are fake: nothing is called). */
const LAMBDA_RUNTIME_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH00',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key-not-a-real-one',
  AWS_SESSION_TOKEN: 'bench-session-token',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_LOG_FORMAT: 'JSON',
  TZ: ':UTC',
  // The bench runs on the developer's Node; Lambda's Node 24 gets no such warning.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Prints the cumulative CPU and the wall time since process start, once the module is imported. */
const MEASURE_SCRIPT = `const url = process.argv[2];
await import(url);
const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() }));
`;

export interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
}

export interface Spread {
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
}

export interface ColdStartMeasurement {
  readonly id: string;
  readonly bytes: number;
  /** The SDK clients in the function's bundle, which its floor constructs. */
  readonly clients: readonly string[];
  readonly floorBytes: number;
  readonly rounds: number;
  readonly cpuMs: { readonly empty: Spread; readonly floor: Spread; readonly function: Spread; readonly withSourceMaps: Spread };
  readonly wallMs: { readonly empty: Spread; readonly floor: Spread; readonly function: Spread; readonly withSourceMaps: Spread };
  /** Per-round CPU ratios. */
  readonly vsFloor: Spread;
  readonly vsEmpty: Spread;
  /** The function with `--enable-source-maps` against the function without, per round. */
  readonly sourceMapsCost: Spread;
  readonly wallVsFloor: Spread;
  /**
   * The function's fastest import CPU over its floor's fastest (its empty module's, without an
   * SDK). Interference from other work on the host only ever adds time, so the fastest of the
   * fresh processes is the closest to what the code itself costs; reported beside the per-round
   * median, which stays the target's measure.
   */
  readonly fastestVsReference: number;
  /** ≤ 1.1× its floor (functions with SDK clients), or ≤ 1.3× an empty module (no SDK). */
  readonly target: { readonly against: 'floor' | 'empty'; readonly max: number };
  /** The median of the target's ratio is at most its line. */
  readonly withinTarget: boolean;
  /** The confidence interval of that median (`medianInterval`, at the report's `confidence`). */
  readonly targetInterval: Interval;
  /** The interval lies on one side of the line, so more rounds would not change the verdict. */
  readonly decided: boolean;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

export interface ColdStartReport {
  readonly node: string;
  readonly platform: string;
  /** Rounds every function ran; an undecided one ran more (its own `rounds`), up to `maxRounds`. */
  readonly rounds: number;
  readonly maxRounds: number;
  /** Of each look's interval: 1 − 0.05 / looks, with looks = ⌈maxRounds ÷ rounds⌉. */
  readonly confidence: number;
  readonly measurements: readonly ColdStartMeasurement[];
}

export const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
};

export const spread = (values: readonly number[]): Spread => ({ median: quantile(values, 0.5), p25: quantile(values, 0.25), p75: quantile(values, 0.75) });

/**
 * A confidence interval for the median that assumes nothing about the distribution: the order
 * statistics x(k) and x(n+1−k), with k the largest rank for which P(B < k) ≤ (1 − confidence) / 2,
 * B ~ Binomial(n, ½) (the number of values below the true median). Covers at least `confidence`;
 * below 6 values (where no rank qualifies at 95%) it is the whole range.
 */
export function medianInterval(values: readonly number[], confidence = 0.95): Interval {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN };
  const tail = (1 - confidence) / 2;
  let k = 1;
  let probability = 0.5 ** n; // P(B = 0)
  let cumulative = probability;
  for (let j = 1; cumulative <= tail && j < n; j++) {
    k = j; // P(B ≤ j − 1) ≤ tail
    probability = (probability * (n - j + 1)) / j;
    cumulative += probability;
  }
  return { low: sorted[k - 1]!, high: sorted[n - k]! };
}

/** Whether the median of `ratios` is at most `max`, and whether its interval settles that. */
export function verdict(ratios: readonly number[], max: number, confidence = 0.95): { withinTarget: boolean; targetInterval: Interval; decided: boolean } {
  const targetInterval = medianInterval(ratios, confidence);
  return { withinTarget: quantile(ratios, 0.5) <= max, targetInterval, decided: targetInterval.high <= max || targetInterval.low > max };
}

function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The AWS SDK client packages a function's bundle contains, from esbuild's metafile of its entry. */
async function sdkClientsOf(entry: string): Promise<string[]> {
  const result = await build({ ...LAMBDA_ESBUILD, entryPoints: [join(REPOSITORY_ROOT, entry)], write: false, metafile: true, outdir: join(tmpdir(), 'aob-bench-meta') });
  const packages = new Set(Object.keys(result.metafile.inputs).flatMap((p) => /node_modules\/(@aws-sdk\/(?:client-[^/]+|lib-dynamodb))\//.exec(p)?.[1] ?? []));
  return [...packages].sort();
}

/** Source of a module that only constructs the given SDK clients (the DynamoDB one wrapped like the adapters do). */
export async function floorSource(clients: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const [i, pkg] of clients.filter((c) => c.startsWith('@aws-sdk/client-')).entries()) {
    const exports = Object.keys((await import(pkg)) as object);
    const clientClass = exports.find((name) => /^[A-Z]\w*Client$/.test(name));
    if (!clientClass) throw new Error(`${pkg} exports no client class`);
    lines.push(`import { ${clientClass} as C${i} } from '${pkg}';`);
    if (pkg === '@aws-sdk/client-dynamodb' && clients.includes('@aws-sdk/lib-dynamodb')) {
      lines.push(`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`, `export const c${i} = DynamoDBDocumentClient.from(new C${i}({}));`);
    } else {
      lines.push(`export const c${i} = new C${i}({});`);
    }
  }
  lines.push('export const handler = async () => ({});');
  return lines.join('\n');
}

async function runOnce(file: string, env: Record<string, string>, nodeOptions: readonly string[], measureScript: string): Promise<Sample> {
  const { stdout } = await execFileAsync(process.execPath, [...nodeOptions, measureScript, pathToFileURL(file).href], { env, cwd: tmpdir(), maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Sample;
}

export interface ColdStartOptions {
  /** At least 10. */
  readonly rounds?: number;
  /** Rounds an undecided function may run in all (at least `rounds`); 5 × `rounds` unless given. */
  readonly maxRounds?: number;
  readonly log?: (line: string) => void;
}

/** The modules each function is compared with: an empty one, and one floor per set of SDK clients. */
export interface References {
  readonly emptyFile: string;
  /** The SDK clients in a function's bundle, which its floor constructs. */
  clientsOf(id: string): string[];
  /** Its floor (the empty module, for a function without SDK clients). */
  floorOf(id: string): { readonly file: string; readonly bytes: number };
}

/** Builds the empty module and the floors into `work`, with the same esbuild options as the functions. */
export async function buildReferences(bundles: readonly LambdaBundle[], work: string): Promise<References> {
  const emptyFile = join(work, 'empty', 'index.mjs');
  mkdirSync(join(work, 'empty'));
  writeFileSync(emptyFile, 'export const handler = async () => ({});\n');
  const floors = new Map<string, { file: string; bytes: number }>();
  const clientsOf = new Map<string, string[]>();
  for (const b of bundles) {
    const clients = await sdkClientsOf(b.spec.entry);
    clientsOf.set(b.spec.id, clients);
    const key = clients.join('+') || 'none';
    if (floors.has(key)) continue;
    if (clients.length === 0) {
      floors.set(key, { file: emptyFile, bytes: 0 });
      continue;
    }
    const dir = join(work, `floor-${floors.size}`);
    mkdirSync(dir);
    const result = await build({ ...LAMBDA_ESBUILD, stdin: { contents: await floorSource(clients), resolveDir: REPOSITORY_ROOT, loader: 'js' }, outfile: join(dir, 'index.mjs'), write: true, metafile: true });
    floors.set(key, { file: join(dir, 'index.mjs'), bytes: Object.values(result.metafile.outputs)[0]!.bytes });
  }
  return {
    emptyFile,
    clientsOf: (id) => clientsOf.get(id)!,
    floorOf: (id) => floors.get(clientsOf.get(id)!.join('+') || 'none')!,
  };
}

/** A function's process as Lambda starts it: its deployed environment, what the runtime adds, and its NODE_OPTIONS. */
export function lambdaProcess(b: LambdaBundle): { env: Record<string, string>; nodeOptions: string[] } {
  const env = { ...LAMBDA_RUNTIME_ENV, AWS_LAMBDA_FUNCTION_NAME: `bench-${b.spec.id}`, LAMBDA_TASK_ROOT: b.dir, ...b.environment };
  return { env, nodeOptions: (b.environment.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean) };
}

/** The script a measured process runs: imports the module, prints its CPU and wall time. */
export function writeMeasureScript(work: string): string {
  const file = join(work, 'measure.mjs');
  writeFileSync(file, MEASURE_SCRIPT);
  return file;
}

export async function measureColdStarts(bundles: readonly LambdaBundle[], options: ColdStartOptions = {}): Promise<ColdStartReport> {
  const rounds = Math.max(10, options.rounds ?? 10);
  const maxRounds = Math.max(rounds, options.maxRounds ?? 5 * rounds);
  const confidence = 1 - 0.05 / Math.ceil(maxRounds / rounds);
  const log = options.log ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), 'aob-bench-cold-'));
  try {
    const measureScript = writeMeasureScript(work);
    const references = await buildReferences(bundles, work);
    const { emptyFile } = references;

    type Kind = 'empty' | 'floor' | 'function' | 'withSourceMaps';
    const samples = new Map<string, Record<Kind, Sample[]>>(bundles.map((b) => [b.spec.id, { empty: [], floor: [], function: [], withSourceMaps: [] }]));
    /** One round of `some`: each function and its references, in a random order, one after another. */
    const round = async (some: readonly LambdaBundle[]) => {
      for (const b of shuffle(some)) {
        const { env, nodeOptions } = lambdaProcess(b);
        const floor = references.floorOf(b.spec.id);
        const runs: Record<Kind, () => Promise<Sample>> = {
          empty: () => runOnce(emptyFile, env, nodeOptions, measureScript),
          floor: () => runOnce(floor.file, env, nodeOptions, measureScript),
          function: () => runOnce(b.file, env, nodeOptions, measureScript),
          withSourceMaps: () => runOnce(b.file, env, [...nodeOptions.filter((o) => o !== '--enable-source-maps'), '--enable-source-maps'], measureScript),
        };
        const mine = samples.get(b.spec.id)!;
        for (const kind of shuffle(Object.keys(runs) as Kind[])) mine[kind].push(await runs[kind]());
      }
    };
    const ratio = (a: Sample[], z: Sample[], key: keyof Sample) => a.map((x, i) => x[key] / z[i]![key]);
    const targetOf = (id: string) => (references.clientsOf(id).length ? { against: 'floor' as const, max: 1.1 } : { against: 'empty' as const, max: 1.3 });
    const verdictOf = (id: string) => {
      const s = samples.get(id)!;
      const target = targetOf(id);
      return verdict(ratio(s.function, target.against === 'floor' ? s.floor : s.empty, 'cpuMs'), target.max, confidence);
    };

    for (let r = 1; r <= rounds; r++) {
      const started = Date.now();
      await round(bundles);
      log(`round ${r}/${rounds}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    for (let done = rounds; done < maxRounds; ) {
      const undecided = bundles.filter((b) => !verdictOf(b.spec.id).decided);
      if (undecided.length === 0) break;
      const more = Math.min(rounds, maxRounds - done);
      log(`undecided after ${done} rounds (the median's interval straddles the line): ${undecided.map((b) => b.spec.id).join(', ')}; ${more} more`);
      for (let r = 0; r < more; r++) await round(undecided);
      done += more;
    }

    const measurements = bundles.map((b): ColdStartMeasurement => {
      const s = samples.get(b.spec.id)!;
      const clients = references.clientsOf(b.spec.id);
      const floor = references.floorOf(b.spec.id);
      const pick = (key: keyof Sample) => ({
        empty: spread(s.empty.map((x) => x[key])),
        floor: spread(s.floor.map((x) => x[key])),
        function: spread(s.function.map((x) => x[key])),
        withSourceMaps: spread(s.withSourceMaps.map((x) => x[key])),
      });
      return {
        id: b.spec.id,
        bytes: b.bytes,
        clients,
        floorBytes: floor.bytes,
        rounds: s.function.length,
        cpuMs: pick('cpuMs'),
        wallMs: pick('wallMs'),
        vsFloor: spread(ratio(s.function, s.floor, 'cpuMs')),
        vsEmpty: spread(ratio(s.function, s.empty, 'cpuMs')),
        sourceMapsCost: spread(ratio(s.withSourceMaps, s.function, 'cpuMs')),
        wallVsFloor: spread(ratio(s.function, s.floor, 'wallMs')),
        fastestVsReference: fastest(s.function) / fastest(clients.length ? s.floor : s.empty),
        target: targetOf(b.spec.id),
        ...verdictOf(b.spec.id),
      };
    });
    return { node: process.version, platform: `${process.platform}-${process.arch}`, rounds, maxRounds, confidence, measurements };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const fastest = (samples: readonly Sample[]) => Math.min(...samples.map((x) => x.cpuMs));

/**
 * How much the floors' import CPU moved from round to round (p75 ÷ p25, the largest over the
 * functions): the closer to 1, the quieter the machine. Printed with the table, so a reader can tell a noisy
 * run from a slow function.
 */
export function floorNoise(report: ColdStartReport): number {
  return Math.max(...report.measurements.map((m) => (m.clients.length ? m.cpuMs.floor : m.cpuMs.empty)).map((f) => f.p75 / f.p25));
}

const x = (s: Spread) => `×${s.median.toFixed(2)} (${s.p25.toFixed(2)}–${s.p75.toFixed(2)})`;
const ms = (s: Spread) => `${s.median.toFixed(0)}`;
const short = (pkg: string) => pkg.replace('@aws-sdk/client-', '').replace('@aws-sdk/lib-dynamodb', 'doc');

/** The report as a Markdown table (also what the console shows). */
export function coldStartMarkdown(report: ColdStartReport): string {
  const head = [
    `Cold import, ${report.rounds} rounds (up to ${report.maxRounds} for a function whose verdict was undecided), Node ${report.node} ${report.platform}; CPU ms (user + system) from process start until the module is imported, medians; ratios are per round, median (p25–p75); the target is met when the median ratio is on or under its line, and decided when the median's ${(report.confidence * 100).toFixed(1)}% confidence interval (shown; 95% over every look at the data) lies on one side of it; "fastest" is the fastest function run over the fastest floor run (empty module without an SDK). Floor CPU moved by up to ×${floorNoise(report).toFixed(2)} (p75 ÷ p25) between rounds (the closer to 1, the quieter the machine).`,
    '',
    '| Function | KiB | SDK clients (floor KiB) | CPU empty / floor / function ms | ÷ floor | ÷ empty | target (median\'s interval) | rounds | fastest ÷ fastest | wall ÷ floor | + source maps |',
    '| --- | ---: | --- | --- | --- | --- | --- | ---: | ---: | --- | --- |',
  ];
  const rows = report.measurements.map((m) => {
    const clients = m.clients.length ? `${m.clients.map(short).join(', ')} (${(m.floorBytes / 1024).toFixed(0)})` : 'none';
    const line = `${m.target.against === 'floor' ? '≤ ×1.1 floor' : '≤ ×1.3 empty'} ${m.withinTarget ? 'met' : '**missed**'}${m.decided ? '' : ', undecided'}`;
    const target = `${line} (${m.targetInterval.low.toFixed(2)}–${m.targetInterval.high.toFixed(2)})`;
    return `| ${m.id} | ${(m.bytes / 1024).toFixed(1)} | ${clients} | ${ms(m.cpuMs.empty)} / ${ms(m.cpuMs.floor)} / ${ms(m.cpuMs.function)} | ${x(m.vsFloor)} | ${x(m.vsEmpty)} | ${target} | ${m.rounds} | ×${m.fastestVsReference.toFixed(2)} | ${x(m.wallVsFloor)} | ${x(m.sourceMapsCost)} |`;
  });
  return [...head, ...rows].join('\n');
}
