import { SetVenueActiveBodySchema } from '../contract/requests.js';
import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { accountIdFrom, json, jsonApi, jsonBody, type JwtHttpEvent, marketplaceParam } from '../shared/http.js';
import { type ReadDeps, setVenueActive } from '../usecases/venues.js';
import { accountStore } from './wiring/dynamodb.js';

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

const cfg = config();
export const handler = makeSetVenueActiveHandler({ accounts: accountStore(), clock, accountClaim: cfg.accountClaim, tokenUse: cfg.jwtTokenUse });
