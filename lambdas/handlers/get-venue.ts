import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { accountIdFrom, json, jsonApi, type JwtHttpEvent, marketplaceParam } from '../shared/http.js';
import { getVenue, type ReadDeps } from '../usecases/venues.js';
import { accountStore } from './wiring/dynamodb.js';

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

const cfg = config();
export const handler = makeGetVenueHandler({ accounts: accountStore(), clock, accountClaim: cfg.accountClaim, tokenUse: cfg.jwtTokenUse });
