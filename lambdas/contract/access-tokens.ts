import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { errorResponses } from './errors.js';
import { requestSchema } from './openapi-json.js';
import { AccessTokenRequest } from './requests.js';

/**
 * The internal access-token route, for AoB's own services (docs/tokens.md). Its request body is
 * the handler's own schema (`AccessTokenRequest`, ./requests.ts); the answer is described here.
 */

/** Name of the SigV4 security scheme in the OpenAPI document. */
export const SIGV4_AUTH = 'sigv4';

export const AccessTokenSchema = z
  .object({
    accessToken: z.string().meta({ description: 'LWA access token for the `x-amz-access-token` header of SP-API calls. Never log it.', example: 'Atza|IwEB…' }),
    expiresAt: z.iso.datetime().meta({ description: 'When the token stops working (about an hour after it was issued). Cache it until about a minute before.' }),
    sellingPartnerId: z.string().meta({ example: 'A3SELLERID' }),
    region: z.enum(['NA', 'EU', 'FE']),
    spApiEndpoint: z.url().meta({ description: "The SP-API origin of the seller's region.", example: 'https://sellingpartnerapi-eu.amazon.com' }),
    marketplaceId: z.string().meta({ description: "Amazon's marketplace id of the venue.", example: 'A1F83G8C2ARO7P' }),
  })
  .meta({ id: 'AccessToken' });

export function registerAccessTokenPaths(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', SIGV4_AUTH, {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    description: "AWS Signature Version 4 (service `execute-api`), signed with the credentials of an IAM role on the stage's `tokenCallerRoleArns`.",
  });
  registry.registerPath({
    method: 'post',
    path: '/internal/v1/amazon/access-tokens',
    operationId: 'vendAccessToken',
    summary: "Internal: an SP-API access token for an AoB account's venue",
    description:
      'For AoB services only (SigV4, allow-listed IAM roles). Answers a cached token while it has more than about a minute left; otherwise one caller refreshes it at Amazon and the others reuse that. The refresh token never leaves the service.',
    tags: ['Internal'],
    security: [{ [SIGV4_AUTH]: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: requestSchema(registry, 'AccessTokenRequest', AccessTokenRequest) } } } },
    responses: {
      200: { description: 'The access token', content: { 'application/json': { schema: AccessTokenSchema } } },
      ...errorResponses({
        400: '`VALIDATION_FAILED`: the body is not exactly `{"accountId", "marketplace"}` with a supported marketplace code.',
        403: "`CALLER_NOT_ALLOWED`: the signing role is not on the stage's allow-list. (A missing, JWT or bad signature gets API Gateway's own 403 `{\"message\"}`.)",
        404: '`NO_AUTHORIZATION`: no Amazon authorization covers this venue; the seller has to authorize first.',
        409: '`TOKEN_EXPIRED`: the 365-day authorization ran out; `AUTHORIZATION_REVOKED`: the seller revoked AoB on Amazon. Either way the seller has to authorize again.',
        503: '`APP_CREDENTIALS_INVALID`: Amazon refused AoB\'s app credentials (ops are alerted; retrying will not help until fixed); `AMAZON_UNAVAILABLE`: Amazon did not answer in time, retry after `Retry-After` seconds.',
      }),
    },
  });
}
