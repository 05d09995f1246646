import { buildOpenApiDocument } from '../contract/openapi.js';
import { config } from '../shared/config.js';
import { type HttpEvent, json, jsonApi } from '../shared/http.js';

export interface OpenApiDeps {
  /** Builds the document; called once per container. */
  readonly document: () => unknown;
}

/** `GET /v1/openapi.json` (no auth): the OpenAPI 3.1 document of the contract. */
export function makeOpenApiHandler(deps: OpenApiDeps) {
  let doc: string | undefined;
  return jsonApi<HttpEvent>('GET /v1/openapi.json', async () => {
    doc ??= JSON.stringify(deps.document());
    return { ...json(200, null, { 'cache-control': 'public, max-age=300' }), body: doc };
  });
}

export const handler = makeOpenApiHandler({ document: () => buildOpenApiDocument({ serverUrl: config().apiBaseUrl }) });
