import type { ColdStartReport } from './cold-start.js';

/**
 * What 1,000 connected AoB accounts cost per month, from list prices and stated usage
 * assumptions, with Lambda's init time taken from the cold-start bench when it ran. Every input is
 * a named constant below: change one and rerun `npm run bench -- --only=cold`.
 */

/** AWS list prices used (USD, us-east-1 on-demand; eu-west-1 is within a few percent). Check the pricing pages before quoting. */
export const PRICES = {
  secretPerMonth: 0.4,
  secretsApiPer10k: 0.05,
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaRequestsPerMillion: 0.2,
  httpApiPerMillion: 1.0,
  eventBridgePerMillion: 1.0,
  kmsKeyPerMonth: 1.0,
  kmsRequestsPer10k: 0.03,
} as const;

/** Usage per connected account per month, and the shape of the service. */
export const ASSUMPTIONS = {
  accounts: 1_000,
  /** Grants (one refresh-token secret each) per account: one per region it sells in. */
  grantsPerAccount: 1.2,
  /** Venue Settings page loads (ListVenues) per account per month. */
  venueListsPerAccount: 30,
  /** GetVenue, SetVenueActive per account per month. */
  venueReadsPerAccount: 5,
  venueWritesPerAccount: 2,
  /** Every grant is authorized once a year (Amazon's 365-day limit): start, ticket, login hop, callback. */
  authorizationRequestsPerGrantPerYear: 4,
  /** Events per grant per year: granted, two expiry warnings, expired or renewed. */
  eventsPerGrantPerYear: 4,
  /** Share of requests that land on a new execution environment (sparse traffic: high). */
  coldStartShare: 0.3,
  /** Warm handler duration, ms (DynamoDB answers in single-digit ms; the callback calls Amazon). */
  warmMs: 40,
  callbackWarmMs: 900,
  memoryGb: 0.25,
  /** Lambda gives 1 vCPU at 1,769 MB: at 256 MB an init's CPU time takes ~6.9× as long. */
  cpuShare: 256 / 1769,
  /** Local import CPU time, ms, when the bench did not run (its median over the functions). */
  defaultInitCpuMs: 55,
  sweepRunsPerMonth: 730,
  sweepSeconds: 1,
  sweepMemoryGb: 0.5,
  /** Customer-managed keys per stage: the data key and the on-call topic's key. */
  kmsKeys: 2,
  /** DynamoDB items per account (venue settings, grants) and their size. */
  bytesPerAccount: 4_096,
} as const;

export interface CostLine {
  readonly item: string;
  readonly usage: string;
  readonly usd: number;
}

export interface CostModel {
  readonly initCpuMs: number;
  readonly initSource: string;
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
}

export function costModel(coldStart?: ColdStartReport): CostModel {
  const a = ASSUMPTIONS;
  const p = PRICES;
  const cpu = coldStart?.measurements.map((m) => m.cpuMs.function.median).sort((x, y) => x - y);
  const initCpuMs = cpu?.length ? cpu[Math.floor(cpu.length / 2)]! : a.defaultInitCpuMs;
  const initSource = cpu?.length ? `median import CPU of the ${cpu.length} functions in this bench run` : 'default (the bench did not run)';
  const initSeconds = initCpuMs / 1000 / a.cpuShare;

  const grants = a.accounts * a.grantsPerAccount;
  const authRequests = (grants * a.authorizationRequestsPerGrantPerYear) / 12;
  const callbacks = grants / 12;
  const reads = a.accounts * (a.venueListsPerAccount + a.venueReadsPerAccount);
  const writes = a.accounts * a.venueWritesPerAccount;
  const requests = reads + writes + authRequests;
  const gbSeconds = (requests - callbacks) * (a.warmMs / 1000) * a.memoryGb + callbacks * (a.callbackWarmMs / 1000) * a.memoryGb;
  const initGbSeconds = requests * a.coldStartShare * initSeconds * a.memoryGb;
  const sweepGbSeconds = a.sweepRunsPerMonth * a.sweepSeconds * a.sweepMemoryGb;
  // Reads: one Query per venue read (≤ 4 KB, 1 RRU); writes: 1 WRU per venue write, ~6 per authorization (ticket, state, consume, transaction of grant + venues).
  const rru = reads + writes + authRequests * 2;
  // Plus the sweep's record of each warning or expiry it sent (3 per grant per year).
  const wru = writes + callbacks * 6 + (grants * 3) / 12;
  const events = (grants * a.eventsPerGrantPerYear) / 12;
  // Secrets Manager calls: a write per callback, an app-secret read per cold container of the two flows.
  const secretCalls = callbacks * 2 + authRequests * a.coldStartShare;

  const lines: CostLine[] = [
    { item: 'Secrets Manager: one secret per grant', usage: `${grants.toLocaleString('en')} grant secrets + the app secret`, usd: (grants + 1) * p.secretPerMonth },
    { item: 'Secrets Manager API calls', usage: `${Math.round(secretCalls).toLocaleString('en')} calls`, usd: (secretCalls / 10_000) * p.secretsApiPer10k },
    { item: 'DynamoDB on-demand reads', usage: `${Math.round(rru).toLocaleString('en')} RRU`, usd: (rru / 1e6) * p.dynamoReadPerMillion },
    { item: 'DynamoDB on-demand writes', usage: `${Math.round(wru).toLocaleString('en')} WRU`, usd: (wru / 1e6) * p.dynamoWritePerMillion },
    { item: 'DynamoDB storage', usage: `${((a.accounts * a.bytesPerAccount) / 1e6).toFixed(1)} MB`, usd: ((a.accounts * a.bytesPerAccount) / 1e9) * p.dynamoStoragePerGbMonth },
    { item: 'Lambda requests', usage: `${Math.round(requests + a.sweepRunsPerMonth).toLocaleString('en')} invocations`, usd: ((requests + a.sweepRunsPerMonth) / 1e6) * p.lambdaRequestsPerMillion },
    { item: 'Lambda duration, ARM64 (warm)', usage: `${Math.round(gbSeconds + sweepGbSeconds).toLocaleString('en')} GB-s`, usd: (gbSeconds + sweepGbSeconds) * p.lambdaArmPerGbSecond },
    {
      item: 'Lambda init (cold starts, billed)',
      usage: `${Math.round(requests * a.coldStartShare).toLocaleString('en')} inits × ${initSeconds.toFixed(2)} s = ${Math.round(initGbSeconds).toLocaleString('en')} GB-s`,
      usd: initGbSeconds * p.lambdaArmPerGbSecond,
    },
    { item: 'API Gateway HTTP API', usage: `${Math.round(requests).toLocaleString('en')} requests`, usd: (requests / 1e6) * p.httpApiPerMillion },
    { item: 'EventBridge custom events', usage: `${Math.round(events).toLocaleString('en')} events`, usd: (events / 1e6) * p.eventBridgePerMillion },
    { item: 'KMS: customer-managed keys (per stage, not per account)', usage: `${a.kmsKeys} keys`, usd: a.kmsKeys * p.kmsKeyPerMonth },
    { item: 'KMS requests (secret writes, app-secret reads)', usage: `${Math.round(secretCalls).toLocaleString('en')} requests`, usd: (secretCalls / 10_000) * p.kmsRequestsPer10k },
  ];
  return { initCpuMs, initSource, lines, totalUsd: lines.reduce((sum, l) => sum + l.usd, 0) };
}

export function costMarkdown(model: CostModel): string {
  const a = ASSUMPTIONS;
  const usd = (v: number) => (v >= 1 ? `$${v.toFixed(2)}` : `$${v.toFixed(4)}`);
  return [
    `Per ${a.accounts.toLocaleString('en')} connected accounts per month. Assumptions: ${a.grantsPerAccount} grants (regions) per account; ${a.venueListsPerAccount} venue-list page loads, ${a.venueReadsPerAccount} venue reads and ${a.venueWritesPerAccount} Active toggles per account; every grant re-authorized once a year (${a.authorizationRequestsPerGrantPerYear} requests); ${a.eventsPerGrantPerYear} events per grant per year; ${a.coldStartShare * 100}% of requests cold; ${a.memoryGb * 1024} MB ARM64 functions, ${a.warmMs} ms warm (callback ${a.callbackWarmMs} ms); init time = local import CPU ${model.initCpuMs.toFixed(0)} ms (${model.initSource}) ÷ the ${(a.cpuShare * 100).toFixed(1)}% vCPU share of ${a.memoryGb * 1024} MB; hourly sweep of ${a.sweepSeconds} s at ${a.sweepMemoryGb * 1024} MB; list prices, us-east-1 (bench/cost.ts).`,
    '',
    '| item | usage | USD / month |',
    '| --- | --- | ---: |',
    ...model.lines.map((l) => `| ${l.item} | ${l.usage} | ${usd(l.usd)} |`),
    `| **total** | | **${usd(model.totalUsd)}** |`,
  ].join('\n');
}
