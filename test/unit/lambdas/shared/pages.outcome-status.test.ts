import { failure, REASON_CODES, success } from '../../../../lambdas/domain/authorization-outcomes.js';
import { outcomeResponse } from '../../../../lambdas/shared/pages.js';

/** The HTTP status of each outcome page when no frontend is configured (docs/authorization.md). */

it('without a frontend, a page is 503 only for trouble on Amazon\'s or our side, 400 for the rest, 200 for success (docs/authorization.md)', () => {
  const cfg = { frontendUrl: undefined, frontendReturnPaths: ['/settings/venues'] };
  const statuses = Object.fromEntries(REASON_CODES.map((r) => [r, outcomeResponse(cfg, failure(r, 'UK'), null).statusCode]));
  expect(statuses).toEqual({
    STATE_INVALID: 400,
    FLOW_EXPIRED: 400,
    BROWSER_MISMATCH: 400,
    ACCESS_DENIED: 400,
    CODE_EXCHANGE_FAILED: 400,
    AMAZON_UNAVAILABLE: 503,
    WRONG_REGION: 400,
    APP_CREDENTIALS_INVALID: 503,
    SERVICE_UNAVAILABLE: 503,
    ACCOUNT_MISMATCH: 400,
  });
  expect(outcomeResponse(cfg, success('UK'), null).statusCode).toBe(200);
});
