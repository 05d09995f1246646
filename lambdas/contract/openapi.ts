import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { registerAccessTokenPaths } from './access-tokens.js';
import { registerAuthorizationPaths } from './authorizations.js';
import { BEARER_AUTH, errorResponses, JWT_ROUTE_ERRORS } from './errors.js';
import { requestSchema } from './openapi-json.js';
import { SetVenueActiveBodySchema } from './requests.js';
import { MarketplacePathSchema, VenueListSchema, VenueSchema } from './venues.js';

/**
 * The OpenAPI 3.1 document of the HTTP contract, generated from the same zod schemas the handlers
 * validate with, so the document cannot describe an API that does not exist. It is generated when
 * a function is built, never at cold start: esbuild writes it into the bundle in place of
 * `__AOB_OPENAPI_DOCUMENT__` (lib/constructs/service-function.ts), and where nothing is bundled
 * (the local stack, tests) `installOpenApiDocument()` sets that global before the first request.
 */

const UNKNOWN_MARKETPLACE = { 400: '`UNKNOWN_MARKETPLACE`: the path names no supported marketplace; `details.validMarketplaces` lists them.' };

function registerVenuePaths(registry: OpenAPIRegistry): void {
  const security = [{ [BEARER_AUTH]: [] }];
  const venue = { description: 'The venue', content: { 'application/json': { schema: VenueSchema } } };

  registry.registerPath({
    method: 'get',
    path: '/v1/amazon/venues',
    operationId: 'listVenues',
    summary: 'Every Amazon marketplace of the account with its token status',
    description: 'All supported marketplaces, NA → EU → FE, in one call. Venues never authorized are listed with status `none`.',
    tags: ['Venues'],
    security,
    responses: {
      200: { description: 'The venues', content: { 'application/json': { schema: VenueListSchema } } },
      ...errorResponses(JWT_ROUTE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/v1/amazon/venues/{marketplace}',
    operationId: 'getVenue',
    summary: 'One venue with its token status',
    tags: ['Venues'],
    security,
    request: { params: MarketplacePathSchema },
    responses: { 200: venue, ...errorResponses({ ...UNKNOWN_MARKETPLACE, ...JWT_ROUTE_ERRORS }) },
  });

  registry.registerPath({
    method: 'put',
    path: '/v1/amazon/venues/{marketplace}',
    operationId: 'setVenueActive',
    summary: 'Set a venue Active or inactive',
    description:
      'Activation needs a current or expiring authorization and a seller registered on the marketplace; deactivating is always allowed. Asking for the state the venue is already in changes nothing.',
    tags: ['Venues'],
    security,
    request: { params: MarketplacePathSchema, body: { required: true, content: { 'application/json': { schema: requestSchema(registry, 'SetVenueActive', SetVenueActiveBodySchema) } } } },
    responses: {
      200: venue,
      ...errorResponses({
        400: '`UNKNOWN_MARKETPLACE`, or `VALIDATION_FAILED`: the body is missing, not JSON, or not exactly `{"active": boolean}`.',
        409:
          '`NO_TOKEN`, `TOKEN_EXPIRED`, `TOKEN_REVOKED` or `NOT_REGISTERED`: the venue cannot be set Active (the message says why and what to do); `CONCURRENT_UPDATE`: another request changed it at the same moment.',
        413: '`PAYLOAD_TOO_LARGE`: the body is larger than 16 KB.',
        ...JWT_ROUTE_ERRORS,
      }),
    },
  });

  registry.registerPath({
    method: 'delete',
    path: '/v1/amazon/venues/{marketplace}/authorization',
    operationId: 'disconnect',
    summary: 'Disconnect the Amazon authorization serving a venue',
    description:
      'Removes the authorization (in NA and EU it serves every venue of the region; in FE only this one), deactivates the venues it served, schedules its refresh token for deletion and announces `Amazon Authorization Disconnected`. Returns the venues it covered, as they stand now.',
    tags: ['Venues'],
    security,
    request: { params: MarketplacePathSchema },
    responses: {
      200: { description: 'The venues the authorization covered', content: { 'application/json': { schema: VenueListSchema } } },
      ...errorResponses({
        ...UNKNOWN_MARKETPLACE,
        404: '`NO_AUTHORIZATION`: no authorization serves this venue; nothing changed.',
        409: '`CONCURRENT_UPDATE`: another request changed these venues at the same moment.',
        ...JWT_ROUTE_ERRORS,
      }),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'openApiDocument',
    summary: 'This document',
    tags: ['Meta'],
    responses: { 200: { description: 'The OpenAPI 3.1 document', content: { 'application/json': { schema: z.object({ openapi: z.string() }).loose() } } } },
  });
}

export interface OpenApiOptions {
  /** The API's public base URL, listed as the document's server. */
  readonly serverUrl: string;
}

/** The registry every route of the contract is registered in, with the shared components. */
function contractRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER_AUTH, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The AoB session JWT. The account comes only from its account claim, never from the URL or body.',
  });
  registerVenuePaths(registry);
  registerAuthorizationPaths(registry);
  registerAccessTokenPaths(registry);
  return registry;
}

export function buildOpenApiDocument(options: OpenApiOptions): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  return new OpenApiGeneratorV31(contractRegistry().definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'AoB Amazon Connect',
      version: '1.0.0',
      description:
        'Connects an AoB account to Amazon Selling Partner API marketplaces: authorizations, token status and venue activation. Every error body has the shape `{"error": {"code", "message", "details"?}}`.',
    },
    servers: [{ url: options.serverUrl }],
  });
}

/** The identifier the OpenAPI handler reads its document from (esbuild `define` when bundled). */
export const OPENAPI_DOCUMENT_GLOBAL = '__AOB_OPENAPI_DOCUMENT__';

/** The document as JSON text without `servers`: the handler adds the deployment's own URL. */
export function openApiDocumentText(): string {
  const { servers: _servers, ...document } = buildOpenApiDocument({ serverUrl: 'https://example.invalid' });
  return JSON.stringify(document);
}

/** For code that runs the handler unbundled (the local stack, tests): what the bundler does for Lambda. */
export function installOpenApiDocument(): void {
  (globalThis as Record<string, unknown>)[OPENAPI_DOCUMENT_GLOBAL] ??= openApiDocumentText();
}
