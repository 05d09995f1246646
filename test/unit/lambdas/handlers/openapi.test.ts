import { jest } from '@jest/globals';
import { buildOpenApiDocument, installOpenApiDocument, openApiDocumentText } from '../../../../lambdas/contract/openapi.js';
import { FUNCTIONS, type FunctionSpec } from '../../../../lambdas/functions.js';
import { handler, makeOpenApiHandler } from '../../../../lambdas/handlers/openapi.js';
import { aLambdaContext, aPublicRequest, bodyOf } from '../../../builders/requests.js';

type Operation = { operationId?: string; security?: Record<string, string[]>[]; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>; parameters?: { name: string; in: string }[] };
type Doc = { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> } };

const VENUE_ROUTES = ['ListVenues', 'GetVenue', 'SetVenueActive', 'Disconnect', 'OpenApi'] as const;
const routeOf = (id: string) => (FUNCTIONS as readonly FunctionSpec[]).find((f) => f.id === id)!.route!;

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument({ serverUrl: 'https://api.example.test' }) as unknown as Doc;

  it('is OpenAPI 3.1 with the API as its server', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'https://api.example.test' }]);
  });

  it('documents each venue route of the function manifest at exactly its path and method', () => {
    for (const id of VENUE_ROUTES) {
      const route = routeOf(id);
      expect(doc.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
    }
  });

  it('documents every HTTP route of the function manifest, and no other', () => {
    const manifest = (FUNCTIONS as readonly FunctionSpec[]).flatMap((f) => (f.route ? [`${f.route.method.toLowerCase()} ${f.route.path}`] : []));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));

    expect(documented.sort()).toEqual(manifest.sort());
  });

  it('protects exactly the manifest\'s JWT routes with a bearer scheme, and its IAM routes with SigV4', () => {
    for (const f of FUNCTIONS as readonly FunctionSpec[]) {
      if (!f.route) continue;
      const op = doc.paths[f.route.path]![f.route.method.toLowerCase()]!;
      if (f.route.auth === 'jwt') {
        expect(op.security).toHaveLength(1);
        const scheme = Object.keys(op.security![0]!)[0]!;
        expect(doc.components.securitySchemes[scheme]).toMatchObject({ type: 'http', scheme: 'bearer' });
      } else if (f.route.auth === 'iam') {
        expect(op.security).toEqual([{ sigv4: [] }]);
        expect(doc.components.securitySchemes.sigv4).toMatchObject({ type: 'apiKey', name: 'Authorization', in: 'header' });
      } else {
        expect(op.security).toBeUndefined();
      }
    }
  });

  it('puts the JWT routes behind bearer auth and leaves the document itself public', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const id of VENUE_ROUTES) {
      const route = routeOf(id);
      const op = doc.paths[route.path]![route.method.toLowerCase()]!;
      if (route.auth === 'jwt') expect(op.security).toEqual([{ bearerAuth: [] }]);
      else expect(op.security).toBeUndefined();
    }
  });

  it('gives every JWT route 401 and 500 responses in the shared error shape', () => {
    for (const id of VENUE_ROUTES.filter((r) => r !== 'OpenApi')) {
      const route = routeOf(id);
      const op = doc.paths[route.path]![route.method.toLowerCase()]!;
      for (const status of ['401', '500']) expect(op.responses[status]!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/Error');
    }
    expect(doc.paths['/v1/amazon/venues/{marketplace}']!.put!.responses['409']).toBeDefined();
    expect(doc.paths['/v1/amazon/venues/{marketplace}']!.put!.responses['413']).toBeDefined();
    expect(doc.paths['/v1/amazon/venues/{marketplace}/authorization']!.delete!.responses['404']).toBeDefined();
  });

  it('names every operation once, so generated clients get stable method names', () => {
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));

    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes every {marketplace} path parameter with the one MarketplaceCode schema', () => {
    const withMarketplace = Object.entries(doc.paths).filter(([path]) => path.includes('{marketplace}'));
    const params = withMarketplace.flatMap(([, ops]) => Object.values(ops).flatMap((op) => (op.parameters ?? []).filter((p) => p.name === 'marketplace')));

    expect(params).toHaveLength(4);
    for (const p of params) expect((p as unknown as { schema: { $ref?: string } }).schema.$ref).toBe('#/components/schemas/MarketplaceCode');
  });

  it('describes the marketplace path parameter with the 23 codes', () => {
    const op = doc.paths['/v1/amazon/venues/{marketplace}']!.get!;

    expect(op.parameters).toEqual([expect.objectContaining({ name: 'marketplace', in: 'path', required: true })]);
    expect((doc.components.schemas.MarketplaceCode as { enum: string[] }).enum).toHaveLength(23);
  });

  it('holds the contract\'s schemas, the PUT body closed to unknown fields', () => {
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Venue', 'VenueList', 'TokenView', 'Activation', 'Error', 'SetVenueActive']));
    expect(doc.components.schemas.SetVenueActive).toMatchObject({ required: ['active'], additionalProperties: false });
  });
});

describe('GET /v1/openapi.json', () => {
  // What esbuild does for the Lambda bundle (test/infra/bundle-size.test.ts checks that one).
  beforeAll(() => installOpenApiDocument());

  it('serves the document without authentication, cacheable', async () => {
    const result = await handler(aPublicRequest('/v1/openapi.json'), aLambdaContext());

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' });
    expect(bodyOf(result)).toMatchObject({ openapi: '3.1.0', servers: [{ url: 'https://api.aob.test' }] });
  });

  it('serves the build-time document with the deployment\'s own URL as its server', async () => {
    const serve = makeOpenApiHandler({ document: openApiDocumentText, serverUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com' });

    const body = bodyOf(await serve(aPublicRequest('/v1/openapi.json'), aLambdaContext()));

    expect(body).toEqual(buildOpenApiDocument({ serverUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com' }));
    expect(Object.keys(body as object).slice(0, 3)).toEqual(['openapi', 'info', 'servers']);
  });

  it('reads the document once per container', async () => {
    const document = jest.fn(() => JSON.stringify({ openapi: '3.1.0', info: { title: 't' } }));
    const serve = makeOpenApiHandler({ document, serverUrl: 'https://api.aob.test' });

    await serve(aPublicRequest('/v1/openapi.json'), aLambdaContext());
    const second = await serve(aPublicRequest('/v1/openapi.json'), aLambdaContext());

    expect(document).toHaveBeenCalledTimes(1);
    expect(bodyOf(second)).toEqual({ openapi: '3.1.0', info: { title: 't' }, servers: [{ url: 'https://api.aob.test' }] });
  });
});
