import { DynamoAccountStore } from '../adapters/dynamo/account-store.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { accountIdFrom, json, jsonApi, type JwtHttpEvent, marketplaceParam } from '../shared/http.js';
import { getVenue, type ReadDeps } from '../usecases/venues.js';

export interface GetVenueDeps extends ReadDeps {
  readonly accountClaim: string;
  readonly tokenUse?: 'id' | 'access' | undefined;
}

/** `GET /v1/amazon/venues/{marketplace}` → 200 `Venue`. */
export function makeGetVenueHandler(deps: GetVenueDeps) {
  return jsonApi<JwtHttpEvent>('GET /v1/amazon/venues/{marketplace}', async (event) => {
    const { accountId } = accountIdFrom(event, deps.accountClaim, deps.tokenUse);
    const code = marketplaceParam(event);
    return json(200, await getVenue(deps, accountId, code));
  });
}

export const handler = makeGetVenueHandler({
  accounts: new DynamoAccountStore(documentClient(), config().tableName),
  clock,
  accountClaim: config().accountClaim,
  tokenUse: config().jwtTokenUse,
});
