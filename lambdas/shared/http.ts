import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import * as v from 'valibot';
import { ACCOUNT_ID_PATTERN } from '../domain/account.js';
import { DomainError, ERROR_STATUS, type ErrorCode, PayloadTooLargeError, UnauthorizedError, UnknownMarketplaceError, ValidationError } from '../domain/errors.js';
import { type MarketplaceCode, isMarketplaceCode } from '../domain/marketplaces.js';
import { isJsonObject } from './json.js';
import { logger } from './logger.js';
import { errorMapping, requestLogKeys } from './middleware.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type JwtHttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = Exclude<APIGatewayProxyResultV2, string>;

/** Bodies larger than this are refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;

/** HSTS on every answer of the service (JSON API and browser routes alike): two years, subdomains included. */
export const HSTS_HEADER: Readonly<Record<string, string>> = Object.freeze({ 'strict-transport-security': 'max-age=63072000; includeSubDomains' });

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...HSTS_HEADER };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const THROTTLING_ERRORS = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'TooManyRequestsException', 'LimitExceededException']);

/** An AWS service asked us to slow down (after the SDK's own retries): worth retrying shortly. */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: unknown; $retryable?: { throttling?: boolean } } | null;
  return Boolean(e && (e.$retryable?.throttling === true || (typeof e.name === 'string' && THROTTLING_ERRORS.has(e.name))));
}

/** An error answer for `code`, with the status ERROR_STATUS (domain/errors.ts) gives it. */
export function errorJson(code: ErrorCode, message: string, details?: unknown, headers: Record<string, string> = {}): HttpResult {
  return json(ERROR_STATUS[code], errorBody(code, message, details), headers);
}

/**
 * The one mapper from a thrown error to a response: DomainErrors keep their code, status (their
 * code's entry in ERROR_STATUS) and message; AWS throttling is a 503 the caller may retry;
 * anything else is our fault and says nothing about why. `headers` are added to the answer.
 */
export function errorResponse(error: unknown, headers: Record<string, string> = {}): HttpResult {
  if (error instanceof DomainError) {
    return json(error.httpStatus, errorBody(error.code, error.message, error.details), headers);
  }
  if (isThrottling(error)) {
    return errorJson('SERVICE_UNAVAILABLE', 'The service is busy right now. Please try again in a few seconds.', undefined, { ...headers, 'retry-after': '2' });
  }
  return errorJson('INTERNAL_ERROR', 'Something went wrong on our side. Please try again in a minute.', undefined, headers);
}

/**
 * A thrown error as the JSON API answers it: a DomainError is logged as a refusal, anything else
 * as a failure (name and message only, never the event); the answer is `errorResponse`'s.
 */
function jsonError(error: unknown): HttpResult {
  if (error instanceof DomainError) {
    logger.info('request refused', { code: error.code, status: error.httpStatus });
  } else {
    logger.error('request failed', { errorName: (error as Error | undefined)?.name, errorMessage: (error as Error | undefined)?.message });
  }
  return errorResponse(error);
}

/**
 * Wraps a JSON API handler with the shared middleware (./middleware.ts): request-scoped log keys
 * (route and request id, never the raw event) and error mapping to JSON error bodies.
 */
export function jsonApi<E extends HttpEvent | JwtHttpEvent>(
  route: string,
  fn: (event: E, context: Context) => Promise<HttpResult>,
) {
  return middy<E, HttpResult>().use(requestLogKeys<E>(route)).use(errorMapping<E>(jsonError)).handler(fn);
}

/**
 * The AoB account of the caller, taken only from the verified JWT claims. With `tokenUse` set,
 * a token of the other type (`token_use` claim) is refused: API Gateway's JWT authorizer checks
 * issuer, audience and expiry, not the token type.
 */
export function accountIdFrom(event: JwtHttpEvent, claimName: string, tokenUse?: 'id' | 'access'): { accountId: string; sub: string | undefined } {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  if (tokenUse !== undefined && claims.token_use !== tokenUse) throw new UnauthorizedError(`This API accepts only ${tokenUse} tokens.`);
  const accountId = claims[claimName];
  if (typeof accountId !== 'string' && typeof accountId !== 'number') throw new UnauthorizedError();
  const value = String(accountId);
  if (!ACCOUNT_ID_PATTERN.test(value)) throw new UnauthorizedError('The account claim of this token is not a valid AoB account id.');
  const sub = claims.sub;
  return { accountId: value, sub: typeof sub === 'string' ? sub : undefined };
}

/** The `{marketplace}` path parameter, or 400 listing the valid codes. */
export function marketplaceParam(event: HttpEvent): MarketplaceCode {
  const raw = event.pathParameters?.marketplace ?? '';
  const code = raw.toUpperCase();
  if (!isMarketplaceCode(code)) throw new UnknownMarketplaceError(raw);
  return code;
}

/** Parses and validates a JSON body (a JSON object) against a request schema (lambdas/contract/requests.ts); every problem is a 400. */
export function jsonBody<T>(event: HttpEvent, schema: v.GenericSchema<unknown, T>, { optional = false } = {}): T {
  let raw = event.body ?? '';
  if (event.isBase64Encoded && raw) raw = Buffer.from(raw, 'base64').toString('utf8');
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(MAX_BODY_BYTES);
  }
  let value: unknown;
  if (raw.trim() === '') {
    if (!optional) throw new ValidationError('The request needs a JSON body.');
    value = {};
  } else {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ValidationError('The request body is not valid JSON.');
    }
  }
  if (!isJsonObject(value)) {
    const message = `Invalid input: expected object, received ${kindOf(value)}`;
    throw new ValidationError(`The request body is not valid: body: ${message}`, { issues: [{ path: '', message }] });
  }
  const result = v.safeParse(schema, value, { message: issueMessage });
  if (!result.success) {
    const issues = result.issues.map((i) => ({ path: issuePath(i).map(safeName).join('.'), message: i.message }));
    throw new ValidationError('The request body is not valid: ' + issues.map((i) => `${i.path || 'body'}: ${i.message}`).join('; '), { issues });
  }
  return result.output;
}

/**
 * Field names come from the caller: valibot puts unknown ones in paths. A name is repeated back
 * only when it looks like a field name, so an error body never carries a value someone pasted
 * as a key (a token, a code) nor markup. Values are never repeated at all: valibot's own
 * messages quote them, so every issue without a message of the schema's gets one of these.
 */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;
const safeName = (key: unknown) => (typeof key === 'number' ? String(key) : typeof key === 'string' && FIELD_NAME.test(key) ? key : '(field)');

type Issue = v.BaseIssue<unknown>;

/** An unknown field is reported where the object is, as zod did: its name is in the message. */
const isUnknownField = (issue: Issue) => issue.type === 'strict_object' && issue.expected === 'never';

function issuePath(issue: Issue): unknown[] {
  const keys = (issue.path ?? []).map((item) => item.key);
  return isUnknownField(issue) ? keys.slice(0, -1) : keys;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function issueMessage(issue: Issue): string {
  if (isUnknownField(issue)) {
    const name = String(issue.input);
    return `Unknown field: ${FIELD_NAME.test(name) ? `"${name}"` : 'a field with an unexpected name'}`;
  }
  // The schema's own options (valibot writes them as `("a" | "b")`), never the value sent.
  if (issue.type === 'picklist') return `Invalid option: expected one of ${(issue.expected ?? '').replace(/^\((.*)\)$/, '$1')}`;
  if (issue.kind === 'schema' && issue.input === undefined) return 'is required';
  if (issue.kind === 'schema') return `Invalid input: expected ${(issue.expected ?? issue.type).toLowerCase()}, received ${kindOf(issue.input)}`;
  const { requirement } = issue as Issue & { requirement?: unknown };
  if (issue.type === 'min_length') return requirement === 1 ? 'must not be empty' : `must be at least ${String(requirement)} characters long`;
  if (issue.type === 'max_length') return `must be at most ${String(requirement)} characters long`;
  return 'is not valid';
}
