import { DynamoAccountStore } from '../adapters/dynamo/account-store.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { eventPublisher } from '../adapters/events/client.js';
import { secretsManagerClient } from '../adapters/secrets/client.js';
import { SecretsManagerGrantSecretStore } from '../adapters/secrets/grant-secret-store.js';
import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { accountIdFrom, json, jsonApi, type JwtHttpEvent, marketplaceParam } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import { disconnect, type DisconnectDeps } from '../usecases/venues.js';

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
  accounts: new DynamoAccountStore(documentClient(), cfg.tableName),
  secrets: new SecretsManagerGrantSecretStore(secretsManagerClient(), {
    kmsKeyId: cfg.grantSecretKmsKeyId,
    recoveryWindowDays: cfg.secretRecoveryDays,
    stage: cfg.stage,
  }),
  events: eventPublisher(cfg.eventBusName),
  clock,
  log: logger,
  accountClaim: cfg.accountClaim,
  tokenUse: cfg.jwtTokenUse,
});
