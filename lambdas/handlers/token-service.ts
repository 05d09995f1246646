import { SecretsManagerAppCredentials } from '../adapters/amazon/app-credentials.js';
import { LwaClient } from '../adapters/amazon/lwa-client.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { DynamoTokenGrantStore } from '../adapters/dynamo/token-grant-store.js';
import { eventPublisher } from '../adapters/events/client.js';
import { secretsManagerClient } from '../adapters/secrets/client.js';
import { SecretsManagerTokenSecrets } from '../adapters/secrets/token-secret-store.js';
import { REGIONS, type Region } from '../domain/marketplaces.js';
import { clock } from '../shared/clock.js';
import type { Config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { AccessTokenCache, type AccessTokenDeps } from '../usecases/access-tokens.js';

/**
 * The token service's wiring, shared by the access-token route and the health check: one
 * container-wide access-token cache, the production adapters, and LWA waits short enough that a
 * refresh with its retries fits in the 29 s API Gateway allows (and inside the 20 s lease).
 */
export const TOKEN_TIMEOUTS = Object.freeze({ lwaMs: 4000, lwaAttempts: 3 });

export function spApiEndpointFor(cfg: Pick<Config, 'spApiEndpointOverride'>): (region: Region) => string {
  return (region) => (cfg.spApiEndpointOverride ?? `https://${REGIONS[region].spApiHost}`).replace(/\/$/, '');
}

export function tokenServiceDeps(cfg: Config): AccessTokenDeps {
  return {
    grants: new DynamoTokenGrantStore(documentClient(), cfg.tableName),
    secrets: new SecretsManagerTokenSecrets(secretsManagerClient()),
    lwa: new LwaClient({
      tokenUrl: cfg.lwaTokenUrl,
      redirectUri: cfg.redirectUri,
      credentials: new SecretsManagerAppCredentials(secretsManagerClient(), cfg.appSecretName),
      timeoutMs: TOKEN_TIMEOUTS.lwaMs,
      refreshAttempts: TOKEN_TIMEOUTS.lwaAttempts,
    }),
    events: eventPublisher(cfg.eventBusName),
    clock,
    log: logger,
    cache: new AccessTokenCache(),
    spApiEndpoint: spApiEndpointFor(cfg),
  };
}
