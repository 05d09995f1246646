import { LoginQuery } from '../contract/browser-requests.js';
import { LOGIN_INVALID_TEXT, SIGN_IN_FIRST_TEXT } from '../shared/page-text.js';
import { failure } from '../domain/authorization-outcomes.js';
import { type BrowserDeps, login } from '../usecases/authorization-browser.js';
import { clock } from '../shared/clock.js';
import { type Config, config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import {
  bindingCookieFrom,
  browserQuery,
  browserRoute,
  clearedBindingCookieHeader,
  outcomeResponse,
  pageResponse,
  redirectResponse,
  venueSettingsLink,
} from '../shared/pages.js';
import { authorizationStateStore } from './wiring/dynamodb.js';

export type LoginDeps = Omit<BrowserDeps, 'credentials' | 'tickets'> & { readonly config: BrowserDeps['config'] & Pick<Config, 'frontendReturnPaths' | 'apiBaseUrl'> };

/** `GET /v1/amazon/login`: Amazon's Log-in URI. */
export function makeLoginHandler(deps: LoginDeps) {
  const link = () => venueSettingsLink(deps.config);
  return browserRoute(
    'GET /v1/amazon/login',
    async (event) => {
      const parsed = LoginQuery.safeParse(browserQuery(event));
      if (!parsed.success) {
        // Refused as the use case refuses a parameter that is not Amazon's, with the same line; a
        // query that cannot be read (a parameter sent twice, S10) is refused without one.
        if (parsed.issue.code !== 'unreadable') logger.info('login refused', { outcome: 'LOGIN_INVALID' });
        return pageResponse(400, LOGIN_INVALID_TEXT, { link: link() });
      }
      const query = parsed.data;
      const result = await login(
        deps,
        { amazonCallbackUri: query.amazon_callback_uri, amazonState: query.amazon_state, sellingPartnerId: query.selling_partner_id },
        bindingCookieFrom(event),
      );
      switch (result.kind) {
        case 'redirect':
          return redirectResponse(302, result.location);
        case 'invalid':
          return pageResponse(400, LOGIN_INVALID_TEXT, { link: link() });
        case 'sign-in-first':
          return pageResponse(200, SIGN_IN_FIRST_TEXT);
        case 'flow-expired':
          // Ends on AoB's own outcome (with a one-click restart there), never on Amazon's error page; the flow is over.
          return { ...outcomeResponse(deps.config, failure('FLOW_EXPIRED', result.marketplace), result.returnPath), cookies: [clearedBindingCookieHeader(deps.config.apiBaseUrl)] };
      }
    },
    link,
  );
}

const cfg = config();
export const handler = makeLoginHandler({
  store: authorizationStateStore(),
  clock,
  log: logger,
  config: cfg,
});
