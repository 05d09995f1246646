import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { NOTICE_CODES, REASON_CODES } from '../domain/authorization.js';
import { BEARER_AUTH, JWT_ROUTE_ERRORS, errorResponses } from './errors.js';
import { requestSchema } from './openapi-json.js';
import { LoginContinuationRequest, StartAuthorizationRequest } from './requests.js';
import { MarketplacePathSchema } from './venues.js';

export { LoginContinuationRequest, StartAuthorizationRequest } from './requests.js';

/**
 * HTTP contract of the authorization flow: the OpenAPI description of all five auth routes. The
 * bodies of the two JWT routes are in ./requests.ts (zod/mini, what the handlers parse with),
 * re-exported here.
 */

const linkExpiresAt = z.iso.datetime().meta({ description: 'The URL and the whole authorization must be completed before this time (at most 10 minutes).' });

export const StartAuthorizationResponse = z
  .object({
    authorizationUrl: z.url().meta({ description: 'Open this once in the seller’s browser (top-level navigation). Usable once.' }),
    expiresAt: linkExpiresAt,
  })
  .meta({ id: 'StartAuthorizationResponse' });
export type StartAuthorizationResponse = z.infer<typeof StartAuthorizationResponse>;


export const LoginContinuationResponse = z
  .object({
    authorizationUrl: z.url().meta({ description: 'Open this once in the seller’s browser to continue on Amazon. Usable once.' }),
    expiresAt: linkExpiresAt,
  })
  .meta({ id: 'LoginContinuationResponse' });
export type LoginContinuationResponse = z.infer<typeof LoginContinuationResponse>;

const browserHeaders = z.object({
  Location: z.string().optional(),
  'Referrer-Policy': z.literal('no-referrer'),
  'Cache-Control': z.literal('no-store'),
});
const htmlPage = (description: string) => ({ description, headers: browserHeaders, content: { 'text/html': { schema: z.string() } } });
const redirect = (description: string) => ({ description, headers: browserHeaders });

const internalErrorPage = htmlPage('A fault on our side: a page saying so, with a link back to Venue Settings. Never a stack trace.');

const callbackQueryDescription = [
  'Outcome redirect (303) to `{FRONTEND_URL}{returnPath}` with query',
  '`amazon_authorization=success&marketplace=UK` (plus `&notice=NOT_REGISTERED` when the grant was stored but the seller does not sell on that marketplace) or',
  '`amazon_authorization=error&marketplace=UK&reason=CODE` (marketplace omitted when the state was unknown).',
  `Reason codes: ${REASON_CODES.join(', ')}. Notices: ${NOTICE_CODES.join(', ')}.`,
  'With no frontend configured the outcome is an HTML page instead.',
].join(' ');

/** The five auth routes, for the service's OpenAPI document (`GET /v1/openapi.json`). */
export function registerAuthorizationPaths(registry: OpenAPIRegistry): void {
  // The bearer scheme is registered once by contract/openapi.ts.
  const security = [{ [BEARER_AUTH]: [] }];

  registry.registerPath({
    method: 'post',
    path: '/v1/amazon/venues/{marketplace}/authorizations',
    operationId: 'startAuthorization',
    summary: 'Start authorizing a marketplace',
    description: 'Creates a one-time authorization link (valid at most 10 minutes). Open it in the seller’s browser; it sends the seller to Amazon’s consent page.',
    tags: ['Authorization'],
    security,
    request: {
      params: MarketplacePathSchema,
      body: { required: false, content: { 'application/json': { schema: requestSchema(registry, 'StartAuthorizationRequest', StartAuthorizationRequest) } } },
    },
    responses: {
      201: { description: 'Authorization link created.', content: { 'application/json': { schema: StartAuthorizationResponse } } },
      ...errorResponses({
        ...JWT_ROUTE_ERRORS,
        400: '`UNKNOWN_MARKETPLACE` (details list the valid codes) or `VALIDATION_FAILED` (e.g. a returnPath that is not one of the configured frontend paths).',
        413: '`PAYLOAD_TOO_LARGE`.',
      }),
    },
  });

  registry.registerPath({
    method: 'post',
    path: '/v1/amazon/login-continuations',
    operationId: 'continueLogin',
    summary: 'Continue an authorization that started on Amazon',
    description: 'For flows started in Seller Central (Authorize / Re-Authorize): the frontend’s connect page passes on what Amazon sent to the Log-in URI and gets a one-time link that continues on Amazon.',
    tags: ['Authorization'],
    security,
    request: { body: { required: true, content: { 'application/json': { schema: requestSchema(registry, 'LoginContinuationRequest', LoginContinuationRequest) } } } },
    responses: {
      201: { description: 'Continuation link created.', content: { 'application/json': { schema: LoginContinuationResponse } } },
      ...errorResponses({
        ...JWT_ROUTE_ERRORS,
        400: '`VALIDATION_FAILED`: e.g. an amazonCallbackUri that is not an Amazon Seller Central URL, or an unknown marketplace.',
        413: '`PAYLOAD_TOO_LARGE`.',
      }),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/v1/amazon/authorize/{ticket}',
    operationId: 'authorizeTicket',
    summary: 'Open a one-time authorization link (browser)',
    description:
      'Redeems the ticket (once), sets the HttpOnly binding cookie `aob_amazon_auth` (Path=/v1/amazon/, SameSite=Lax) and redirects to Amazon: the consent page, or for a continued flow the `amazon_callback_uri`.',
    tags: ['Authorization (browser)'],
    request: { params: z.object({ ticket: z.string() }) },
    responses: {
      302: redirect('To Amazon Seller Central, with the binding cookie set.'),
      404: htmlPage('The link is unknown, was already used or has expired: a page that says so and links back to Venue Settings.'),
      500: internalErrorPage,
      503: htmlPage('AoB’s Amazon app credentials are missing or unreadable (reference `APP_CREDENTIALS_INVALID`): an ops problem; the page asks the seller to try again later.'),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/v1/amazon/login',
    operationId: 'amazonLogin',
    summary: 'Amazon Log-in URI (browser)',
    tags: ['Authorization (browser)'],
    request: {
      query: z.object({
        amazon_callback_uri: z.string(),
        amazon_state: z.string(),
        selling_partner_id: z.string(),
        version: z.string().optional(),
      }),
    },
    responses: {
      302: redirect('With the binding cookie of a pending authorization: to `amazon_callback_uri?amazon_state=…&state=…`. Without: to the frontend connect page with the three parameters.'),
      400: htmlPage('Parameters missing, duplicated or not from Amazon.'),
      200: htmlPage('No frontend configured: a page asking the seller to sign in to AoB first.'),
      500: internalErrorPage,
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/v1/amazon/callback',
    operationId: 'amazonCallback',
    summary: 'Amazon Redirect URI (browser)',
    tags: ['Authorization (browser)'],
    request: {
      query: z.object({
        state: z.string(),
        selling_partner_id: z.string().optional(),
        spapi_oauth_code: z.string().optional(),
        error: z.string().optional(),
        error_description: z.string().optional(),
      }),
    },
    responses: {
      303: redirect(callbackQueryDescription),
      200: htmlPage('No frontend configured: the success outcome as a page (what happened and what to do next).'),
      400: htmlPage('No frontend configured: an error outcome the seller can act on (e.g. `STATE_INVALID`, `BROWSER_MISMATCH`, `ACCESS_DENIED`) as a page naming its reason code.'),
      503: htmlPage('No frontend configured: `AMAZON_UNAVAILABLE`, `APP_CREDENTIALS_INVALID` or `SERVICE_UNAVAILABLE` as a page naming its reason code.'),
    },
  });
}
