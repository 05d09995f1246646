import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { NOTICE_CODES, REASON_CODES } from '../domain/authorization-outcomes.js';
import { BEARER_AUTH, JWT_ROUTE_ERRORS, errorResponses } from './errors.js';
import { requestSchema } from './openapi-json.js';
import { AuthorizationCompletionRequest, LoginContinuationRequest, StartAuthorizationRequest } from './requests.js';
import { MarketplacePathSchema } from './venues.js';

export { AuthorizationCompletionRequest, LoginContinuationRequest, StartAuthorizationRequest } from './requests.js';

/**
 * HTTP contract of the authorization flow: the OpenAPI description of the auth routes. The
 * bodies of the three JWT routes are in ./requests.ts (valibot, what the handlers parse with),
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


export const AuthorizationCompletionResponse = z
  .object({
    amazonAuthorization: z
      .enum(['success', 'error', 'confirm'])
      .meta({ description: '`success`/`error`: the same value the outcome page gets as `amazon_authorization`. `confirm`: a flow started on Amazon, exchanged but not saved: show `confirmation` and post again with `decision`.' }),
    marketplace: z.string().nullable().meta({ description: 'The marketplace of the flow; null when the handle named no flow.' }),
    confirmation: z
      .object({
        sellingPartnerId: z.string().meta({ description: 'The Amazon seller being connected (a label: never use it to find data of another account).' }),
        storeName: z.string().nullable().meta({ description: 'The seller’s store name from the Sellers API, when Amazon reports one.' }),
        accountId: z.string().meta({ description: 'The AoB account it is being connected to (the signed-in one).' }),
      })
      .optional(),
    reason: z.enum(REASON_CODES).optional().meta({ description: 'For `error`: the same code the outcome page gets as `reason`.' }),
    notice: z.enum(NOTICE_CODES).optional(),
    change: z
      .enum(['renewed', 'replaced'])
      .optional()
      .meta({ description: 'For `success`: `renewed` when the same Amazon seller re-authorized (a new year), `replaced` when it replaced another Amazon seller account of the same region. The outcome page gets it as `change`. Absent for a first connection.' }),
    replacedSellingPartnerId: z
      .string()
      .optional()
      .meta({ description: 'With `change: replaced`: the Amazon seller account whose authorization was replaced (the outcome page gets it as `replaced`).' }),
    message: z.string().meta({ description: 'A plain sentence naming the outcome; safe to show.' }),
    redirectUrl: z
      .url()
      .optional()
      .meta({ description: 'The outcome page on the frontend (`{FRONTEND_URL}{returnPath}?amazon_authorization=…`), when a frontend is configured: navigate there.' }),
  })
  .meta({ id: 'AuthorizationCompletionResponse' });
export type AuthorizationCompletionResponse = z.infer<typeof AuthorizationCompletionResponse>;

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
  '`amazon_authorization=success&marketplace=UK` (plus `&notice=NOT_REGISTERED` when the grant was stored but the seller does not sell on that marketplace, `&change=renewed` for a re-authorization of the same seller, `&change=replaced&replaced={sellingPartnerId}` when it replaced another seller account of the region) or',
  '`amazon_authorization=error&marketplace=UK&reason=CODE` (marketplace omitted when the state was unknown).',
  `Reason codes: ${REASON_CODES.join(', ')}. Notices: ${NOTICE_CODES.join(', ')}.`,
  'With no frontend configured the outcome is an HTML page instead.',
].join(' ');

/** The six auth routes, for the service's OpenAPI document (`GET /v1/openapi.json`). */
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
    method: 'post',
    path: '/v1/amazon/authorization-completions',
    operationId: 'completeAuthorization',
    summary: 'Complete an authorization Amazon confirmed (completion page)',
    description: [
      'The callback keeps Amazon’s one-time code sealed and sends the browser to `{FRONTEND_URL}{FRONTEND_COMPLETION_PATH}#completion={handle}`.',
      'The completion page posts the handle with the signed-in seller’s JWT at once (no click).',
      'Only when the JWT’s account (and `sub`) is the one that started the flow is the code exchanged at Amazon and the grant stored;',
      'Amazon’s code lives 5 minutes, so the completion must come within 5 minutes of the callback.',
      'Repeating a completion that succeeded answers the success again; the code is never sent twice.',
      'A flow started on Amazon (Seller Central) is exchanged but not saved: the answer is `confirm` with the seller (store name, selling partner id) and the AoB account, and the page posts again with `decision` after the seller’s click (within 10 minutes).',
    ].join(' '),
    tags: ['Authorization'],
    security,
    request: { body: { required: true, content: { 'application/json': { schema: requestSchema(registry, 'AuthorizationCompletionRequest', AuthorizationCompletionRequest) } } } },
    responses: {
      200: { description: 'The outcome (success or an error reason such as `CODE_EXCHANGE_FAILED`, `STATE_INVALID`).', content: { 'application/json': { schema: AuthorizationCompletionResponse } } },
      ...errorResponses({
        ...JWT_ROUTE_ERRORS,
        400: '`VALIDATION_FAILED`: the body is not `{completion}` with a completion handle.',
        403: '`ACCOUNT_MISMATCH`: the flow was started from another AoB account (or user). Nothing was saved; `details` is the outcome (with `redirectUrl`) to show.',
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
      303: redirect(`Amazon's code is kept sealed and the browser goes to the completion page \`{FRONTEND_URL}{FRONTEND_COMPLETION_PATH}#completion={handle}\` (see completeAuthorization); nothing is stored yet. Refused or declined flows: ${callbackQueryDescription}`),
      200: htmlPage('No frontend configured: a page saying Amazon confirmed and the authorization must be finished in AoB, naming the completion reference.'),
      400: htmlPage('No frontend configured: an error outcome the seller can act on (e.g. `STATE_INVALID`, `BROWSER_MISMATCH`, `ACCESS_DENIED`) as a page naming its reason code.'),
      503: htmlPage('No frontend configured: `AMAZON_UNAVAILABLE`, `APP_CREDENTIALS_INVALID` or `SERVICE_UNAVAILABLE` as a page naming its reason code.'),
    },
  });
}
