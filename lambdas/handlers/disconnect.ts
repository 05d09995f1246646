import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { accountIdFrom, json, jsonApi, type JwtHttpEvent, marketplaceParam } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import { disconnect, type DisconnectDeps } from '../usecases/venues.js';
import { accountStore } from './wiring/dynamodb.js';
import { eventPublisher } from './wiring/eventbridge.js';
import { grantSecretStore } from './wiring/secrets-manager.js';

export interface DisconnectHandlerDeps extends DisconnectDeps {
  readonly accountClaim: string;
  readonly tokenUse?: 'id' | 'access' | undefined;
}

/** `DELETE /v1/amazon/venues/{marketplace}/authorization` → 200 `{venues}`: the venues the removed grant covered. */
export function makeDisconnectHandler(deps: DisconnectHandlerDeps) {
  return jsonApi<JwtHttpEvent>('DELETE /v1/amazon/venues/{marketplace}/authorization', async (event) => {
    const { accountId } = accountIdFrom(event, deps.accountClaim, deps.tokenUse);
    const code = marketplaceParam(event);
    return json(200, { venues: await disconnect(deps, accountId, code) });
  });
}

const cfg = config();
export const handler = makeDisconnectHandler({
  accounts: accountStore(),
  secrets: grantSecretStore(),
  events: eventPublisher(),
  clock,
  log: logger,
  accountClaim: cfg.accountClaim,
  tokenUse: cfg.jwtTokenUse,
});
