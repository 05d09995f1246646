import { DynamoAccountStore } from '../adapters/dynamo/account-store.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { accountIdFrom, json, jsonApi, type JwtHttpEvent } from '../shared/http.js';
import { listVenues, type ReadDeps } from '../usecases/venues.js';

export interface ListVenuesDeps extends ReadDeps {
  /** The JWT claim carrying the AoB account id. */
  readonly accountClaim: string;
  readonly tokenUse?: 'id' | 'access' | undefined;
}

/** `GET /v1/amazon/venues` → 200 `{venues}`: every marketplace of the caller's account. */
export function makeListVenuesHandler(deps: ListVenuesDeps) {
  return jsonApi<JwtHttpEvent>('GET /v1/amazon/venues', async (event) => {
    const { accountId } = accountIdFrom(event, deps.accountClaim, deps.tokenUse);
    return json(200, { venues: await listVenues(deps, accountId) });
  });
}

export const handler = makeListVenuesHandler({
  accounts: new DynamoAccountStore(documentClient(), config().tableName),
  clock,
  accountClaim: config().accountClaim,
  tokenUse: config().jwtTokenUse,
});
