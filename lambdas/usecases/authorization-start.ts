import { authorizationExpiry } from '../domain/flow-lifetimes.js';
import { hashOneTime, newOneTimeValue } from '../domain/one-time-values.js';
import { parseAmazonCallbackUri } from '../domain/amazon-parameters.js';
import { resolveReturnPath } from '../domain/return-path.js';
import { ReturnPathError } from '../domain/errors.js';
import { sealForTicket } from '../domain/sealing.js';
import { ValidationError } from '../domain/errors.js';
import type { MarketplaceCode } from '../domain/marketplaces.js';
import type { Clock } from '../ports/clock.js';
import type { TicketStore } from '../ports/pending-authorizations.js';
import type { Config } from '../shared/config.js';

/**
 * The two JWT routes that start a flow: both mint a one-time ticket URL the browser opens once.
 * Only the ticket's hash is stored; state and binding cookie are minted when it is redeemed.
 */
export interface StartDeps {
  readonly store: TicketStore;
  readonly clock: Clock;
  readonly config: Pick<Config, 'apiBaseUrl' | 'frontendReturnPaths' | 'authTtlMs' | 'sellerCentralUrlOverride'>;
  /** CSPRNG one-time values; replaceable in tests only to count or observe them. */
  readonly newValue?: () => string;
}

export interface Caller {
  readonly accountId: string;
  readonly sub: string | undefined;
}

export interface TicketUrl {
  readonly authorizationUrl: string;
  readonly expiresAt: string;
}

export async function startAuthorization(deps: StartDeps, caller: Caller, marketplace: MarketplaceCode, requestedReturnPath: string | undefined): Promise<TicketUrl> {
  let returnPath: string;
  try {
    returnPath = resolveReturnPath(requestedReturnPath, deps.config.frontendReturnPaths);
  } catch (error) {
    if (error instanceof ReturnPathError) {
      throw new ValidationError(`returnPath is not one of the frontend paths this service returns to. Use one of: ${error.allowed.join(', ')}.`, { allowed: error.allowed });
    }
    throw error;
  }
  return mintTicket(deps, caller, marketplace, returnPath, null);
}

export interface ContinuationInput {
  readonly marketplace: MarketplaceCode;
  readonly amazonCallbackUri: string;
  readonly amazonState: string;
  readonly sellingPartnerId: string;
}

export async function continueLogin(deps: StartDeps, caller: Caller, input: ContinuationInput): Promise<TicketUrl> {
  const callback = parseAmazonCallbackUri(input.amazonCallbackUri, { sellerCentralUrlOverride: deps.config.sellerCentralUrlOverride });
  if (!callback) {
    throw new ValidationError('The link from Amazon does not lead back to Amazon Seller Central, so AoB will not follow it. Start again from Manage Your Apps in Seller Central.');
  }
  const returnPath = resolveReturnPath(undefined, deps.config.frontendReturnPaths);
  return mintTicket(deps, caller, input.marketplace, returnPath, {
    amazonCallbackUri: callback.href,
    amazonState: input.amazonState,
    sellingPartnerId: input.sellingPartnerId,
  });
}

async function mintTicket(
  deps: StartDeps,
  caller: Caller,
  marketplace: MarketplaceCode,
  returnPath: string,
  continuation: { amazonCallbackUri: string; amazonState: string; sellingPartnerId: string } | null,
): Promise<TicketUrl> {
  const ticket = (deps.newValue ?? newOneTimeValue)();
  const expiresAt = authorizationExpiry(deps.clock.now(), deps.config.authTtlMs);
  await deps.store.createTicket({
    ticketHash: hashOneTime(ticket),
    accountId: caller.accountId,
    sub: caller.sub ?? null,
    marketplace,
    returnPath,
    expiresAt,
    // amazon_state is stored sealed under the raw ticket; redeeming the ticket opens it.
    continuation: continuation && { ...continuation, amazonState: sealForTicket(ticket, continuation.amazonState) },
  });
  return { authorizationUrl: `${deps.config.apiBaseUrl}/v1/amazon/authorize/${ticket}`, expiresAt: expiresAt.toISOString() };
}


