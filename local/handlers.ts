import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FUNCTIONS, type FunctionSpec } from '../lambdas/functions.js';
import { clock } from '../lambdas/shared/clock.js';
import { type LambdaHandler, lambdaContext } from './api-gateway.js';
import { SERVICE_NAME } from '../lib/names.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, LOCAL_STAGE } from './stage.js';

/**
 * The manifest's handler modules on the local stack: imported once, like Lambda's init phase,
 * and invoked as their triggers would invoke them (the schedules, an operator's Invoke).
 */

export interface HandlerModules {
  /** The function's handler once its module is imported; rejects with the import error. */
  handlerFor(spec: FunctionSpec): Promise<LambdaHandler>;
  /** One line per module that did not load: the function, its entry and the error's first line. */
  readonly missing: readonly string[];
  /** Epoch ms the imports started at. */
  readonly importStartedAt: number;
}

/** Lambda's timeout when the manifest names none (lib/constructs/service-function.ts, FUNCTION_DEFAULTS). */
const DEFAULT_TIMEOUT_SECONDS = 10;
/** The sweep's and the health check's timeout (their manifest entries say 300 s). */
const SCHEDULED_TIMEOUT_MS = 300_000;

/**
 * Imports every handler module of the manifest, one after the other: the modules share most of
 * their imports, so the first pays for the rest, and jest's ESM loader fails concurrent imports
 * of a shared dependency. A module that fails is reported, not thrown: its route answers 500.
 */
export async function importHandlerModules(repositoryRoot: string): Promise<HandlerModules> {
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const missing: string[] = [];
  const importStartedAt = Date.now();
  for (const spec of FUNCTIONS) {
    const loading = import(pathToFileURL(join(repositoryRoot, spec.entry)).href).then((module: { handler?: unknown }) => {
      if (typeof module.handler !== 'function') throw new Error(`${spec.entry} does not export a handler function`);
      return module.handler as LambdaHandler;
    });
    loading.catch((error: unknown) => missing.push(`${spec.id} (${spec.entry}): ${(error as Error).message.split('\n')[0]}`));
    handlers.set(spec.id, loading);
    await loading.catch(() => undefined);
  }
  return {
    handlerFor: (spec) => handlers.get(spec.id) ?? Promise.reject(new Error(`unknown function ${spec.id}`)),
    missing,
    importStartedAt,
  };
}

export interface LocalInvokers {
  /** Runs the expiry sweep now, as the hourly schedule would, and returns its summary. */
  runSweep(): Promise<unknown>;
  /** Runs the token health check now, as its schedule would; one venue's grant when named (as ops would). */
  runHealthCheck(only?: { accountId: string; marketplace: string }): Promise<unknown>;
  /** Invokes a function that has no route (trigger `direct`), as `aws lambda invoke` would. */
  invoke(id: string, payload?: unknown): Promise<unknown>;
}

export function localInvokers(modules: HandlerModules): LocalInvokers {
  const run = async (spec: FunctionSpec, event: unknown, requestId: string, timeoutMs: number) =>
    (await modules.handlerFor(spec))(event, lambdaContext(spec, LOCAL_REGION, requestId, timeoutMs));
  const sweep = functionById('Sweep');
  const healthCheck = functionById('HealthCheck');
  return {
    async runSweep() {
      const id = randomUUID();
      const time = clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const resources = [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/${SERVICE_NAME}-${LOCAL_STAGE}-sweep`];
      return run(sweep, scheduledEvent({ id, time, resources, detail: {} }), id, SCHEDULED_TIMEOUT_MS);
    },
    async runHealthCheck(only) {
      const id = randomUUID();
      return run(healthCheck, scheduledEvent({ id, time: clock.now().toISOString(), resources: [], detail: only ?? {} }), id, SCHEDULED_TIMEOUT_MS);
    },
    async invoke(id, payload = {}) {
      const spec = DIRECT_FUNCTIONS.find((f) => f.id === id);
      if (!spec) throw new Error(`No directly invoked function ${id}`);
      return run(spec, payload, randomUUID(), timeoutMsOf(spec));
    },
  };
}

/** The functions an operator invokes (trigger `direct`), e.g. RotateClientSecret. */
export const DIRECT_FUNCTIONS: readonly FunctionSpec[] = (FUNCTIONS as readonly FunctionSpec[]).filter((f) => f.trigger?.kind === 'direct');

export function timeoutMsOf(spec: FunctionSpec): number {
  return (spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
}

function functionById(id: string): FunctionSpec {
  const spec = (FUNCTIONS as readonly FunctionSpec[]).find((f) => f.id === id);
  if (!spec) throw new Error(`The function manifest has no ${id}`);
  return spec;
}

/** An EventBridge scheduled event, as a schedule rule delivers it. */
function scheduledEvent(event: { id: string; time: string; resources: string[]; detail: unknown }) {
  return {
    version: '0',
    id: event.id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: event.time,
    region: LOCAL_REGION,
    resources: event.resources,
    detail: event.detail,
  };
}
