import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { accountIdFrom, json, jsonApi, type JwtHttpEvent } from '../shared/http.js';
import { listVenues, type ReadDeps } from '../usecases/venues.js';
import { accountStore } from './wiring/dynamodb.js';

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

const cfg = config();
export const handler = makeListVenuesHandler({ accounts: accountStore(), clock, accountClaim: cfg.accountClaim, tokenUse: cfg.jwtTokenUse });
