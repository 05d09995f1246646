import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDueGrantStore } from '../lambdas/adapters/dynamo/due-grant-store.js';
import { toGrantItem } from '../lambdas/adapters/dynamo/items.js';
import { type AlertThreshold, nextAlertAt, parseThresholds, type SweepSummary } from '../lambdas/domain/alerts.js';
import type { DomainEvent } from '../lambdas/domain/events.js';
import { type Grant, expiryFor } from '../lambdas/domain/grant.js';
import { DAY_MS, HOUR_MS } from '../lambdas/domain/time.js';
import type { DueGrantStore } from '../lambdas/ports/due-grants.js';
import type { EventPublisher, PublishFailure } from '../lambdas/ports/event-publisher.js';
import type { Log } from '../lambdas/ports/log.js';
import { Sweep } from '../lambdas/usecases/sweep.js';
import { createTable } from '../local/create-table.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';

/**
 * Sweep cost against table size, on DynamoDB Local with the production adapter: the same number
 * of due grants hidden among 10,000 and among 100,000 grants. The read budget (items read per due
 * grant ≤ 1.05) is counted from every DynamoDB answer by a middleware on the client; time is
 * reported, never asserted in a test.
 */

export const THRESHOLDS: readonly AlertThreshold[] = parseThresholds('30d,1d');

/** The bench counts failures in the summary; it prints no log lines of its own. */
const QUIET: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Counts what the sweep reads and writes, from the answers DynamoDB gives. */
export interface DynamoCounters {
  itemsRead: number;
  queries: number;
  scans: number;
  getItems: number;
  updates: number;
}

/** A DynamoDB client pointed at `endpoint` whose every answer is counted into the returned counters. */
export function countingClient(endpoint: string): { client: DynamoDBClient; doc: DynamoDBDocumentClient; counters: DynamoCounters } {
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 5 });
  const counters: DynamoCounters = { itemsRead: 0, queries: 0, scans: 0, getItems: 0, updates: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number; Item?: unknown };
      switch (context.commandName) {
        case 'QueryCommand':
          counters.queries += 1;
          counters.itemsRead += output.ScannedCount ?? 0;
          break;
        case 'ScanCommand':
          counters.scans += 1;
          counters.itemsRead += output.ScannedCount ?? 0;
          break;
        case 'GetItemCommand':
          counters.getItems += 1;
          counters.itemsRead += output.Item ? 1 : 0;
          break;
        case 'UpdateItemCommand':
          counters.updates += 1;
          break;
      }
      return result;
    },
    { step: 'initialize', name: 'countReads' },
  );
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, doc, counters };
}

export const resetCounters = (c: DynamoCounters) => Object.assign(c, { itemsRead: 0, queries: 0, scans: 0, getItems: 0, updates: 0 });

/**
 * `total` grants as the authorization flow leaves them, of which `due` have their 30-day warning
 * (or, every fifth, their 1-day warning after missed runs) due at `now`; the rest expire 31 to
 * 364 days later and sit in the due index with a future `nextAlertAt`.
 */
export function benchmarkGrants(total: number, due: number, now: Date): Grant[] {
  const grants: Grant[] = [];
  const stride = Math.max(1, Math.floor(total / due));
  for (let i = 0; i < total; i++) {
    const isDue = i % stride === 0 && i / stride < due;
    const k = Math.floor(i / stride);
    const remaining = isDue ? (k % 5 === 0 ? 6 * HOUR_MS : (2 + (k % 27)) * DAY_MS) : (31 + (i % 333)) * DAY_MS + (i % 3600) * 1000;
    const expiresAt = new Date(now.getTime() + remaining);
    const generatedAt = new Date(expiresAt.getTime() - 365 * DAY_MS);
    const accountId = `bench-${i.toString(36)}`;
    const sellingPartnerId = `A${i.toString(36).toUpperCase().padStart(12, '0')}`;
    const grant: Grant = {
      accountId,
      grantKey: `EU#${sellingPartnerId}`,
      region: 'EU',
      sellingPartnerId,
      marketplaces: ['UK', 'DE', 'FR', 'IT', 'ES'],
      sellingMarketplaces: ['UK', 'FR', 'IT', 'ES'],
      generatedAt,
      expiresAt: expiryFor(generatedAt),
      secretName: `aob-amazon-connect/bench/grants/${accountId}/EU/${sellingPartnerId}`,
      revokedAt: null,
      alertsSent: [],
      nextAlertAt: null,
      version: 1,
    };
    grants.push({ ...grant, nextAlertAt: nextAlertAt(grant, THRESHOLDS) });
  }
  return grants;
}

/** Writes `grants` with BatchWriteItem, 25 a call, `concurrency` calls at once, retrying unprocessed items. */
export async function loadGrants(doc: DynamoDBDocumentClient, tableName: string, grants: readonly Grant[], concurrency = 16): Promise<void> {
  const batches: Grant[][] = [];
  for (let i = 0; i < grants.length; i += 25) batches.push(grants.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] = batches[next++]!.map((g) => ({
        PutRequest: { Item: toGrantItem(g) as unknown as Record<string, unknown> },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = out.UnprocessedItems?.[tableName] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Wraps a store to measure the wall time spent waiting for index pages (the read side). */
export function timedStore(store: DueGrantStore): { store: DueGrantStore; readMs: () => number } {
  let readMs = 0;
  return {
    readMs: () => Math.round(readMs),
    store: {
      recordAlert: (grant, record) => store.recordAlert(grant, record),
      due: (now, options) => ({
        [Symbol.asyncIterator]() {
          const pages = store.due(now, options)[Symbol.asyncIterator]();
          return {
            async next() {
              const started = performance.now();
              try {
                return await pages.next();
              } finally {
                readMs += performance.now() - started;
              }
            },
          };
        },
      }),
    },
  };
}

/** A bus that accepts everything and counts it. */
export class CountingPublisher implements EventPublisher {
  readonly events: DomainEvent[] = [];
  calls = 0;
  async publish(events: readonly DomainEvent[]): Promise<{ failed: readonly PublishFailure[] }> {
    this.calls += 1;
    this.events.push(...events);
    return { failed: [] };
  }
}

export interface SweepBenchmarkOptions {
  /** Table sizes to measure; the same number of due grants in each. */
  readonly sizes?: readonly number[];
  readonly due?: number;
  readonly pageSize?: number;
  /** Where to write the JSON results; null to skip writing. */
  readonly outFile?: string | null;
  readonly log?: (line: string) => void;
}

export interface SweepMeasurement {
  readonly grants: number;
  readonly due: number;
  readonly loadMs: number;
  readonly sweepMs: number;
  /** Part of sweepMs spent waiting for due-index pages. */
  readonly readMs: number;
  /** The rest: building events, publishing (a counting fake) and the conditional writes. */
  readonly writeMs: number;
  readonly itemsRead: number;
  readonly itemsReadPerDue: number;
  readonly queries: number;
  readonly scans: number;
  readonly updates: number;
  readonly eventsSent: number;
  readonly summary: SweepSummary;
  /** A second run right after: must find nothing to do. */
  readonly rerun: { readonly itemsRead: number; readonly eventsSent: number };
}

export interface SweepBenchmarkResult {
  readonly at: string;
  readonly engine: string;
  readonly pageSize: number;
  readonly measurements: readonly SweepMeasurement[];
  /** Sweep time at the largest size / at the smallest. */
  readonly timeRatio: number;
  /** The same ratio for the index reads alone. */
  readonly readTimeRatio: number;
  readonly maxItemsReadPerDue: number;
  readonly withinBudget: boolean;
}

const DEFAULT_OUT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results', 'sweep.json');

export async function runSweepBenchmark(options: SweepBenchmarkOptions = {}): Promise<SweepBenchmarkResult> {
  const sizes = options.sizes ?? [100_000, 10_000];
  const due = options.due ?? 1_000;
  const pageSize = options.pageSize ?? 100;
  const log = options.log ?? ((line: string) => console.log(line));
  const now = new Date('2026-06-01T00:00:00.000Z');
  const dynamo = await startDynamoDbLocal();
  const measurements: SweepMeasurement[] = [];
  try {
    const { client, doc, counters } = countingClient(dynamo.endpoint);
    // DynamoDB Local runs on the JVM: the first few thousand requests are several times slower
    // than the rest. Warm it up so the first measured size is not penalised.
    const warmup = 'bench-sweep-warmup';
    await createTable(client, warmup);
    await loadGrants(doc, warmup, benchmarkGrants(5_000, Math.min(due, 1_000), now));
    await new Sweep({ store: new DynamoDueGrantStore(doc, warmup), publisher: new CountingPublisher(), clock: { now: () => now }, thresholds: THRESHOLDS, pageSize, log: QUIET }).run();
    await client.send(new DeleteTableCommand({ TableName: warmup }));
    log('sweep bench: DynamoDB Local warmed up');
    for (const [n, size] of sizes.entries()) {
      const tableName = `bench-sweep-${n}`;
      await createTable(client, tableName);
      const grants = benchmarkGrants(size, due, now);
      const dueCount = grants.filter((g) => g.nextAlertAt && g.nextAlertAt.getTime() <= now.getTime()).length;
      const loadStarted = performance.now();
      await loadGrants(doc, tableName, grants);
      const loadMs = Math.round(performance.now() - loadStarted);
      log(`sweep bench: loaded ${size.toLocaleString('en')} grants (${dueCount} due) in ${(loadMs / 1000).toFixed(1)} s`);

      const publisher = new CountingPublisher();
      const timed = timedStore(new DynamoDueGrantStore(doc, tableName));
      const sweep = new Sweep({ store: timed.store, publisher, clock: { now: () => now }, thresholds: THRESHOLDS, pageSize, log: QUIET });
      resetCounters(counters);
      const started = performance.now();
      const summary = await sweep.run();
      const sweepMs = performance.now() - started;
      const readMs = timed.readMs();
      const first = { ...counters };
      resetCounters(counters);
      const again = await sweep.run();
      measurements.push({
        grants: size,
        due: dueCount,
        loadMs,
        sweepMs: Math.round(sweepMs),
        readMs,
        writeMs: Math.round(sweepMs - readMs),
        itemsRead: first.itemsRead,
        itemsReadPerDue: first.itemsRead / dueCount,
        queries: first.queries,
        scans: first.scans,
        updates: first.updates,
        eventsSent: publisher.events.length,
        summary,
        rerun: { itemsRead: counters.itemsRead, eventsSent: again.eventsSent },
      });
      log(
        `sweep bench: ${size.toLocaleString('en')} grants: ${first.itemsRead} items read for ${dueCount} due (${(first.itemsRead / dueCount).toFixed(3)} per due), ` +
          `${first.queries} queries, ${first.scans} scans, ${first.updates} writes, ${publisher.events.length} events, ${Math.round(sweepMs)} ms (index reads ${readMs} ms, writes ${Math.round(sweepMs - readMs)} ms); rerun read ${counters.itemsRead}, sent ${again.eventsSent}`,
      );
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    }
    client.destroy();
  } finally {
    await dynamo.stop();
  }
  const bySize = [...measurements].sort((a, b) => a.grants - b.grants);
  const timeRatio = bySize.at(-1)!.sweepMs / Math.max(1, bySize[0]!.sweepMs);
  const readTimeRatio = bySize.at(-1)!.readMs / Math.max(1, bySize[0]!.readMs);
  const maxItemsReadPerDue = Math.max(...measurements.map((m) => m.itemsReadPerDue));
  const result: SweepBenchmarkResult = {
    at: new Date().toISOString(),
    engine: 'DynamoDB Local (in memory)',
    pageSize,
    measurements,
    timeRatio: Number(timeRatio.toFixed(2)),
    readTimeRatio: Number(readTimeRatio.toFixed(2)),
    maxItemsReadPerDue,
    withinBudget: maxItemsReadPerDue <= 1.05 && measurements.every((m) => m.scans === 0 && m.rerun.eventsSent === 0),
  };
  log(
    `sweep bench: items read per due grant ≤ ${maxItemsReadPerDue.toFixed(3)} (budget 1.05); sweep time ${bySize.at(-1)!.grants.toLocaleString('en')} vs ${bySize[0]!.grants.toLocaleString('en')} grants: ×${result.timeRatio} (target ≤ 2; index reads alone ×${result.readTimeRatio})`,
  );
  const outFile = options.outFile === undefined ? DEFAULT_OUT : options.outFile;
  if (outFile) {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
    log(`sweep bench: results written to ${outFile}`);
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runSweepBenchmark()
    .then((r) => {
      process.exitCode = r.withinBudget ? 0 : 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
