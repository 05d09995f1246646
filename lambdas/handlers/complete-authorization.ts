import { SecretsManagerAppCredentials } from '../adapters/amazon/app-credentials.js';
import { LwaClient } from '../adapters/amazon/lwa-client.js';
import { SellersClient } from '../adapters/amazon/sellers-client.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { DynamoGrantWriter } from '../adapters/dynamo/grant-writer.js';
import { DynamoPendingAuthorizationStore } from '../adapters/dynamo/pending-authorization-store.js';
import { AWS_CLIENT_TIMEOUTS } from '../adapters/aws-timeouts.js';
import { eventPublisher } from '../adapters/events/client.js';
import { secretsManagerClient } from '../adapters/secrets/client.js';
import { SecretsManagerGrantSecretStore } from '../adapters/secrets/grant-secret-store.js';
import type { AuthorizationCompletionResponse } from '../contract/authorizations.js';
import { AuthorizationCompletionRequest } from '../contract/requests.js';
import { type AuthorizationOutcome, outcomeUrl } from '../domain/authorization-outcomes.js';
import { outcomeText } from '../shared/page-text.js';
import { type CompletionDeps, completeAuthorization } from '../usecases/authorization-completion.js';
import { clock } from '../shared/clock.js';
import { type Config, config } from '../shared/config.js';
import { type JwtHttpEvent, accountIdFrom, errorJson, json, jsonApi, jsonBody } from '../shared/http.js';
import { logger } from '../shared/logger.js';

export type CompleteAuthorizationDeps = CompletionDeps & {
  readonly accountClaim: string;
  readonly tokenUse?: 'id' | 'access' | undefined;
  readonly frontend: Pick<Config, 'frontendUrl' | 'frontendReturnPaths'>;
};

/** The outcome as JSON, with the outcome page's URL when a frontend is configured (the same query the callback used to send). */
export function completionBody(frontend: CompleteAuthorizationDeps['frontend'], outcome: AuthorizationOutcome, returnPath: string | null): AuthorizationCompletionResponse {
  const body: AuthorizationCompletionResponse = { amazonAuthorization: outcome.kind, marketplace: outcome.marketplace, message: outcomeText(outcome).title };
  if (outcome.kind === 'error') body.reason = outcome.reason;
  else {
    if (outcome.notice) body.notice = outcome.notice;
    if (outcome.change) body.change = outcome.change.kind;
    if (outcome.change?.kind === 'replaced') body.replacedSellingPartnerId = outcome.change.sellingPartnerId;
  }
  if (frontend.frontendUrl) body.redirectUrl = outcomeUrl(frontend.frontendUrl, returnPath ?? frontend.frontendReturnPaths[0] ?? '/', outcome);
  return body;
}

/**
 * `POST /v1/amazon/authorization-completions` (JWT) → 200 with the outcome, or 403
 * `ACCOUNT_MISMATCH` when the flow belongs to another AoB account. The code exchange happens here.
 */
export function makeCompleteAuthorizationHandler(deps: CompleteAuthorizationDeps) {
  return jsonApi<JwtHttpEvent>('POST /v1/amazon/authorization-completions', async (event) => {
    const caller = accountIdFrom(event, deps.accountClaim, deps.tokenUse);
    const { completion, decision } = jsonBody(event, AuthorizationCompletionRequest);
    const result = await completeAuthorization(deps, caller, completion, decision);
    if (result.confirmation) {
      const { marketplace, ...confirmation } = result.confirmation;
      const who = confirmation.storeName ? `${confirmation.storeName} (${confirmation.sellingPartnerId})` : confirmation.sellingPartnerId;
      return json(200, { amazonAuthorization: 'confirm', marketplace, confirmation, message: `Connect the Amazon seller ${who} to the AoB account ${confirmation.accountId}?` } satisfies AuthorizationCompletionResponse);
    }
    const body = completionBody(deps.frontend, result.outcome, result.returnPath);
    if (result.outcome.kind === 'error' && result.outcome.reason === 'ACCOUNT_MISMATCH') return errorJson('ACCOUNT_MISMATCH', body.message, body);
    return json(200, body);
  });
}

/**
 * Every outbound wait of the completion is bounded, so a slow Amazon or AWS answer ends in an
 * outcome instead of the function timing out (29 s) and API Gateway answering a bare 503: one LWA
 * exchange (twice only after invalid_client with a rotated secret), one Sellers API read, and
 * Secrets Manager requests that never hang on a dead connection.
 */
export const COMPLETION_TIMEOUTS = Object.freeze({
  lwaMs: 6000,
  sellersMs: 5000,
  awsConnectMs: AWS_CLIENT_TIMEOUTS.connectionTimeout,
  awsRequestMs: AWS_CLIENT_TIMEOUTS.requestTimeout,
});

const cfg = config();
export const handler = makeCompleteAuthorizationHandler({
  store: new DynamoPendingAuthorizationStore(documentClient(), cfg.tableName),
  lwa: new LwaClient({
    tokenUrl: cfg.lwaTokenUrl,
    redirectUri: cfg.redirectUri,
    credentials: new SecretsManagerAppCredentials(secretsManagerClient(), cfg.appSecretName),
    timeoutMs: COMPLETION_TIMEOUTS.lwaMs,
  }),
  sellers: new SellersClient({ endpointOverride: cfg.spApiEndpointOverride, timeoutMs: COMPLETION_TIMEOUTS.sellersMs }),
  secrets: new SecretsManagerGrantSecretStore(secretsManagerClient(), { kmsKeyId: cfg.grantSecretKmsKeyId, recoveryWindowDays: cfg.secretRecoveryDays, stage: cfg.stage }),
  grants: new DynamoGrantWriter(documentClient(), cfg.tableName),
  events: eventPublisher(cfg.eventBusName),
  clock,
  log: logger,
  config: cfg,
  accountClaim: cfg.accountClaim,
  tokenUse: cfg.jwtTokenUse,
  frontend: cfg,
});
