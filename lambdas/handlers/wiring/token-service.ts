import { REGIONS, type Region } from '../../domain/marketplaces.js';
import { clock } from '../../shared/clock.js';
import { config } from '../../shared/config.js';
import { logger } from '../../shared/logger.js';
import { AccessTokenCache, type AccessTokenDeps } from '../../usecases/access-tokens.js';
import { tokenGrantStore } from './dynamodb.js';
import { eventPublisher } from './eventbridge.js';
import { tokenLwaClient } from './lwa.js';
import { tokenSecretStore } from './secrets-manager.js';

/**
 * The token service's dependencies, shared by the access-token route and the health check: the
 * container's adapters and a function-wide access-token cache (one per call: each function
 * calls this once, at its cold start).
 */
export const tokenServiceDeps = (): AccessTokenDeps => {
  const override = config().spApiEndpointOverride;
  return {
    grants: tokenGrantStore(),
    secrets: tokenSecretStore(),
    lwa: tokenLwaClient(),
    events: eventPublisher(),
    clock,
    log: logger,
    cache: new AccessTokenCache(),
    spApiEndpoint: (region: Region) => (override ?? `https://${REGIONS[region].spApiHost}`).replace(/\/$/, ''),
  };
};
