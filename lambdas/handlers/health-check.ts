import type { Context } from 'aws-lambda';
import { ValidationError } from '../domain/errors.js';
import { isMarketplaceCode, type MarketplaceCode } from '../domain/marketplaces.js';
import { tokenConfig } from '../shared/token-config.js';
import { type AccessTokenDeps, type HealthCheckOptions, type HealthCheckSummary, runHealthCheck } from '../usecases/access-tokens.js';
import { tokenServiceDeps } from './wiring/token-service.js';

/** Stop taking new grants with this much Lambda time left: the next run picks up the rest. */
const STOP_MARGIN_MS = 30_000;

/**
 * The scheduled health check (hourly; each grant is checked once a day). A scheduled event
 * carries nothing it needs. The local stack's `POST /__dev/health-check` (and ops) may name one
 * venue in `detail` — `{accountId, marketplace}` — to check its grant now.
 */
export function makeHealthCheckHandler(deps: { readonly tokens: AccessTokenDeps; readonly options: HealthCheckOptions }) {
  return async (event?: { detail?: unknown }, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<HealthCheckSummary> => {
    const only = oneVenue(event?.detail);
    const shouldStop = context ? () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS : undefined;
    return runHealthCheck(deps.tokens, deps.options, only, shouldStop);
  };
}

function oneVenue(detail: unknown): { accountId: string; marketplace: MarketplaceCode } | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined;
  const d = detail as Record<string, unknown>;
  if (d.accountId === undefined && d.marketplace === undefined) return undefined;
  const code = typeof d.marketplace === 'string' ? d.marketplace.toUpperCase() : '';
  if (typeof d.accountId !== 'string' || d.accountId === '' || !isMarketplaceCode(code)) throw new ValidationError('To check one venue, give both accountId and a marketplace code.');
  return { accountId: d.accountId, marketplace: code };
}

const tokens = tokenServiceDeps();
const tokenCfg = tokenConfig();
export const handler = makeHealthCheckHandler({ tokens, options: { intervalMs: tokenCfg.healthCheckIntervalMs, maxPerRun: tokenCfg.healthCheckMaxPerRun } });
