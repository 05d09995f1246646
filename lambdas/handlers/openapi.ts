import { config } from '../shared/config.js';
import { type HttpEvent, json, jsonApi } from '../shared/http.js';

/**
 * The document's JSON text, generated at build time: esbuild replaces this identifier with it
 * (lib/constructs/service-function.ts). Unbundled (local stack, tests) it is a global set by
 * `installOpenApiDocument()` from lambdas/contract/openapi.ts. The handler never imports the
 * generator: no zod-to-openapi, no schema conversion at cold start.
 */
declare const __AOB_OPENAPI_DOCUMENT__: string;

export interface OpenApiDeps {
  /** The document as JSON text, without `servers`; read on the first request only. */
  readonly document: () => string;
  /** The API's public base URL, listed as the document's server. */
  readonly serverUrl: string;
}

/** `GET /v1/openapi.json` (no auth): the OpenAPI 3.1 document of the contract. */
export function makeOpenApiHandler(deps: OpenApiDeps) {
  let doc: string | undefined;
  return jsonApi<HttpEvent>('GET /v1/openapi.json', async () => {
    if (doc === undefined) {
      const { openapi, info, ...rest } = JSON.parse(deps.document()) as Record<string, unknown>;
      doc = JSON.stringify({ openapi, info, servers: [{ url: deps.serverUrl }], ...rest });
    }
    return { ...json(200, null, { 'cache-control': 'public, max-age=300' }), body: doc };
  });
}

export const handler = makeOpenApiHandler({ document: () => __AOB_OPENAPI_DOCUMENT__, serverUrl: config().apiBaseUrl });
