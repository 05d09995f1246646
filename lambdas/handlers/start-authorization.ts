import { StartAuthorizationRequest } from '../contract/requests.js';
import { type StartDeps, startAuthorization } from '../usecases/authorization-start.js';
import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { type JwtHttpEvent, accountIdFrom, json, jsonApi, jsonBody, marketplaceParam } from '../shared/http.js';
import { ticketStore } from './wiring/dynamodb.js';

/** `POST /v1/amazon/venues/{marketplace}/authorizations` → 201 `{authorizationUrl, expiresAt}`. */
export function makeStartAuthorizationHandler(deps: StartDeps & { readonly accountClaim: string; readonly tokenUse?: 'id' | 'access' | undefined }) {
  return jsonApi<JwtHttpEvent>('POST /v1/amazon/venues/{marketplace}/authorizations', async (event) => {
    const caller = accountIdFrom(event, deps.accountClaim, deps.tokenUse);
    const marketplace = marketplaceParam(event);
    const body = jsonBody(event, StartAuthorizationRequest, { optional: true });
    return json(201, await startAuthorization(deps, caller, marketplace, body.returnPath));
  });
}

const cfg = config();
export const handler = makeStartAuthorizationHandler({
  store: ticketStore(),
  clock,
  config: cfg,
  accountClaim: cfg.accountClaim,
  tokenUse: cfg.jwtTokenUse,
});
