import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { FunctionSpec, HttpMethod } from '../lambdas/functions.js';
import type { AuthorizerClaims } from './jwt.js';
import type { IamIdentity, SignedRequest, Verdict } from './sigv4.js';
import { LOOPBACK_ADDRESS } from '../lambdas/shared/loopback.js';
import { readRequestBody } from './request-body.js';
import { LOCAL_ACCOUNT_ID, LOCAL_NAMES } from './stage.js';

/**
 * Stands in for API Gateway's HTTP API in front of the Lambda functions: it matches a request
 * against the routes of `lambdas/functions.ts`, runs the JWT authorizer on `jwt` routes, builds
 * the payload-format-2.0 event Lambda would receive, invokes the handler module's `handler`,
 * and writes its result back the way API Gateway does. API Gateway's own answers keep their
 * shape: `{"message":"Not Found"}`, `{"message":"Unauthorized"}`, `{"message":"Internal Server Error"}`.
 */

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface Route {
  readonly spec: FunctionSpec;
  readonly method: HttpMethod;
  readonly path: string;
  readonly routeKey: string;
  readonly auth: 'jwt' | 'public' | 'iam';
  readonly segments: readonly ({ readonly literal: string } | { readonly param: string })[];
}

export interface RouteMatch {
  readonly route: Route;
  readonly pathParameters: Record<string, string>;
}

export interface ApiGatewayOptions {
  readonly functions: readonly FunctionSpec[];
  /** The handler of a function; the stack imports the modules once, like Lambda's init phase. */
  readonly handlerFor: (spec: FunctionSpec) => Promise<LambdaHandler>;
  readonly authorize: (authorization: string | undefined) => Promise<{ claims: AuthorizerClaims; scopes: string[] | null } | undefined>;
  /** AWS_IAM routes: verifies the request's SigV4 signature; without it every such request is refused. */
  readonly verifyIam?: (request: SignedRequest) => Promise<Verdict>;
  readonly region: string;
  /** API Gateway accepts 10 MB; the local stack needs far less. */
  readonly maxBodyBytes?: number;
  readonly log?: (line: string) => void;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** API Gateway's integration timeout. */
const INTEGRATION_TIMEOUT_MS = 30_000;

export function routesFrom(functions: readonly FunctionSpec[]): Route[] {
  const routes: Route[] = [];
  for (const spec of functions) {
    if (!spec.route) continue;
    const segments = spec.route.path
      .split('/')
      .slice(1)
      .map((s) => (/^\{[A-Za-z0-9_]+\}$/.test(s) ? { param: s.slice(1, -1) } : { literal: s }));
    routes.push({ spec, method: spec.route.method, path: spec.route.path, routeKey: `${spec.route.method} ${spec.route.path}`, auth: spec.route.auth, segments });
  }
  // API Gateway prefers the most specific route: literal segments win over parameters.
  const literals = (r: Route) => r.segments.filter((s) => 'literal' in s).length;
  return routes.sort((a, b) => literals(b) - literals(a));
}

export function matchRoute(routes: readonly Route[], method: string, rawPath: string): RouteMatch | undefined {
  const parts = rawPath.split('/').slice(1);
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    const pathParameters: Record<string, string> = {};
    const ok = route.segments.every((segment, i) => {
      const part = parts[i] ?? '';
      if ('literal' in segment) return segment.literal === part;
      if (part === '') return false;
      pathParameters[segment.param] = safeDecode(part);
      return true;
    });
    if (ok) return { route, pathParameters };
  }
  return undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Query parameters as API Gateway hands them over: decoded, duplicates joined with commas. */
export function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const result: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    result[name] = name in result ? `${result[name]},${value}` : value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|[\w.+-]+\+(json|xml))\b)/i;

export interface EventInput {
  readonly req: IncomingMessage;
  readonly match: RouteMatch;
  readonly body: Buffer;
  readonly requestId: string;
  readonly authorizer?: { claims: AuthorizerClaims; scopes: string[] | null };
  readonly iam?: IamIdentity;
  readonly now?: Date;
}

function toEvent({ req, match, body, requestId, authorizer, iam, now = new Date() }: EventInput): APIGatewayProxyEventV2 {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const rawQueryString = q === -1 ? '' : rawUrl.slice(q + 1);
  const sourceIp = (req.socket.remoteAddress ?? LOOPBACK_ADDRESS).replace(/^::ffff:/, '');
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (!values) continue;
    if (name === 'cookie') {
      cookies = values.flatMap((v) => v.split(';')).map((c) => c.trim()).filter(Boolean);
      continue;
    }
    headers[name] = values.join(',');
  }
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  const host = headers.host ?? LOOPBACK_ADDRESS;
  const contentType = headers['content-type'] ?? '';
  const isText = body.length === 0 || TEXT_TYPES.test(contentType);
  const route = match.route;
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...withDefined('queryStringParameters', queryParameters(rawQueryString)),
    ...(Object.keys(match.pathParameters).length > 0 ? { pathParameters: match.pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      ...(authorizer ? { authorizer: { jwt: { claims: authorizer.claims, scopes: authorizer.scopes } } } : {}),
      ...(iam ? { authorizer: { iam } } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: { method: req.method ?? 'GET', path: rawPath, protocol: `HTTP/${req.httpVersion}`, sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  } as APIGatewayProxyEventV2;
}

function withDefined<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `27/Nov/2026:01:02:03 +0000`, the format of requestContext.time. */
function apiGatewayTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function lambdaContext(spec: FunctionSpec, region: string, requestId: string, timeoutMs: number): Context {
  const functionName = LOCAL_NAMES.functionName(spec.id);
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error('Callback-style completion is not supported: return a promise.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(spec.memoryMb ?? 256),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

type Result = { statusCode: number; headers: Record<string, string>; cookies: string[]; body: Buffer };

/** Lambda's answer as API Gateway turns it into an HTTP response (payload format 2.0). */
function fromResult(result: unknown): Result {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const r = result as { statusCode: number; headers?: Record<string, unknown>; cookies?: string[]; body?: string; isBase64Encoded?: boolean };
    const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8');
    return { statusCode: r.statusCode, headers, cookies: r.cookies ?? [], body };
  }
  // A result without a status code is taken as a JSON body with status 200.
  const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(text) };
}

function gatewayAnswer(res: ServerResponse, statusCode: number, message: string, requestId: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ message });
  res.writeHead(statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'apigw-requestid': requestId, ...headers });
  res.end(body);
}

class BodyTooLarge extends Error {}

/** Refuses a declared Content-Length over the limit before reading anything. */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  return readRequestBody(req, limit, () => new BodyTooLarge());
}

export interface ApiGateway {
  readonly routes: readonly Route[];
  /** Serves `req` when it targets a route; answers API Gateway's 404 otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createApiGateway(options: ApiGatewayOptions): ApiGateway {
  const routes = routesFrom(options.functions);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? (() => undefined);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const match = matchRoute(routes, req.method ?? 'GET', rawPath);
    if (!match) {
      req.resume();
      return gatewayAnswer(res, 404, 'Not Found', requestId);
    }
    let authorizer: { claims: AuthorizerClaims; scopes: string[] | null } | undefined;
    if (match.route.auth === 'jwt') {
      authorizer = await options.authorize(req.headers.authorization);
      if (!authorizer) {
        req.resume();
        return gatewayAnswer(res, 401, 'Unauthorized', requestId, { 'www-authenticate': 'Bearer' });
      }
    }
    let body: Buffer;
    try {
      body = await readLimited(req, limit);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        req.resume();
        return gatewayAnswer(res, 413, 'Request Entity Too Large', requestId, { connection: 'close' });
      }
      throw error;
    }
    let iam: IamIdentity | undefined;
    if (match.route.auth === 'iam') {
      // API Gateway's AWS_IAM check: a missing, malformed, foreign or stale signature is its own 403.
      const q = (req.url ?? '').indexOf('?');
      const verdict = options.verifyIam
        ? await options.verifyIam({ method: req.method ?? 'GET', path: rawPath, rawQueryString: q === -1 ? '' : (req.url ?? '').slice(q + 1), headers: req.headers, body })
        : ({ ok: false, message: 'Forbidden' } as const);
      if (!verdict.ok) return gatewayAnswer(res, 403, verdict.message, requestId);
      iam = verdict.identity;
    }
    const spec = match.route.spec;
    const timeoutMs = Math.min((spec.timeoutSeconds ?? 29) * 1000, INTEGRATION_TIMEOUT_MS);
    const event = toEvent({ req, match, body, requestId, authorizer, iam });
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const handler = await options.handlerFor(spec);
      const result = await Promise.race([
        handler(event, lambdaContext(spec, options.region, requestId, timeoutMs)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Task timed out after ${timeoutMs / 1000} seconds`)), timeoutMs);
        }),
      ]);
      const out = fromResult(result);
      res.statusCode = out.statusCode;
      for (const [name, value] of Object.entries(out.headers)) res.setHeader(name, value);
      if (out.cookies.length > 0) res.setHeader('set-cookie', out.cookies);
      res.setHeader('apigw-requestid', requestId);
      res.setHeader('content-length', out.body.length);
      res.end(out.body);
      log(`${req.method} ${match.route.path} → ${out.statusCode} (${spec.id}, ${Date.now() - started} ms)`);
    } catch (error) {
      log(`${req.method} ${match.route.path} → 500 (${spec.id} failed: ${(error as Error).stack ?? String(error)})`);
      if (!res.headersSent) gatewayAnswer(res, 500, 'Internal Server Error', requestId);
      else res.destroy();
    } finally {
      clearTimeout(timer);
    }
  }

  return { routes, handle };
}
