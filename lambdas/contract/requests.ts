import * as v from 'valibot';
import { ACCOUNT_ID_PATTERN } from '../domain/account.js';
import { AMAZON_STATE_PATTERN, MAX_CALLBACK_URI_LENGTH, SELLING_PARTNER_ID_PATTERN } from '../domain/amazon-parameters.js';
import { COMPLETION_HANDLE_PATTERN } from '../domain/sealing.js';
import { RETURN_PATH_PATTERN } from '../domain/return-path.js';
import { MARKETPLACES, type MarketplaceCode } from '../domain/marketplaces.js';

/**
 * The request bodies of the HTTP contract: the handlers parse with these very schemas
 * (`jsonBody`, lambdas/shared/http.ts), and the OpenAPI document describes them from the same
 * objects (`requestSchema` in lambdas/contract/openapi-json.ts, at build time).
 *
 * valibot rather than zod: a handler builds its schema at every cold start, and a valibot schema
 * is a plain object built by a plain function, where zod/mini's core costs a function that
 * parses a body about 5% of its SDK floor (README, "Performance"). Descriptions sit in the pipe
 * before any transformation, where the JSON Schema conversion (input side) reads them.
 *
 * Every schema here is an object schema; `jsonBody` refuses anything but a JSON object before
 * parsing (valibot's object schemas would take a list as an object with no fields).
 */

/**
 * Builds a schema where the bundler can see it has no side effects, so each handler's bundle
 * keeps only the schemas it parses with. valibot marks its own builders so, but esbuild honours
 * the mark only for calls in the file that declares the function: without this, every handler
 * that parses one of these bodies carried all of them (test/integration/venue-handler-imports.test.ts).
 */
/* @__NO_SIDE_EFFECTS__ */
function schema<S>(build: () => S): S {
  return build();
}

/** A marketplace code in a body, in any letter case like the path parameter (`uk` = `UK`). */
const marketplaceCode = () =>
  v.pipe(
    v.string(),
    v.description('A marketplace code (MarketplaceCode), in any letter case, e.g. UK'),
    v.examples(['UK']),
    v.toUpperCase(),
    v.picklist(MARKETPLACES.map((m) => m.code) as [MarketplaceCode, ...MarketplaceCode[]]),
  );

/** `PUT /v1/amazon/venues/{marketplace}`: exactly `{active}`; unknown fields are refused. */
export const SetVenueActiveBodySchema = schema(() => v.strictObject({ active: v.boolean() }));

export const StartAuthorizationRequest = schema(() =>
  v.strictObject({
    returnPath: v.optional(
      v.pipe(
        v.string(),
        v.regex(RETURN_PATH_PATTERN, 'must be a path such as /settings/venues'),
        v.description('Where the browser lands afterwards: one of the frontend paths this service is configured with (default: the first). Never a URL.'),
      ),
    ),
  }),
);
export type StartAuthorizationRequest = v.InferOutput<typeof StartAuthorizationRequest>;

export const LoginContinuationRequest = schema(() =>
  v.strictObject({
    amazonCallbackUri: v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(MAX_CALLBACK_URI_LENGTH),
      v.description('`amazon_callback_uri` exactly as Amazon sent it to the Log-in URI (an https Seller Central URL).'),
    ),
    amazonState: v.pipe(v.string(), v.regex(AMAZON_STATE_PATTERN, 'is not a valid amazon_state'), v.description('`amazon_state` as Amazon sent it.')),
    sellingPartnerId: v.pipe(v.string(), v.regex(SELLING_PARTNER_ID_PATTERN, 'is not a valid selling partner id'), v.description('`selling_partner_id` as Amazon sent it.')),
    marketplace: marketplaceCode(),
  }),
);
export type LoginContinuationRequest = v.InferOutput<typeof LoginContinuationRequest>;

export const AuthorizationCompletionRequest = schema(() =>
  v.strictObject({
    completion: v.pipe(
      v.string(),
      v.regex(COMPLETION_HANDLE_PATTERN, 'is not a completion handle'),
      v.description('The `completion` value of the completion page’s URL fragment (`#completion=…`), exactly as the callback set it.'),
    ),
    decision: v.optional(
      v.pipe(
        v.picklist(['confirm', 'cancel']),
        v.description('Only after an answer with `amazonAuthorization: "confirm"` (a flow started on Amazon): the signed-in seller’s click on Connect or Cancel.'),
      ),
    ),
  }),
);
export type AuthorizationCompletionRequest = v.InferOutput<typeof AuthorizationCompletionRequest>;

/**
 * `POST /internal/v1/amazon/access-tokens` (AoB's own services, SigV4): exactly
 * `{accountId, marketplace}`.
 */
export const AccessTokenRequest = schema(() =>
  v.strictObject({
    accountId: v.pipe(
      v.string(),
      v.regex(ACCOUNT_ID_PATTERN, 'must be an AoB account id (1–128 letters, digits and . _ : @ -)'),
      v.description('The AoB account whose seller the call is for.'),
      v.examples(['acct-123']),
    ),
    marketplace: marketplaceCode(),
  }),
);
export type AccessTokenRequest = v.InferOutput<typeof AccessTokenRequest>;
