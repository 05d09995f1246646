import { LoginContinuationRequest } from '../contract/requests.js';
import type { MarketplaceCode } from '../domain/marketplaces.js';
import { type StartDeps, continueLogin } from '../usecases/authorization-start.js';
import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { type JwtHttpEvent, accountIdFrom, json, jsonApi, jsonBody } from '../shared/http.js';
import { ticketStore } from './wiring/dynamodb.js';

/** `POST /v1/amazon/login-continuations` → 201 `{authorizationUrl, expiresAt}` (flow started on Amazon). */
export function makeContinueLoginHandler(deps: StartDeps & { readonly accountClaim: string; readonly tokenUse?: 'id' | 'access' | undefined }) {
  return jsonApi<JwtHttpEvent>('POST /v1/amazon/login-continuations', async (event) => {
    const caller = accountIdFrom(event, deps.accountClaim, deps.tokenUse);
    const body = jsonBody(event, LoginContinuationRequest);
    return json(201, await continueLogin(deps, caller, { ...body, marketplace: body.marketplace as MarketplaceCode }));
  });
}

const cfg = config();
export const handler = makeContinueLoginHandler({
  store: ticketStore(),
  clock,
  config: cfg,
  accountClaim: cfg.accountClaim,
  tokenUse: cfg.jwtTokenUse,
});
