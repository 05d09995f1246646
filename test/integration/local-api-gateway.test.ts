import { type Server, createServer } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { FUNCTIONS, type FunctionSpec } from '../../lambdas/functions.js';
import { createApiGateway, matchRoute, queryParameters, routesFrom } from '../../local/api-gateway.js';
import { closeServer, listen } from '../../local/aws/server.js';
import { createDevJwt } from '../../local/jwt.js';

/**
 * The API Gateway stand-in builds the HTTP API payload-format-2.0 event the handlers get in
 * Lambda, and turns their results into responses the way API Gateway does.
 */

const specs: FunctionSpec[] = [
  { id: 'List', entry: 'x.ts', route: { method: 'GET', path: '/v1/amazon/venues', auth: 'jwt' }, access: {}, bundleBudgetKiB: 1 },
  { id: 'Get', entry: 'x.ts', route: { method: 'GET', path: '/v1/amazon/venues/{marketplace}', auth: 'jwt' }, access: {}, bundleBudgetKiB: 1 },
  { id: 'Put', entry: 'x.ts', route: { method: 'PUT', path: '/v1/amazon/venues/{marketplace}', auth: 'jwt' }, access: {}, bundleBudgetKiB: 1 },
  { id: 'Ticket', entry: 'x.ts', route: { method: 'GET', path: '/v1/amazon/authorize/{ticket}', auth: 'public' }, access: {}, bundleBudgetKiB: 1 },
  { id: 'Fixed', entry: 'x.ts', route: { method: 'GET', path: '/v1/amazon/authorize/help', auth: 'public' }, access: {}, bundleBudgetKiB: 1 },
  { id: 'Throws', entry: 'x.ts', route: { method: 'GET', path: '/v1/throws', auth: 'public' }, access: {}, bundleBudgetKiB: 1 },
  { id: 'Plain', entry: 'x.ts', route: { method: 'GET', path: '/v1/plain', auth: 'public' }, access: {}, bundleBudgetKiB: 1 },
  { id: 'Sweep', entry: 'x.ts', access: {}, bundleBudgetKiB: 1 },
];

let received: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];
let nextResult: unknown = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
let server: Server;
let base: string;
let token: string;
const jwtPromise = createDevJwt({ issuer: 'http://127.0.0.1/__dev', audience: 'aob-local', accountClaim: 'custom:accountId' });

beforeAll(async () => {
  const jwt = await jwtPromise;
  token = await jwt.issue({ accountId: 'acc-1', sub: 'user-1' });
  const api = createApiGateway({
    functions: specs,
    region: 'eu-west-1',
    authorize: (h) => jwt.authorize(h),
    maxBodyBytes: 1024,
    handlerFor: async (spec) => async (event) => {
      if (spec.id === 'Throws') throw new Error('boom');
      received.push(event as APIGatewayProxyEventV2WithJWTAuthorizer);
      return spec.id === 'Plain' ? { hello: 'world' } : nextResult;
    },
  });
  server = createServer((req, res) => void api.handle(req, res));
  base = `http://127.0.0.1:${await listen(server, 0)}`;
});

afterAll(() => closeServer(server));

beforeEach(() => {
  received = [];
  nextResult = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
});

const lastEvent = () => received.at(-1) as APIGatewayProxyEventV2WithJWTAuthorizer;

describe('routes from the function manifest', () => {
  it('serves every routed function of lambdas/functions.ts and nothing for the scheduled sweep', () => {
    const routes = routesFrom(FUNCTIONS);

    expect(routes.map((r) => r.routeKey).sort()).toEqual(FUNCTIONS.flatMap((f) => ('route' in f ? [`${f.route.method} ${f.route.path}`] : [])).sort());
  });

  it('prefers a literal segment over a path parameter, like API Gateway', () => {
    const match = matchRoute(routesFrom(specs), 'GET', '/v1/amazon/authorize/help');

    expect(match?.route.spec.id).toBe('Fixed');
  });

  it('does not match an empty path parameter', () => {
    expect(matchRoute(routesFrom(specs), 'GET', '/v1/amazon/venues/')).toBeUndefined();
  });
});

describe('the event a handler receives', () => {
  it('is a version 2.0 event with route key, raw path and query, decoded path parameters and lower-cased headers', async () => {
    await fetch(`${base}/v1/amazon/authorize/t%2Bk?b=2&a=1&a=x%20y&flag`, { headers: { 'X-Custom': 'Value' } });

    expect(lastEvent()).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/amazon/authorize/{ticket}',
      rawPath: '/v1/amazon/authorize/t%2Bk',
      rawQueryString: 'b=2&a=1&a=x%20y&flag',
      queryStringParameters: { a: '1,x y', b: '2', flag: '' },
      pathParameters: { ticket: 't+k' },
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', path: '/v1/amazon/authorize/t%2Bk', sourceIp: '127.0.0.1', protocol: 'HTTP/1.1' },
        routeKey: 'GET /v1/amazon/authorize/{ticket}',
        stage: '$default',
      },
    });
    expect(lastEvent().headers['x-custom']).toBe('Value');
    expect(lastEvent().requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lastEvent().requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(lastEvent().requestContext.authorizer).toBeUndefined();
  });

  it('has no query parameters and no cookies when the request has none', async () => {
    await fetch(`${base}/v1/amazon/authorize/abc`);

    expect(lastEvent().rawQueryString).toBe('');
    expect(lastEvent().queryStringParameters).toBeUndefined();
    expect(lastEvent().cookies).toBeUndefined();
  });

  it('moves cookies to the cookies array and out of the headers', async () => {
    await fetch(`${base}/v1/amazon/authorize/abc`, { headers: { cookie: 'a=1; b=2' } });

    expect(lastEvent().cookies).toEqual(['a=1', 'b=2']);
    expect(lastEvent().headers.cookie).toBeUndefined();
  });

  it('joins duplicate query parameters with commas', () => {
    expect(queryParameters('x=1&x=2&x=3&y=')).toEqual({ x: '1,2,3', y: '' });
  });

  it('passes a JSON body as text and a binary body base64-encoded', async () => {
    await fetch(`${base}/v1/amazon/venues/uk`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"active":true}' });
    expect(lastEvent()).toMatchObject({ body: '{"active":true}', isBase64Encoded: false });

    await fetch(`${base}/v1/amazon/venues/uk`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: Buffer.from([1, 2, 3]) });
    expect(lastEvent()).toMatchObject({ body: Buffer.from([1, 2, 3]).toString('base64'), isBase64Encoded: true });
  });

  it('carries the verified JWT claims as strings on jwt routes', async () => {
    await fetch(`${base}/v1/amazon/venues`, { headers: { authorization: `Bearer ${token}` } });

    const claims = lastEvent().requestContext.authorizer.jwt.claims;
    expect(claims).toMatchObject({ 'custom:accountId': 'acc-1', sub: 'user-1', iss: 'http://127.0.0.1/__dev', aud: 'aob-local' });
    expect(typeof claims.exp).toBe('string');
  });
});

describe('API Gateway answers', () => {
  it('refuses a jwt route without a valid token with 401 {"message":"Unauthorized"} and never calls the handler', async () => {
    const cases: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-jwt' }, { authorization: `Bearer ${token}x` }, { authorization: 'Basic dXNlcjpwYXNz' }];
    for (const headers of cases) {
      const response = await fetch(`${base}/v1/amazon/venues`, { headers });

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
    }
    expect(received).toEqual([]);
  });

  it('refuses an expired token, one from another issuer and one for another audience', async () => {
    const jwt = await jwtPromise;
    const other = await createDevJwt({ issuer: 'http://127.0.0.1/__dev', audience: 'someone-else', accountClaim: 'custom:accountId' });
    const foreign = await createDevJwt({ issuer: 'http://127.0.0.1/other', audience: 'aob-local', accountClaim: 'custom:accountId' });
    const tokens = [await jwt.issue({ accountId: 'acc-1', ttlSeconds: -60 }), await other.issue({ accountId: 'acc-1' }), await foreign.issue({ accountId: 'acc-1' })];

    for (const t of tokens) {
      expect((await fetch(`${base}/v1/amazon/venues`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    }
  });

  it('answers 404 {"message":"Not Found"} for unknown paths and for a known path with another method', async () => {
    for (const [method, path] of [['GET', '/v1/nothing'], ['DELETE', '/v1/amazon/venues'], ['POST', '/v1/amazon/authorize/abc']] as const) {
      const response = await fetch(`${base}${path}`, { method });

      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: 'Not Found' });
    }
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await fetch(`${base}/v1/amazon/venues/uk`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: 'x'.repeat(2048) });

    expect(response.status).toBe(413);
    expect(received).toEqual([]);
  });

  it('answers 500 {"message":"Internal Server Error"} when the function throws, without details', async () => {
    const response = await fetch(`${base}/v1/throws`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('writes status, headers, body and every cookie as its own Set-Cookie header', async () => {
    nextResult = { statusCode: 302, headers: { Location: 'https://example.test/next', 'Cache-Control': 'no-store' }, cookies: ['a=1; Path=/v1; HttpOnly', 'b=2; Path=/'] };

    const response = await fetch(`${base}/v1/amazon/authorize/abc`, { redirect: 'manual' });

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://example.test/next');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/v1; HttpOnly', 'b=2; Path=/']);
  });

  it('decodes a base64 result body', async () => {
    nextResult = { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('bytes').toString('base64'), isBase64Encoded: true };

    const response = await fetch(`${base}/v1/amazon/authorize/abc`);

    expect(await response.text()).toBe('bytes');
  });

  it('takes a result without a status code as a 200 JSON body', async () => {
    const response = await fetch(`${base}/v1/plain`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ hello: 'world' });
  });
});
