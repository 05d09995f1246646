import * as v from 'valibot';
import { AMAZON_STATE_PATTERN, MAX_CALLBACK_URI_LENGTH, SELLING_PARTNER_ID_PATTERN } from '../domain/amazon-parameters.js';
import { ONE_TIME_VALUE_PATTERN } from '../domain/one-time-values.js';

/**
 * The inputs of the browser routes, one schema per route: each parameter the route reads, whether
 * it must be there, and the characters and length it may have (S10). Parameters a route does not
 * read (Amazon adds some, e.g. `version`, `error_description`) are ignored. The query itself is
 * read by `browserQuery` (lambdas/shared/pages.ts): a parameter sent twice, or a query longer
 * than 8 KiB, leaves nothing to validate (`null`, an `unreadable` issue here).
 *
 * valibot object schemas, like every schema a function loads, behind a `safeParse` that answers
 * with the first problem only, as a page names one thing to fix: which parameter, and whether it
 * is missing or invalid. Never its value: it could be a code or a state.
 */

export type RequestIssue =
  /** The query could not be read as single parameters (`browserQuery` answered null). */
  | { readonly code: 'unreadable' }
  | { readonly code: 'missing' | 'invalid'; readonly parameter: string };

export type RequestParse<T> = { readonly success: true; readonly data: T } | { readonly success: false; readonly issue: RequestIssue };

export interface RequestSchema<T> {
  /** The first problem, in the order the parameters are declared, or the values. */
  safeParse(input: Readonly<Record<string, string | undefined>> | null): RequestParse<T>;
}

/** A parameter of these characters and lengths. */
const parameter = (pattern: RegExp) => v.pipe(v.string(), v.regex(pattern));

/**
 * Takes a function that builds the entries, and is marked free of side effects, so a bundle keeps
 * only the schemas its handler uses: esbuild honours valibot's own marks only for calls in
 * valibot's files (test/integration/venue-handler-imports.test.ts).
 */
/* @__NO_SIDE_EFFECTS__ */
function requestSchema<const E extends v.ObjectEntries>(entries: () => E): RequestSchema<v.InferOutput<v.ObjectSchema<E, undefined>>> {
  const schema = v.object(entries());
  return {
    safeParse(input) {
      if (input === null) return { success: false, issue: { code: 'unreadable' } };
      const result = v.safeParse(schema, input, { abortEarly: true });
      if (result.success) return { success: true, data: result.output };
      const [issue] = result.issues;
      return { success: false, issue: { code: issue.input === undefined ? 'missing' : 'invalid', parameter: String(issue.path?.[0]?.key) } };
    },
  };
}

/** Amazon's authorization code as it appears in the Redirect URI. */
export const CODE_PATTERN = /^[A-Za-z0-9._~+/=-]{1,512}$/;
/** An OAuth error code Amazon sends instead of a code (e.g. `access_denied`). */
export const ERROR_PATTERN = /^[a-z_]{1,64}$/;
/**
 * `amazon_callback_uri` before its full check (parseAmazonCallbackUri, which needs the
 * configuration): at most 2048 printable ASCII characters, no backslash, no `#`. Anything this
 * refuses, the full check refuses too.
 */
export const CALLBACK_URI_SHAPE = /* @__PURE__ */ new RegExp(`^[\\x21\\x22\\x24-\\x5b\\x5d-\\x7e]{1,${MAX_CALLBACK_URI_LENGTH}}$`);

/**
 * `GET /v1/amazon/callback`, Amazon's Redirect URI. Every parameter is optional here: a callback
 * without a state is the use case's to refuse (and log), like one whose state is unknown.
 */
export const CallbackQuery = requestSchema(() => ({
  state: v.optional(parameter(ONE_TIME_VALUE_PATTERN)),
  spapi_oauth_code: v.optional(parameter(CODE_PATTERN)),
  selling_partner_id: v.optional(parameter(SELLING_PARTNER_ID_PATTERN)),
  error: v.optional(parameter(ERROR_PATTERN)),
}));

/** `GET /v1/amazon/login`, Amazon's Log-in URI: the three parameters Amazon always sends. */
export const LoginQuery = requestSchema(() => ({
  amazon_callback_uri: parameter(CALLBACK_URI_SHAPE),
  amazon_state: parameter(AMAZON_STATE_PATTERN),
  selling_partner_id: parameter(SELLING_PARTNER_ID_PATTERN),
}));

/** `GET /v1/amazon/authorize/{ticket}`: the ticket in the path (its query is not read). */
export const AuthorizeTicketPath = requestSchema(() => ({
  ticket: parameter(ONE_TIME_VALUE_PATTERN),
}));
