import { AuthorizeTicketPath } from '../contract/browser-requests.js';
import { REASON_TEXT, TICKET_INVALID_TEXT } from '../shared/page-text.js';
import { type BrowserDeps, redeemTicket } from '../usecases/authorization-browser.js';
import { clock } from '../shared/clock.js';
import { type Config, config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { bindingCookieHeader, browserRoute, pageResponse, redirectResponse, venueSettingsLink } from '../shared/pages.js';
import { appCredentials } from './wiring/app-credentials.js';
import { authorizationStateStore, ticketStore } from './wiring/dynamodb.js';

export type AuthorizeTicketDeps = BrowserDeps & { readonly config: BrowserDeps['config'] & Pick<Config, 'apiBaseUrl' | 'frontendReturnPaths'> };

/** `GET /v1/amazon/authorize/{ticket}`: redeem once, set the binding cookie, 302 to Amazon. */
export function makeAuthorizeTicketHandler(deps: AuthorizeTicketDeps) {
  const link = () => venueSettingsLink(deps.config);
  return browserRoute(
    'GET /v1/amazon/authorize/{ticket}',
    async (event) => {
      // Not a ticket at all: the same page as an unknown one, nothing looked up.
      const path = AuthorizeTicketPath.safeParse(event.pathParameters ?? {});
      if (!path.success) return pageResponse(404, TICKET_INVALID_TEXT, { link: link() });
      const result = await redeemTicket(deps, path.data.ticket);
      switch (result.kind) {
        case 'redirect':
          // HTTP API (payload 2.0) turns `cookies` into Set-Cookie headers.
          return { ...redirectResponse(302, result.location), cookies: [bindingCookieHeader(result.binding, result.maxAgeSeconds, deps.config.apiBaseUrl)] };
        case 'invalid':
          return pageResponse(404, TICKET_INVALID_TEXT, { link: link() });
        case 'app-credentials-unavailable':
          return pageResponse(503, REASON_TEXT.APP_CREDENTIALS_INVALID, { link: link(), code: 'APP_CREDENTIALS_INVALID' });
      }
    },
    link,
  );
}

const cfg = config();
export const handler = makeAuthorizeTicketHandler({
  store: authorizationStateStore(),
  tickets: ticketStore(),
  clock,
  log: logger,
  credentials: appCredentials(),
  config: cfg,
});
