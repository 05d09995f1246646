import { SecretsManagerAppCredentials } from '../adapters/amazon/app-credentials.js';
import { LwaClient } from '../adapters/amazon/lwa-client.js';
import { SellersClient } from '../adapters/amazon/sellers-client.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { DynamoGrantWriter } from '../adapters/dynamo/grant-writer.js';
import { DynamoPendingAuthorizationStore } from '../adapters/dynamo/pending-authorization-store.js';
import { AWS_CLIENT_TIMEOUTS } from '../adapters/aws-timeouts.js';
import { eventPublisher } from '../adapters/events/client.js';
import { secretsManagerClient } from '../adapters/secrets/client.js';
import { SecretsManagerGrantSecretStore } from '../adapters/secrets/grant-secret-store.js';
import { ONE_TIME_VALUE_PATTERN, SELLING_PARTNER_ID_PATTERN, failure } from '../domain/authorization.js';
import { type CallbackDeps, handleCallback } from '../usecases/authorization-callback.js';
import { clock } from '../shared/clock.js';
import { type Config, config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { bindingCookieFrom, browserQuery, browserRoute, outcomeResponse, venueSettingsLink } from '../shared/pages.js';

/** What Amazon may put in the Redirect URI's query: anything else in these names is refused (S10). */
const CODE_PATTERN = /^[A-Za-z0-9._~+/=-]{1,512}$/;
const ERROR_PATTERN = /^[a-z_]{1,64}$/;

export type CallbackHandlerDeps = CallbackDeps & { readonly frontend: Pick<Config, 'frontendUrl' | 'frontendReturnPaths'> };

/** `GET /v1/amazon/callback`: Amazon's Redirect URI. Always 303 to the frontend, or a page. */
export function makeCallbackHandler(deps: CallbackHandlerDeps) {
  return browserRoute(
    'GET /v1/amazon/callback',
    async (event) => {
      const query = browserQuery(event);
      const valid =
        query !== null &&
        (query.state === undefined || ONE_TIME_VALUE_PATTERN.test(query.state)) &&
        (query.spapi_oauth_code === undefined || CODE_PATTERN.test(query.spapi_oauth_code)) &&
        (query.selling_partner_id === undefined || SELLING_PARTNER_ID_PATTERN.test(query.selling_partner_id)) &&
        (query.error === undefined || ERROR_PATTERN.test(query.error));
      if (!valid) return outcomeResponse(deps.frontend, failure('STATE_INVALID'), null);
      try {
        const result = await handleCallback(deps, {
          state: query.state,
          code: query.spapi_oauth_code,
          sellingPartnerId: query.selling_partner_id,
          error: query.error,
          binding: bindingCookieFrom(event),
        });
        return outcomeResponse(deps.frontend, result.outcome, result.returnPath);
      } catch (error) {
        // e.g. DynamoDB throttling while consuming the state (R10): the seller still lands on a clear outcome.
        logger.error('callback failed', { errorName: (error as Error).name, errorMessage: (error as Error).message, alarm: 'CALLBACK_FAILED' });
        return outcomeResponse(deps.frontend, failure('SERVICE_UNAVAILABLE'), null);
      }
    },
    () => venueSettingsLink(deps.frontend),
  );
}

/**
 * Every outbound wait of the callback is bounded, so a slow Amazon or AWS answer ends on a page
 * naming the outcome instead of the function timing out (29 s) and API Gateway answering a bare
 * 503: one LWA exchange (twice only after invalid_client with a rotated secret), one Sellers API
 * read, and Secrets Manager requests that never hang on a dead connection.
 */
export const CALLBACK_TIMEOUTS = Object.freeze({
  lwaMs: 6000,
  sellersMs: 5000,
  awsConnectMs: AWS_CLIENT_TIMEOUTS.connectionTimeout,
  awsRequestMs: AWS_CLIENT_TIMEOUTS.requestTimeout,
});

const cfg = config();
export const handler = makeCallbackHandler({
  store: new DynamoPendingAuthorizationStore(documentClient(), cfg.tableName),
  lwa: new LwaClient({
    tokenUrl: cfg.lwaTokenUrl,
    redirectUri: cfg.redirectUri,
    credentials: new SecretsManagerAppCredentials(secretsManagerClient(), cfg.appSecretName),
    timeoutMs: CALLBACK_TIMEOUTS.lwaMs,
  }),
  sellers: new SellersClient({ endpointOverride: cfg.spApiEndpointOverride, timeoutMs: CALLBACK_TIMEOUTS.sellersMs }),
  secrets: new SecretsManagerGrantSecretStore(secretsManagerClient(), { kmsKeyId: cfg.grantSecretKmsKeyId, recoveryWindowDays: cfg.secretRecoveryDays, stage: cfg.stage }),
  grants: new DynamoGrantWriter(documentClient(), cfg.tableName),
  events: eventPublisher(cfg.eventBusName),
  clock,
  config: cfg,
  frontend: cfg,
});
