import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import * as z from 'zod';
import { type ApiGateway, matchRoute } from './api-gateway.js';
import type { EventBridgeStandIn } from './aws/eventbridge.js';
import { DurationError, addDuration } from './duration.js';
import type { DevJwt } from './jwt.js';
import { LAYOUT_FILE, PageFileMissing, REFERENCE_PAGES, type ReferencePage, pageOfFile, renderReferencePage } from './web-pages.js';
import { readRequestBody } from './request-body.js';

/**
 * The local stack's one HTTP origin: the API (`/v1/…`, through the API Gateway stand-in), the
 * Venue Settings page (`/`, `/connect`, `/complete`, `/web/…`), the dev JWKS, and the dev controls under
 * `/__dev/`. The dev controls exist only here: nothing deployed routes to them.
 */

export interface LocalServerDeps {
  readonly api: ApiGateway;
  readonly jwt: DevJwt;
  readonly events: EventBridgeStandIn;
  readonly sandbox: {
    revoke(sellingPartnerId: string): void;
    setFault(fault: { target: 'token' | 'refresh' | 'participations'; mode: 'server_error' | 'timeout' | 'invalid_client'; times: number }): void;
    readonly sellers: readonly unknown[];
    stats(): { readonly refreshes: number };
    sendSecretExpiryNotice?(expiresAt?: Date): unknown;
    rotateClientSecret?(): unknown;
    clientSecrets?(): unknown;
  };
  readonly clock: { now(): Date };
  readonly shiftClock: (target: Date) => void;
  /** Runs the sweep handler once and returns its summary. */
  readonly runSweep: () => Promise<unknown>;
  /** Runs the token health check once (one venue's grant when named) and returns its summary. */
  readonly runHealthCheck: (only?: { accountId: string; marketplace: string }) => Promise<unknown>;
  /** The SigV4 key AoB services use against the local access-token route. */
  readonly callerCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly region: string };
  /** Folder of the Venue Settings page files. */
  readonly webDir: string;
  /** The app-notification queue, direct invokes and what the on-call CLI needs to find the stack (`--local`). */
  readonly ops?: {
    pollNotifications(): Promise<unknown>;
    invoke(id: string, payload?: unknown): Promise<unknown>;
    queues(): unknown;
    sendNotification(body: string): string;
    stack(): Record<string, unknown>;
  };
  readonly log?: (line: string) => void;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const MAX_CONTROL_BODY_BYTES = 16 * 1024;

/** Every file of the reference pages: HSTS (as a deployed frontend would send) and no referrer. */
export const REFERENCE_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'referrer-policy': 'no-referrer',
});

/** The reference pages load only their own scripts and styles, talk only to this origin, and are never framed (clickjacking). */
export const REFERENCE_PAGE_CSP: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
});

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function jsonBody<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.infer<S>> {
  const text = (await readRequestBody(req, MAX_CONTROL_BODY_BYTES, () => new BadRequest(`The request body is larger than ${MAX_CONTROL_BODY_BYTES} bytes.`, 413, 'PAYLOAD_TOO_LARGE'))).toString('utf8');
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new BadRequest('The request body is not valid JSON.');
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new BadRequest(`The request body is not valid: ${result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  return result.data;
}

const tokenRequest = z.object({
  accountId: z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'letters, digits and . _ : @ - (at most 128)'),
  sub: z.string().min(1).max(128).optional(),
  ttlSeconds: z.number().int().min(1).max(7 * 86_400).optional(),
});

const clockRequest = z.union([
  z.object({ now: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ advance: z.string().min(2) }).strict(),
  z.object({ reset: z.literal(true) }).strict(),
]);

const revokeRequest = z.object({ sellingPartnerId: z.string().min(1) });

const healthCheckRequest = z.union([
  z.object({ accountId: z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'letters, digits and . _ : @ - (at most 128)'), marketplace: z.string().regex(/^[A-Za-z]{2}$/, 'a marketplace code such as UK') }).strict(),
  z.object({}).strict(),
]);

const faultRequest = z.object({
  target: z.enum(['token', 'refresh', 'participations']),
  mode: z.enum(['server_error', 'timeout', 'invalid_client']),
  times: z.number().int().min(0).max(100).default(1),
});

const expiryNoticeRequest = z.object({ expiresAt: z.iso.datetime({ offset: true }).optional() }).strict();
const rawNotificationRequest = z.object({ body: z.string().min(1).max(256 * 1024) }).strict();

const CONTROLS = [
  'POST /__dev/token {accountId, sub?, ttlSeconds?}',
  'GET  /__dev/clock',
  'POST /__dev/clock {now} | {advance: "P30D"} | {reset: true}',
  'POST /__dev/sweep',
  'POST /__dev/health-check [{accountId, marketplace}]',
  'GET  /__dev/caller-credentials',
  'GET  /__dev/sandbox/stats',
  'GET  /__dev/events   DELETE /__dev/events',
  'GET  /__dev/sandbox/sellers',
  'POST /__dev/sandbox/revoke {sellingPartnerId}',
  'POST /__dev/sandbox/faults {target: token|refresh|participations, mode: server_error|timeout|invalid_client, times}',
  'POST /__dev/sandbox/notifications/secret-expiry {expiresAt?}   (Amazon sends APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY)',
  'POST /__dev/sandbox/rotate-client-secret   (Developer Console rotation: APPLICATION_OAUTH_CLIENT_NEW_SECRET)',
  'GET  /__dev/sandbox/client-secrets   (expiries only)',
  'GET  /__dev/notifications   POST /__dev/notifications {body}   POST /__dev/notifications/poll',
  'POST /__dev/invoke/{FunctionId} {payload?}   (functions without a route, e.g. RotateClientSecret)',
  'GET  /__dev/stack   (what `npm run ops -- … --local` reads)',
];

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The local origin's requests: the dev controls, the JWKS, the reference pages and their files, else the API. */
export function createLocalListener(deps: LocalServerDeps): Listener {
  const log = deps.log ?? (() => undefined);
  const controls = devControls(deps, log);
  return (req, res) => {
    route(deps, controls, req, res).catch((error: unknown) => answerFailure(deps, log, error, req, res));
  };
}

async function route(deps: LocalServerDeps, controls: DevControls, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local.invalid');
  const path = url.pathname;
  const read = req.method === 'GET' || req.method === 'HEAD';
  const head = req.method === 'HEAD';
  if (path === '/__dev' || path.startsWith('/__dev/')) return devControl(deps, controls, req, res, url);
  if (read && path === '/.well-known/jwks.json') return sendJson(res, 200, deps.jwt.jwks);
  if (read && Object.hasOwn(REFERENCE_PAGES, path)) return servePage(res, deps.webDir, REFERENCE_PAGES[path] as ReferencePage, head);
  if (read && path.startsWith('/web/')) return serveWebFile(res, deps.webDir, path.slice('/web/'.length), head);
  return deps.api.handle(req, res);
}

/** A 400 the dev controls (and file routes) answer as `{error: {code, message}}`; anything else is logged and answered 500. */
function answerFailure(deps: LocalServerDeps, log: (line: string) => void, error: unknown, req: IncomingMessage, res: ServerResponse): void {
  if (error instanceof BadRequest) {
    req.resume();
    return sendJson(res, error.status, { error: { code: error.code, message: error.message } });
  }
  log(`local server error on ${req.method} ${loggablePath(deps.api, req)}: ${(error as Error).stack ?? String(error)}`);
  if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL_ERROR', message: 'The local stack failed to handle this request; see its log.' } });
  else res.destroy();
}

/** API paths are logged as their route template: a raw path can hold a ticket. */
function loggablePath(api: ApiGateway, req: IncomingMessage): string {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (!path.startsWith('/v1/')) return path;
  return matchRoute(api.routes, req.method ?? 'GET', path)?.route.path ?? '/v1/…';
}

// ---------------------------------------------------------------------------------------------
// The reference pages and their files.

async function servePage(res: ServerResponse, webDir: string, page: ReferencePage, head: boolean): Promise<void> {
  let content: Buffer;
  try {
    content = await renderReferencePage(webDir, page);
  } catch (error) {
    if (!(error instanceof PageFileMissing)) throw error;
    return answerMissingFile(res, error.file);
  }
  sendFile(res, content, '.html', head);
}

const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** `/web/{name}`: a page's own file is served as the whole page; the layout only inside one. */
async function serveWebFile(res: ServerResponse, webDir: string, name: string, head: boolean): Promise<void> {
  if (!FILE_NAME.test(name) || name === LAYOUT_FILE) throw new BadRequest('Not a page file.', 404, 'NOT_FOUND');
  const page = pageOfFile(name);
  if (page) return servePage(res, webDir, page, head);
  let content: Buffer;
  try {
    content = await readFile(join(webDir, name));
  } catch {
    return answerMissingFile(res, name);
  }
  sendFile(res, content, extname(name), head);
}

/** A missing page is the stack not being ready (503); any other missing file is a 404. */
function answerMissingFile(res: ServerResponse, name: string): void {
  const html = extname(name) === '.html';
  res.writeHead(html ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html ? `The Venue Settings page (local/web/${name}) is not there yet. The API is up: try GET /v1/openapi.json.\n` : `local/web/${name} does not exist.\n`);
}

/** A file of the pages, with the headers every one gets (and the CSP on HTML). */
function sendFile(res: ServerResponse, content: Buffer, extension: string, head: boolean): void {
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'content-length': content.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...REFERENCE_PAGE_HEADERS,
    ...(extension === '.html' ? REFERENCE_PAGE_CSP : {}),
  });
  res.end(head ? undefined : content);
}

// ---------------------------------------------------------------------------------------------
// The dev controls.

/** Answers a control's result as JSON (200), or 204 for `NO_CONTENT`. */
type Control = (req: IncomingMessage, url: URL) => unknown;
type DevControls = ReadonlyMap<string, Control>;
const NO_CONTENT = Symbol('no content');

async function devControl(deps: LocalServerDeps, controls: DevControls, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const key = `${req.method} ${url.pathname.replace(/\/$/, '')}`;
  const control = controls.get(key);
  if (control) return answerControl(res, await control(req, url));
  if (req.method === 'POST' && url.pathname.startsWith('/__dev/invoke/') && deps.ops) return answerControl(res, await invokeFunction(deps.ops, req, url));
  throw new BadRequest(`No dev control at ${key}. Controls: ${CONTROLS.join('; ')}`, 404, 'NOT_FOUND');
}

function answerControl(res: ServerResponse, result: unknown): void {
  if (result === NO_CONTENT) {
    res.writeHead(204).end();
    return;
  }
  sendJson(res, 200, result);
}

/** Every control by `METHOD path`; `GET /__dev` lists them. */
function devControls(deps: LocalServerDeps, log: (line: string) => void): DevControls {
  return new Map<string, Control>([
    ['GET /__dev', () => ({ controls: CONTROLS })],
    ...sessionControls(deps, log),
    ...scheduleControls(deps),
    ...eventControls(deps.events),
    ...sandboxControls(deps.sandbox),
    ...opsControls(deps.ops),
  ]);
}

/** Dev tokens, the service clock and the SigV4 key of the access-token route. */
function sessionControls(deps: LocalServerDeps, log: (line: string) => void): [string, Control][] {
  const now = () => ({ now: deps.clock.now().toISOString() });
  return [
    ['POST /__dev/token', async (req) => ({ token: await deps.jwt.issue(await jsonBody(req, tokenRequest)) })],
    ['GET /__dev/clock', now],
    [
      'POST /__dev/clock',
      async (req) => {
        deps.shiftClock(clockTarget(deps.clock.now(), await jsonBody(req, clockRequest)));
        log(`clock → ${deps.clock.now().toISOString()}`);
        return now();
      },
    ],
    ['GET /__dev/caller-credentials', () => ({ ...deps.callerCredentials })],
  ];
}

/** Where `POST /__dev/clock` moves the clock: a time, by a duration, or back to real time. */
function clockTarget(now: Date, body: z.infer<typeof clockRequest>): Date {
  if ('now' in body) return new Date(body.now);
  if (!('advance' in body)) return new Date();
  try {
    return addDuration(now, body.advance);
  } catch (error) {
    if (error instanceof DurationError) throw new BadRequest(error.message);
    throw error;
  }
}

/** The sweep and the health check, now. */
function scheduleControls(deps: LocalServerDeps): [string, Control][] {
  return [
    ['POST /__dev/sweep', () => deps.runSweep()],
    [
      'POST /__dev/health-check',
      async (req) => {
        const body = await jsonBody(req, healthCheckRequest);
        return deps.runHealthCheck('accountId' in body ? { accountId: body.accountId, marketplace: body.marketplace.toUpperCase() } : undefined);
      },
    ],
  ];
}

/** What the local bus received. */
function eventControls(events: EventBridgeStandIn): [string, Control][] {
  return [
    [
      'GET /__dev/events',
      (_req, url) => {
        const detailType = url.searchParams.get('detailType');
        return {
          events: events
            .events()
            .filter((e) => !detailType || e.detailType === detailType)
            .map(({ source, detailType: type, detail, time }) => ({ source, detailType: type, detail, time })),
        };
      },
    ],
    [
      'DELETE /__dev/events',
      () => {
        events.clear();
        return NO_CONTENT;
      },
    ],
  ];
}

/** The Amazon sandbox: its sellers and counters, revocations, faults, the app's client secret. */
function sandboxControls(sandbox: LocalServerDeps['sandbox']): [string, Control][] {
  return [
    ['GET /__dev/sandbox/stats', () => sandbox.stats()],
    ['GET /__dev/sandbox/sellers', () => ({ sellers: sandbox.sellers })],
    [
      'POST /__dev/sandbox/revoke',
      async (req) => {
        const { sellingPartnerId } = await jsonBody(req, revokeRequest);
        try {
          sandbox.revoke(sellingPartnerId);
        } catch (error) {
          throw new BadRequest((error as Error).message, 404, 'UNKNOWN_SELLER');
        }
        return { revoked: sellingPartnerId };
      },
    ],
    [
      'POST /__dev/sandbox/faults',
      async (req) => {
        const fault = await jsonBody(req, faultRequest);
        sandbox.setFault(fault);
        return { fault };
      },
    ],
    [
      'POST /__dev/sandbox/notifications/secret-expiry',
      async (req) => {
        const { expiresAt } = await jsonBody(req, expiryNoticeRequest);
        if (!sandbox.sendSecretExpiryNotice) throw new BadRequest('The sandbox sends no notifications.', 404, 'NOT_FOUND');
        return sandbox.sendSecretExpiryNotice(expiresAt ? new Date(expiresAt) : undefined);
      },
    ],
    [
      'POST /__dev/sandbox/rotate-client-secret',
      (req) => {
        req.resume();
        if (!sandbox.rotateClientSecret) throw new BadRequest('The sandbox cannot rotate.', 404, 'NOT_FOUND');
        return sandbox.rotateClientSecret();
      },
    ],
    ['GET /__dev/sandbox/client-secrets', () => ({ clientSecrets: sandbox.clientSecrets?.() ?? [] })],
  ];
}

/** The app-notification queue and what the on-call CLI reads to find the stack (`--local`). */
function opsControls(ops: LocalServerDeps['ops']): [string, Control][] {
  return [
    ['GET /__dev/notifications', () => ops?.queues() ?? {}],
    [
      'POST /__dev/notifications',
      async (req) => {
        const { body } = await jsonBody(req, rawNotificationRequest);
        if (!ops) throw new BadRequest('No notification queue.', 404, 'NOT_FOUND');
        return { messageId: ops.sendNotification(body) };
      },
    ],
    [
      'POST /__dev/notifications/poll',
      async (req) => {
        req.resume();
        return (await ops?.pollNotifications()) ?? {};
      },
    ],
    ['GET /__dev/stack', () => ops?.stack() ?? {}],
  ];
}

/** `POST /__dev/invoke/{FunctionId}`: a function without a route, as `aws lambda invoke` would call it. */
async function invokeFunction(ops: NonNullable<LocalServerDeps['ops']>, req: IncomingMessage, url: URL): Promise<unknown> {
  const id = url.pathname.slice('/__dev/invoke/'.length);
  const { payload } = await jsonBody(req, z.object({ payload: z.unknown().optional() }).strict());
  let result: unknown;
  try {
    result = await ops.invoke(id, payload ?? {});
  } catch (error) {
    if ((error as Error).message.startsWith('No directly invoked function')) throw new BadRequest((error as Error).message, 404, 'NOT_FOUND');
    throw error;
  }
  return { result: result ?? null };
}
