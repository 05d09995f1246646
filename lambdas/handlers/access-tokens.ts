import { AccessTokenRequest } from '../contract/requests.js';
import { AmazonUnavailableError, CallerNotAllowedError } from '../domain/errors.js';
import { tokenConfig } from '../shared/token-config.js';
import { errorResponse, type HttpEvent, json, jsonApi, jsonBody } from '../shared/http.js';
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

/**
 * `POST /internal/v1/amazon/access-tokens` → 200 `{accessToken, expiresAt, sellingPartnerId,
 * region, spApiEndpoint, marketplaceId}`. Only for AoB's own services: API Gateway verifies the
 * SigV4 signature (AWS_IAM route), this handler the role against the stage's allow-list. The
 * refresh token never leaves the service and the access token is never logged.
 */
export function makeAccessTokensHandler(deps: AccessTokensHandlerDeps) {
  return jsonApi<HttpEvent>(ACCESS_TOKENS_ROUTE, async (event) => {
    assertAllowed(event, deps.allowedRoleArns);
    const request = jsonBody(event, AccessTokenRequest);
    try {
      return json(200, await vendAccessToken(deps.tokens, request.accountId, request.marketplace));
    } catch (error) {
      if (error instanceof AmazonUnavailableError) return errorResponse(error, { 'retry-after': String(error.retryAfterSeconds) });
      throw error;
    }
  });
}

export const handler = makeAccessTokensHandler({ tokens: tokenServiceDeps(), allowedRoleArns: tokenConfig().tokenCallerRoleArns });
