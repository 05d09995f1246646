import { CallbackQuery } from '../contract/browser-requests.js';
import { failure } from '../domain/authorization-outcomes.js';
import { type CallbackDeps, handleCallback } from '../usecases/authorization-callback.js';
import { clock } from '../shared/clock.js';
import { type Config, config } from '../shared/config.js';
import type { HttpResult } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import {
  bindingCookieFrom,
  browserQuery,
  browserRoute,
  clearedBindingCookieHeader,
  completionResponse,
  outcomeResponse,
  venueSettingsLink,
} from '../shared/pages.js';
import { authorizationStateStore } from './wiring/dynamodb.js';

export type CallbackHandlerDeps = CallbackDeps & { readonly frontend: Pick<Config, 'frontendUrl' | 'frontendReturnPaths' | 'frontendCompletionPath' | 'apiBaseUrl'> };

/**
 * `GET /v1/amazon/callback`: Amazon's Redirect URI. Always 303 to the frontend (its completion
 * page, or an outcome), or a page. Exchanges nothing: the completion route does, for the JWT of
 * the account that started the flow. The binding cookie is removed once its flow has ended here.
 */
export function makeCallbackHandler(deps: CallbackHandlerDeps) {
  return browserRoute(
    'GET /v1/amazon/callback',
    async (event) => {
      // What Amazon may put in the Redirect URI's query: anything else in these names is refused (S10).
      const parsed = CallbackQuery.safeParse(browserQuery(event));
      if (!parsed.success) return outcomeResponse(deps.frontend, failure('STATE_INVALID'), null);
      const query = parsed.data;
      try {
        const result = await handleCallback(deps, {
          state: query.state,
          code: query.spapi_oauth_code,
          sellingPartnerId: query.selling_partner_id,
          error: query.error,
          binding: bindingCookieFrom(event),
        });
        const response: HttpResult =
          result.kind === 'complete' ? completionResponse(deps.frontend, result.handle) : outcomeResponse(deps.frontend, result.outcome, result.returnPath);
        // The state is consumed: the cookie has done its job. A refused callback leaves it alone (it may bind another flow of this browser).
        return result.kind === 'complete' || result.flowEnded ? { ...response, cookies: [clearedBindingCookieHeader(deps.frontend.apiBaseUrl)] } : response;
      } catch (error) {
        // e.g. DynamoDB throttling while consuming the state (R10): the seller still lands on a clear outcome.
        deps.log.error('callback failed', { errorName: (error as Error).name, errorMessage: (error as Error).message, alarm: 'CALLBACK_FAILED' });
        return outcomeResponse(deps.frontend, failure('SERVICE_UNAVAILABLE'), null);
      }
    },
    () => venueSettingsLink(deps.frontend),
  );
}

const cfg = config();
export const handler = makeCallbackHandler({
  store: authorizationStateStore(),
  clock,
  log: logger,
  frontend: cfg,
});
