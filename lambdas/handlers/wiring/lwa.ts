import { LwaClient } from '../../adapters/amazon/lwa-client.js';
import { config } from '../../shared/config.js';
import { appCredentials } from './app-credentials.js';

/** Login with Amazon, as the two kinds of function call it: their waits are what fits their budgets. */

let completion: LwaClient | undefined;
/**
 * The completion's code exchange: sent once (twice only after invalid_client with a rotated
 * secret), then one Sellers API read (./sellers-api.ts). 2 × 6 s + 5 s leaves room inside API
 * Gateway's 29 s for the state, secret and grant writes: a slow Amazon ends in an outcome, not
 * in a bare 503.
 */
export const completionLwaClient = (): LwaClient => {
  const cfg = config();
  return (completion ??= new LwaClient({ tokenUrl: cfg.lwaTokenUrl, redirectUri: cfg.redirectUri, credentials: appCredentials(), timeoutMs: 6_000 }));
};

let tokens: LwaClient | undefined;
/** The token service's refresh: 3 attempts of 4 s, with their backoff, fit inside the 20 s refresh lease and the route's 29 s. */
export const tokenLwaClient = (): LwaClient => {
  const cfg = config();
  return (tokens ??= new LwaClient({ tokenUrl: cfg.lwaTokenUrl, redirectUri: cfg.redirectUri, credentials: appCredentials(), timeoutMs: 4_000, refreshAttempts: 3 }));
};
