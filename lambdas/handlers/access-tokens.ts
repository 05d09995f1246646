import { AmazonUnavailableError, CallerNotAllowedError, PayloadTooLargeError, ValidationError } from '../domain/errors.js';
import { type MarketplaceCode, isMarketplaceCode, MARKETPLACE_CODES } from '../domain/marketplaces.js';
import { tokenConfig } from '../shared/token-config.js';
import { errorResponse, type HttpEvent, json, jsonApi, MAX_BODY_BYTES } from '../shared/http.js';
import { type AccessTokenDeps, vendAccessToken } from '../usecases/access-tokens.js';
import { tokenServiceDeps } from './wiring/token-service.js';

export const ACCESS_TOKENS_ROUTE = 'POST /internal/v1/amazon/access-tokens';

export interface AccessTokensHandlerDeps {
  readonly tokens: AccessTokenDeps;
  /** The stage's allow-list (TOKEN_CALLER_ROLE_ARNS). */
  readonly allowedRoleArns: readonly string[];
}

/**
 * The caller's role as `account|roleName`, from the IAM identity API Gateway verified (SigV4).
 * An assumed role arrives as `arn:aws:sts::<account>:assumed-role/<name>/<session>`; a configured
 * role ARN may carry a path (`…:role/team/name`), which the session ARN does not: both reduce to
 * the account and the role's name.
 */
export function roleOf(arn: string): string | null {
  const assumed = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+$/.exec(arn);
  if (assumed) return `${assumed[1]}|${assumed[2]}`;
  const role = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
  return role ? `${role[1]}|${role[2]}` : null;
}

function assertAllowed(event: HttpEvent, allowed: readonly string[]): void {
  const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: unknown } } }).authorizer?.iam;
  const caller = typeof iam?.userArn === 'string' ? roleOf(iam.userArn) : null;
  if (!caller || !allowed.some((arn) => roleOf(arn) === caller)) throw new CallerNotAllowedError();
}

const ACCOUNT_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** `{accountId, marketplace}` and nothing else; checked by hand to keep this function's bundle small. */
export function parseAccessTokenRequest(event: HttpEvent): { accountId: string; marketplace: MarketplaceCode } {
  let raw = event.body ?? '';
  if (event.isBase64Encoded && raw) raw = Buffer.from(raw, 'base64').toString('utf8');
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ValidationError('The request body must be JSON: {"accountId": "…", "marketplace": "UK"}.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError('The request body must be a JSON object: {"accountId": "…", "marketplace": "UK"}.');
  const body = value as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => k !== 'accountId' && k !== 'marketplace');
  if (unknown.length > 0) throw new ValidationError('The request body may hold only accountId and marketplace.');
  if (typeof body.accountId !== 'string' || !ACCOUNT_ID.test(body.accountId)) throw new ValidationError('accountId must be an AoB account id (1–128 letters, digits and . _ : @ -).');
  const code = typeof body.marketplace === 'string' ? body.marketplace.toUpperCase() : '';
  if (!isMarketplaceCode(code)) throw new ValidationError(`marketplace must be one of: ${MARKETPLACE_CODES.join(', ')}.`, { validMarketplaces: MARKETPLACE_CODES });
  return { accountId: body.accountId, marketplace: code };
}

/**
 * `POST /internal/v1/amazon/access-tokens` → 200 `{accessToken, expiresAt, sellingPartnerId,
 * region, spApiEndpoint, marketplaceId}`. Only for AoB's own services: API Gateway verifies the
 * SigV4 signature (AWS_IAM route), this handler the role against the stage's allow-list. The
 * refresh token never leaves the service and the access token is never logged.
 */
export function makeAccessTokensHandler(deps: AccessTokensHandlerDeps) {
  return jsonApi<HttpEvent>(ACCESS_TOKENS_ROUTE, async (event) => {
    assertAllowed(event, deps.allowedRoleArns);
    const request = parseAccessTokenRequest(event);
    try {
      return json(200, await vendAccessToken(deps.tokens, request.accountId, request.marketplace));
    } catch (error) {
      if (error instanceof AmazonUnavailableError) return errorResponse(error, { 'retry-after': String(error.retryAfterSeconds) });
      throw error;
    }
  });
}

export const handler = makeAccessTokensHandler({ tokens: tokenServiceDeps(), allowedRoleArns: tokenConfig().tokenCallerRoleArns });
