import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import * as z from 'zod';
import { type ApiGateway, matchRoute } from './api-gateway.js';
import type { EventBridgeStandIn } from './aws/eventbridge.js';
import { DurationError, addDuration } from './duration.js';
import type { DevJwt } from './jwt.js';
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

export function createLocalListener(deps: LocalServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const log = deps.log ?? (() => undefined);

  async function devControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname.replace(/\/$/, '')}`;
    switch (route) {
      case 'GET /__dev':
        return sendJson(res, 200, { controls: CONTROLS });
      case 'POST /__dev/token': {
        const body = await jsonBody(req, tokenRequest);
        return sendJson(res, 200, { token: await deps.jwt.issue(body) });
      }
      case 'GET /__dev/clock':
        return sendJson(res, 200, { now: deps.clock.now().toISOString() });
      case 'POST /__dev/clock': {
        const body = await jsonBody(req, clockRequest);
        let target: Date;
        if ('now' in body) target = new Date(body.now);
        else if ('advance' in body) {
          try {
            target = addDuration(deps.clock.now(), body.advance);
          } catch (error) {
            if (error instanceof DurationError) throw new BadRequest(error.message);
            throw error;
          }
        } else target = new Date();
        deps.shiftClock(target);
        log(`clock → ${deps.clock.now().toISOString()}`);
        return sendJson(res, 200, { now: deps.clock.now().toISOString() });
      }
      case 'POST /__dev/sweep':
        return sendJson(res, 200, await deps.runSweep());
      case 'POST /__dev/health-check': {
        const body = await jsonBody(req, healthCheckRequest);
        return sendJson(res, 200, await deps.runHealthCheck('accountId' in body ? { accountId: body.accountId, marketplace: body.marketplace.toUpperCase() } : undefined));
      }
      case 'GET /__dev/caller-credentials':
        return sendJson(res, 200, { ...deps.callerCredentials });
      case 'GET /__dev/sandbox/stats':
        return sendJson(res, 200, deps.sandbox.stats());
      case 'GET /__dev/events': {
        const detailType = url.searchParams.get('detailType');
        const events = deps.events
          .events()
          .filter((e) => !detailType || e.detailType === detailType)
          .map(({ source, detailType: type, detail, time }) => ({ source, detailType: type, detail, time }));
        return sendJson(res, 200, { events });
      }
      case 'DELETE /__dev/events':
        deps.events.clear();
        res.writeHead(204).end();
        return;
      case 'GET /__dev/sandbox/sellers':
        return sendJson(res, 200, { sellers: deps.sandbox.sellers });
      case 'POST /__dev/sandbox/revoke': {
        const { sellingPartnerId } = await jsonBody(req, revokeRequest);
        try {
          deps.sandbox.revoke(sellingPartnerId);
        } catch (error) {
          throw new BadRequest((error as Error).message, 404, 'UNKNOWN_SELLER');
        }
        return sendJson(res, 200, { revoked: sellingPartnerId });
      }
      case 'POST /__dev/sandbox/faults': {
        const fault = await jsonBody(req, faultRequest);
        deps.sandbox.setFault(fault);
        return sendJson(res, 200, { fault });
      }
      case 'POST /__dev/sandbox/notifications/secret-expiry': {
        const { expiresAt } = await jsonBody(req, expiryNoticeRequest);
        if (!deps.sandbox.sendSecretExpiryNotice) throw new BadRequest('The sandbox sends no notifications.', 404, 'NOT_FOUND');
        return sendJson(res, 200, deps.sandbox.sendSecretExpiryNotice(expiresAt ? new Date(expiresAt) : undefined));
      }
      case 'POST /__dev/sandbox/rotate-client-secret':
        req.resume();
        if (!deps.sandbox.rotateClientSecret) throw new BadRequest('The sandbox cannot rotate.', 404, 'NOT_FOUND');
        return sendJson(res, 200, deps.sandbox.rotateClientSecret());
      case 'GET /__dev/sandbox/client-secrets':
        return sendJson(res, 200, { clientSecrets: deps.sandbox.clientSecrets?.() ?? [] });
      case 'GET /__dev/notifications':
        return sendJson(res, 200, deps.ops?.queues() ?? {});
      case 'POST /__dev/notifications': {
        const { body } = await jsonBody(req, rawNotificationRequest);
        if (!deps.ops) throw new BadRequest('No notification queue.', 404, 'NOT_FOUND');
        return sendJson(res, 200, { messageId: deps.ops.sendNotification(body) });
      }
      case 'POST /__dev/notifications/poll':
        req.resume();
        return sendJson(res, 200, (await deps.ops?.pollNotifications()) ?? {});
      case 'GET /__dev/stack':
        return sendJson(res, 200, deps.ops?.stack() ?? {});
      default:
        if (req.method === 'POST' && url.pathname.startsWith('/__dev/invoke/') && deps.ops) {
          const id = url.pathname.slice('/__dev/invoke/'.length);
          const { payload } = await jsonBody(req, z.object({ payload: z.unknown().optional() }).strict());
          let result: unknown;
          try {
            result = await deps.ops.invoke(id, payload ?? {});
          } catch (error) {
            if ((error as Error).message.startsWith('No directly invoked function')) throw new BadRequest((error as Error).message, 404, 'NOT_FOUND');
            throw error;
          }
          return sendJson(res, 200, { result: result ?? null });
        }
        throw new BadRequest(`No dev control at ${route}. Controls: ${CONTROLS.join('; ')}`, 404, 'NOT_FOUND');
    }
  }

  async function webFile(res: ServerResponse, name: string, head: boolean): Promise<void> {
    let content: Buffer;
    try {
      content = await readFile(join(deps.webDir, name));
    } catch {
      const text = name.endsWith('.html')
        ? `The Venue Settings page (local/web/${name}) is not there yet. The API is up: try GET /v1/openapi.json.\n`
        : `local/web/${name} does not exist.\n`;
      res.writeHead(name.endsWith('.html') ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
      'content-length': content.length,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...REFERENCE_PAGE_HEADERS,
      ...(extname(name) === '.html' ? REFERENCE_PAGE_CSP : {}),
    });
    res.end(head ? undefined : content);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local.invalid');
    const path = url.pathname;
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/__dev' || path.startsWith('/__dev/')) return devControl(req, res, url);
    if (read && path === '/.well-known/jwks.json') return sendJson(res, 200, deps.jwt.jwks);
    if (read && path === '/') return webFile(res, 'index.html', req.method === 'HEAD');
    if (read && path === '/connect') return webFile(res, 'connect.html', req.method === 'HEAD');
    if (read && path === '/complete') return webFile(res, 'complete.html', req.method === 'HEAD');
    if (read && path.startsWith('/web/')) {
      const name = path.slice('/web/'.length);
      if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(name)) throw new BadRequest('Not a page file.', 404, 'NOT_FOUND');
      return webFile(res, name, req.method === 'HEAD');
    }
    return deps.api.handle(req, res);
  }

  /** API paths are logged as their route template: a raw path can hold a ticket. */
  function loggablePath(req: IncomingMessage): string {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith('/v1/')) return path;
    return matchRoute(deps.api.routes, req.method ?? 'GET', path)?.route.path ?? '/v1/…';
  }

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof BadRequest) {
        req.resume();
        return sendJson(res, error.status, { error: { code: error.code, message: error.message } });
      }
      log(`local server error on ${req.method} ${loggablePath(req)}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL_ERROR', message: 'The local stack failed to handle this request; see its log.' } });
      else res.destroy();
    });
  };
}
