import { AMAZON_STATE_PATTERN, MAX_CALLBACK_URI_LENGTH, SELLING_PARTNER_ID_PATTERN } from '../domain/amazon-parameters.js';
import { ONE_TIME_VALUE_PATTERN } from '../domain/one-time-values.js';

/**
 * The inputs of the browser routes, one schema per route: each parameter the route reads, whether
 * it must be there, and the characters and length it may have (S10). Parameters a route does not
 * read (Amazon adds some, e.g. `version`, `error_description`) are ignored. The query itself is
 * read by `browserQuery` (lambdas/shared/pages.ts): a parameter sent twice, or a query longer
 * than 8 KiB, leaves nothing to validate (`null`, an `unreadable` issue here).
 *
 * Not zod: Login and Callback load no zod, and zod/mini's smallest parser (object, string, regex)
 * would add 14 KiB to each of these bundles, which must not grow (test/infra/bundle-size.test.ts).
 * These schemas answer `safeParse` as a zod schema does, so a handler reads the same either way.
 */

export interface Parameter<Required extends boolean = boolean> {
  readonly pattern: RegExp;
  readonly required: Required;
}

type Parameters = Readonly<Record<string, Parameter>>;

/** The values of a valid input: a required parameter is always there. */
export type ValuesOf<P extends Parameters> = { readonly [K in keyof P]: P[K] extends Parameter<true> ? string : string | undefined };

export type RequestIssue =
  /** The query could not be read as single parameters (`browserQuery` answered null). */
  | { readonly code: 'unreadable' }
  | { readonly code: 'missing' | 'invalid'; readonly parameter: string };

export type RequestParse<T> = { readonly success: true; readonly data: T } | { readonly success: false; readonly issue: RequestIssue };

export interface RequestSchema<T> {
  /** The first problem, in the order the parameters are declared, or the values. */
  safeParse(input: Readonly<Record<string, string | undefined>> | null): RequestParse<T>;
}

/** Marked pure where called, so a bundle keeps only the schemas its handler uses. */
function requestSchema<const P extends Parameters>(parameters: P): RequestSchema<ValuesOf<P>> {
  return {
    safeParse(input) {
      if (input === null) return { success: false, issue: { code: 'unreadable' } };
      const data: Record<string, string | undefined> = {};
      for (const [name, parameter] of Object.entries(parameters)) {
        const value = Object.hasOwn(input, name) ? input[name] : undefined;
        if (value === undefined) {
          if (parameter.required) return { success: false, issue: { code: 'missing', parameter: name } };
          continue;
        }
        if (!parameter.pattern.test(value)) return { success: false, issue: { code: 'invalid', parameter: name } };
        data[name] = value;
      }
      return { success: true, data: data as ValuesOf<P> };
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
export const CallbackQuery = /* @__PURE__ */ requestSchema({
  state: { pattern: ONE_TIME_VALUE_PATTERN, required: false },
  spapi_oauth_code: { pattern: CODE_PATTERN, required: false },
  selling_partner_id: { pattern: SELLING_PARTNER_ID_PATTERN, required: false },
  error: { pattern: ERROR_PATTERN, required: false },
});

/** `GET /v1/amazon/login`, Amazon's Log-in URI: the three parameters Amazon always sends. */
export const LoginQuery = /* @__PURE__ */ requestSchema({
  amazon_callback_uri: { pattern: CALLBACK_URI_SHAPE, required: true },
  amazon_state: { pattern: AMAZON_STATE_PATTERN, required: true },
  selling_partner_id: { pattern: SELLING_PARTNER_ID_PATTERN, required: true },
});

/** `GET /v1/amazon/authorize/{ticket}`: the ticket in the path (its query is not read). */
export const AuthorizeTicketPath = /* @__PURE__ */ requestSchema({
  ticket: { pattern: ONE_TIME_VALUE_PATTERN, required: true },
});
