import autocannon from 'autocannon';
import { FUNCTIONS, type FunctionSpec } from '../lambdas/functions.js';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import { BrowserLike } from '../test/integration/browser-like.js';

/**
 * A bounded load run on the local stack, on loopback: the same handler modules as Lambda behind
 * the local API Gateway, DynamoDB Local, the AWS stand-ins and the Amazon sandbox, all in this
 * one process (so req/s say what one Node process serves, not what Lambda scales to). Three
 * routes in one run: the cheapest route (public, touches nothing), the venues list (JWT, one
 * DynamoDB query) and the OAuth callback, each request with its own fresh state, code and binding
 * cookie prepared beforehand through the real flow. Checked: 0 errors, 0 timeouts, 0 5xx, every
 * callback a redirect to the completion page, and the store consistent afterwards: each handle
 * completed by its own account gives one grant, one secret and one Granted event; a replayed
 * callback or a handle used twice writes nothing; the venues list is unchanged by its own load.
 */

export interface RouteLoad {
  readonly name: string;
  readonly route: string;
  readonly connections: number;
  /** Duration in seconds, or the request count for the callback (each request consumes a state). */
  readonly bound: string;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  readonly statuses: { readonly '2xx': number; readonly '3xx': number; readonly '4xx': number; readonly '5xx': number };
  readonly errors: number;
  readonly timeouts: number;
}

export interface LoadReport {
  readonly routes: readonly RouteLoad[];
  readonly consistency: readonly string[];
  readonly failures: readonly string[];
}

export interface LoadOptions {
  readonly quick?: boolean;
  readonly log?: (line: string) => void;
}

const MARKETPLACE = 'UK';

async function cannon(name: string, route: string, options: autocannon.Options): Promise<RouteLoad> {
  const result = await autocannon(options);
  return {
    name,
    route,
    connections: options.connections ?? 10,
    bound: options.amount ? `${options.amount} requests` : `${options.duration} s`,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    statuses: { '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function post(stack: LocalStack, path: string, token: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The frontend completion page's call: POST the handle of the callback's redirect with the seller's JWT; its `amazonAuthorization`. */
async function complete(stack: LocalStack, token: string, location: string): Promise<string> {
  const handle = new URLSearchParams(new URL(location || '/', stack.url).hash.slice(1)).get('completion');
  if (!handle) return 'no completion handle';
  const response = await fetch(`${stack.url}/v1/amazon/authorization-completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ completion: handle }) });
  if (response.status >= 500) return `${response.status}`;
  return String(((await response.json()) as { amazonAuthorization?: string }).amazonAuthorization ?? response.status);
}

interface Venue {
  readonly marketplace: string;
  readonly token: { readonly status: string };
}

async function venues(stack: LocalStack, token: string): Promise<Venue[]> {
  const response = await fetch(`${stack.url}/v1/amazon/venues`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { venues: Venue[] }).venues;
}

/**
 * One seller's browser taken through the real flow (start, ticket, consent, Log-in URI hop) up to
 * the moment it would open the callback: the callback URL and the cookie it would send.
 */
async function preparedCallback(stack: LocalStack, token: string): Promise<{ path: string; cookie: string }> {
  const { authorizationUrl } = (await post(stack, `/v1/amazon/venues/${MARKETPLACE}/authorizations`, token, {})) as { authorizationUrl: string };
  const browser = new BrowserLike({ stopBefore: (url) => url.origin === stack.url && url.pathname === '/v1/amazon/callback' });
  const consent = await browser.goto(authorizationUrl);
  const stopped = await browser.submit(consent, { button: 'Confirm', check: ['consent'] });
  if (stopped.status !== 0) throw new Error(`the flow did not reach the callback (ended on ${new URL(stopped.url).pathname}, status ${stopped.status})`);
  const url = new URL(stopped.url);
  return { path: `${url.pathname}${url.search}`, cookie: browser.cookieHeader(stopped.url) };
}

export async function runLoad(options: LoadOptions = {}): Promise<LoadReport> {
  const log = options.log ?? (() => undefined);
  const duration = options.quick ? 3 : 10;
  const callbacks = options.quick ? 100 : 500;
  const connections = 50;
  const failures: string[] = [];
  const consistency: string[] = [];
  // Handler logs at WARN: INFO lines for every request would measure the terminal, not the service.
  process.env.LOG_LEVEL ??= 'WARN';
  const stack = await startLocalStack({ port: 0, inMemory: true, sweepIntervalMs: 0 });
  try {
    const cheapest = (FUNCTIONS as readonly FunctionSpec[]).find((f) => f.route?.method === 'GET' && f.route.auth === 'public' && Object.keys(f.access).length === 0 && !f.route.path.includes('{'));
    if (!cheapest?.route) throw new Error('no public GET route without AWS access in lambdas/functions.ts');

    // The venues-list account: one real authorization, so the list reads a grant.
    const listToken = await stack.jwt.issue({ accountId: 'acc-load-list' });
    const first = await preparedCallback(stack, listToken);
    const firstAnswer = await fetch(`${stack.url}${first.path}`, { headers: { cookie: first.cookie }, redirect: 'manual' });
    if ((await complete(stack, listToken, firstAnswer.headers.get('location') ?? '')) !== 'success') throw new Error('the venues-list account could not be authorized');
    const before = JSON.stringify(await venues(stack, listToken));

    log(`preparing ${callbacks} callbacks through the real flow (one account each)`);
    const accounts = Array.from({ length: callbacks }, (_, i) => `acc-load-${i}`);
    const tokens = await Promise.all(accounts.map((accountId) => stack.jwt.issue({ accountId })));
    const prepared: { path: string; cookie: string }[] = [];
    for (const token of tokens) prepared.push(await preparedCallback(stack, token));
    const secretsBefore = stack.secretsManager.names().length;
    let granted = 0;
    const unsubscribe = stack.eventBridge.subscribe((event) => {
      if (event.detailType === 'Amazon Authorization Granted') granted++;
    });

    const url = stack.url;
    const routes: RouteLoad[] = [];
    log(`${cheapest.route.method} ${cheapest.route.path}: ${connections} connections, ${duration} s`);
    routes.push(await cannon(`cheapest route (${cheapest.id})`, `${cheapest.route.method} ${cheapest.route.path}`, { url: `${url}${cheapest.route.path}`, connections, duration }));
    log(`GET /v1/amazon/venues: ${connections} connections, ${duration} s`);
    routes.push(await cannon('venues list', 'GET /v1/amazon/venues', { url: `${url}/v1/amazon/venues`, connections, duration, headers: { authorization: `Bearer ${listToken}` } }));
    log(`GET /v1/amazon/callback: ${connections} connections, ${callbacks} fresh states`);
    let next = 0;
    /** The completion page each callback sent its browser to, by account. */
    const landings = new Map<number, string>();
    routes.push(
      await cannon('callback, fresh states', 'GET /v1/amazon/callback', {
        url,
        connections,
        amount: callbacks,
        requests: [
          {
            // One connection sends one request at a time, so its context names the account of the answer.
            setupRequest: (request, context) => {
              const account = next++ % prepared.length;
              (context as { account?: number }).account = account;
              const one = prepared[account]!;
              return { ...request, method: 'GET', path: one.path, headers: { ...request.headers, cookie: one.cookie } };
            },
            onResponse: (status, _body, context, headers) => {
              const location = String((headers as Record<string, string | undefined>)?.location ?? '');
              if (status === 303) landings.set((context as { account: number }).account, location);
            },
          },
        ],
      }),
    );

    for (const r of routes) {
      if (r.errors || r.timeouts) failures.push(`${r.name}: ${r.errors} errors, ${r.timeouts} timeouts`);
      if (r.statuses['5xx']) failures.push(`${r.name}: ${r.statuses['5xx']} 5xx`);
    }
    const [cheap, list] = routes;
    if (cheap && cheap.statuses['2xx'] !== cheap.requests) failures.push(`${cheap.name}: ${cheap.requests - cheap.statuses['2xx']} answers not 2xx`);
    if (list && list.statuses['2xx'] !== list.requests) failures.push(`venues list: ${list.requests - list.statuses['2xx']} answers not 2xx`);

    // Consistency afterwards.
    const check = (ok: boolean, line: string) => {
      consistency.push(`${ok ? 'ok' : 'FAILED'}: ${line}`);
      if (!ok) failures.push(`consistency: ${line}`);
    };
    const toCompletion = [...landings.values()].filter((l) => l.includes('#completion=')).length;
    check(toCompletion === callbacks, `${toCompletion}/${callbacks} callbacks sent the browser to the completion page with a handle`);
    // What each seller's completion page does next: exchange the handle with the seller's JWT.
    let completed = 0;
    for (const [account, location] of landings) if ((await complete(stack, tokens[account]!, location)) === 'success') completed++;
    unsubscribe();
    check(completed === callbacks, `${completed}/${callbacks} completions succeeded for the account that started them`);
    check(granted === callbacks, `${granted}/${callbacks} "Amazon Authorization Granted" events`);
    check(stack.secretsManager.names().length - secretsBefore === callbacks, `${stack.secretsManager.names().length - secretsBefore}/${callbacks} new grant secrets`);
    let current = 0;
    for (const token of tokens) {
      if ((await venues(stack, token)).find((v) => v.marketplace === MARKETPLACE)?.token.status === 'current') current++;
    }
    check(current === callbacks, `${current}/${callbacks} accounts list ${MARKETPLACE} as current`);
    const grantsBefore = stack.secretsManager.names().length;
    const replay = await fetch(`${url}${prepared[0]!.path}`, { headers: { cookie: prepared[0]!.cookie }, redirect: 'manual' });
    const replayed = await complete(stack, tokens[0]!, replay.headers.get('location') ?? '');
    check(replay.status < 500 && replayed !== 'success' && stack.secretsManager.names().length === grantsBefore, `a replayed callback (${replay.status}) completes nothing and writes nothing`);
    const events = stack.eventBridge.events().length;
    const again = await complete(stack, tokens[1]!, landings.get(1) ?? '');
    check(stack.secretsManager.names().length === grantsBefore && stack.eventBridge.events().length === events, `a completion handle used twice (answer: ${again}) writes and publishes nothing more`);
    check(JSON.stringify(await venues(stack, listToken)) === before, 'the venues list is unchanged by its own load');
    return { routes, consistency, failures };
  } finally {
    await stack.stop();
  }
}

export function loadMarkdown(report: LoadReport): string {
  return [
    'autocannon on loopback against the local stack (one Node process: API, handlers, DynamoDB Local client, stand-ins, sandbox).',
    '',
    '| Route | connections | bound | requests | req/s | p50 ms | p99 ms | 2xx / 3xx / 4xx / 5xx | errors |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: |',
    ...report.routes.map(
      (r) =>
        `| ${r.name}: \`${r.route}\` | ${r.connections} | ${r.bound} | ${r.requests} | ${r.requestsPerSecond} | ${r.latencyMs.p50} | ${r.latencyMs.p99} | ${r.statuses['2xx']} / ${r.statuses['3xx']} / ${r.statuses['4xx']} / ${r.statuses['5xx']} | ${r.errors + r.timeouts} |`,
    ),
    '',
    ...report.consistency.map((c) => `- ${c}`),
  ].join('\n');
}
