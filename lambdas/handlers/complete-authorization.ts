import type { AuthorizationCompletionResponse } from '../contract/authorizations.js';
import { AuthorizationCompletionRequest } from '../contract/requests.js';
import { type AuthorizationOutcome, outcomeUrl } from '../domain/authorization-outcomes.js';
import { outcomeText } from '../shared/page-text.js';
import { type CompletionDeps, completeAuthorization } from '../usecases/authorization-completion.js';
import { clock } from '../shared/clock.js';
import { type Config, config } from '../shared/config.js';
import { type JwtHttpEvent, accountIdFrom, errorJson, json, jsonApi, jsonBody } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import { completionStore, grantWriter } from './wiring/dynamodb.js';
import { eventPublisher } from './wiring/eventbridge.js';
import { completionLwaClient } from './wiring/lwa.js';
import { grantSecretStore } from './wiring/secrets-manager.js';
import { sellersClient } from './wiring/sellers-api.js';

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

const cfg = config();
export const handler = makeCompleteAuthorizationHandler({
  store: completionStore(),
  lwa: completionLwaClient(),
  sellers: sellersClient(),
  secrets: grantSecretStore(),
  grants: grantWriter(),
  events: eventPublisher(),
  clock,
  log: logger,
  config: cfg,
  accountClaim: cfg.accountClaim,
  tokenUse: cfg.jwtTokenUse,
  frontend: cfg,
});
