import { DynamoAccountStore } from '../adapters/dynamo/account-store.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { SetVenueActiveBodySchema } from '../contract/requests.js';
import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { accountIdFrom, json, jsonApi, jsonBody, type JwtHttpEvent, marketplaceParam } from '../shared/http.js';
import { type ReadDeps, setVenueActive } from '../usecases/venues.js';

export interface SetVenueActiveDeps extends ReadDeps {
  readonly accountClaim: string;
  readonly tokenUse?: 'id' | 'access' | undefined;
}

/** `PUT /v1/amazon/venues/{marketplace}` `{active}` → 200 `Venue`, or 409 when it cannot be set Active. */
export function makeSetVenueActiveHandler(deps: SetVenueActiveDeps) {
  return jsonApi<JwtHttpEvent>('PUT /v1/amazon/venues/{marketplace}', async (event) => {
    const { accountId } = accountIdFrom(event, deps.accountClaim, deps.tokenUse);
    const code = marketplaceParam(event);
    const { active } = jsonBody(event, SetVenueActiveBodySchema);
    return json(200, await setVenueActive(deps, accountId, code, active));
  });
}

export const handler = makeSetVenueActiveHandler({
  accounts: new DynamoAccountStore(documentClient(), config().tableName),
  clock,
  accountClaim: config().accountClaim,
  tokenUse: config().jwtTokenUse,
});
