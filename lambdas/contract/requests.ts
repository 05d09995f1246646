import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { AMAZON_STATE_PATTERN, MAX_CALLBACK_URI_LENGTH, SELLING_PARTNER_ID_PATTERN } from '../domain/amazon-parameters.js';
import { COMPLETION_HANDLE_PATTERN } from '../domain/sealing.js';
import { RETURN_PATH_PATTERN } from '../domain/return-path.js';
import { MARKETPLACES, type MarketplaceCode } from '../domain/marketplaces.js';

/**
 * The request bodies of the HTTP contract: the handlers parse with these very schemas, and the
 * OpenAPI document describes them from the same objects (`requestSchema` in
 * lambdas/contract/openapi-json.ts, at build time). zod/mini, not zod classic: these are the only
 * schemas a handler loads, and zod classic costs ~90 KiB and ×1.2 of a read path's cold start
 * (README "Performance"); mini with its English messages is ~20 KiB and parses the same.
 * Descriptions are registered in zod's global registry, where the JSON Schema conversion finds them.
 */

// zod/mini ships without messages; the same English ones as zod classic.
z.config(en());

const describe = <S extends z.ZodMiniType>(schema: S, meta: { description: string; example?: unknown }): S => {
  z.globalRegistry.add(schema, meta);
  return schema;
};

/**
 * Builds a schema where the bundler can see it has no side effects, so each handler's bundle
 * keeps only the schemas it parses with (a `describe` registration is a side effect and would
 * otherwise keep every schema of this module in every bundle that imports one).
 */
/* @__NO_SIDE_EFFECTS__ */
function schema<S>(build: () => S): S {
  return build();
}

/** A marketplace code in a body, in any letter case like the path parameter (`uk` = `UK`). */
const marketplaceCode = () =>
  describe(z.pipe(z.pipe(z.string(), z.transform((v: string) => v.toUpperCase())), z.enum(MARKETPLACES.map((m) => m.code) as [MarketplaceCode, ...MarketplaceCode[]])), {
    description: 'A marketplace code (MarketplaceCode), in any letter case, e.g. UK',
    example: 'UK',
  });

/** `PUT /v1/amazon/venues/{marketplace}`: exactly `{active}`; unknown fields are refused. */
export const SetVenueActiveBodySchema = schema(() => z.strictObject({ active: z.boolean() }));

export const StartAuthorizationRequest = schema(() => z.strictObject({
  returnPath: z.optional(
    describe(z.string().check(z.regex(RETURN_PATH_PATTERN, 'must be a path such as /settings/venues')), {
      description: 'Where the browser lands afterwards: one of the frontend paths this service is configured with (default: the first). Never a URL.',
    }),
  ),
}));
export type StartAuthorizationRequest = z.infer<typeof StartAuthorizationRequest>;

export const LoginContinuationRequest = schema(() => z.strictObject({
  amazonCallbackUri: describe(z.string().check(z.minLength(1), z.maxLength(MAX_CALLBACK_URI_LENGTH)), {
    description: '`amazon_callback_uri` exactly as Amazon sent it to the Log-in URI (an https Seller Central URL).',
  }),
  amazonState: describe(z.string().check(z.regex(AMAZON_STATE_PATTERN, 'is not a valid amazon_state')), { description: '`amazon_state` as Amazon sent it.' }),
  sellingPartnerId: describe(z.string().check(z.regex(SELLING_PARTNER_ID_PATTERN, 'is not a valid selling partner id')), { description: '`selling_partner_id` as Amazon sent it.' }),
  marketplace: marketplaceCode(),
}));
export type LoginContinuationRequest = z.infer<typeof LoginContinuationRequest>;

export const AuthorizationCompletionRequest = schema(() => z.strictObject({
  completion: describe(z.string().check(z.regex(COMPLETION_HANDLE_PATTERN, 'is not a completion handle')), {
    description: 'The `completion` value of the completion page’s URL fragment (`#completion=…`), exactly as the callback set it.',
  }),
  decision: z.optional(
    describe(z.enum(['confirm', 'cancel']), {
      description: 'Only after an answer with `amazonAuthorization: "confirm"` (a flow started on Amazon): the signed-in seller’s click on Connect or Cancel.',
    }),
  ),
}));
export type AuthorizationCompletionRequest = z.infer<typeof AuthorizationCompletionRequest>;
