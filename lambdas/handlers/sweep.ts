import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { documentClient } from '../adapters/dynamo/client.js';
import { DynamoDueGrantStore } from '../adapters/dynamo/due-grant-store.js';
import { eventPublisher } from '../adapters/events/client.js';
import { clock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { SWEEP_METRICS, serviceMetrics } from '../shared/metrics.js';
import { Sweep, SweepAbortedError, type SweepSummary } from '../usecases/sweep.js';

/** Stop taking new pages with this much Lambda time left: the next run picks up the rest. */
const STOP_MARGIN_MS = 20_000;

export interface SweepHandlerDeps {
  readonly sweep: Pick<Sweep, 'run'>;
  readonly metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
  readonly logger: Pick<typeof logger, 'info' | 'error'>;
}

/**
 * The hourly scheduled sweep. The event itself carries nothing the sweep needs ("now" comes from
 * the service clock), so it is neither parsed nor logged. Returns the run's summary: the local
 * stack's `POST /__dev/sweep` hands it to its caller.
 */
export function makeSweepHandler(deps: SweepHandlerDeps) {
  const report = (summary: SweepSummary) => {
    deps.metrics.addMetric(SWEEP_METRICS.examined.name, SWEEP_METRICS.examined.unit, summary.examined);
    deps.metrics.addMetric(SWEEP_METRICS.eventsSent.name, SWEEP_METRICS.eventsSent.unit, summary.eventsSent);
    deps.metrics.addMetric(SWEEP_METRICS.failures.name, SWEEP_METRICS.failures.unit, summary.failed);
    deps.metrics.addMetric(SWEEP_METRICS.duration.name, SWEEP_METRICS.duration.unit, summary.durationMs);
    deps.metrics.publishStoredMetrics();
  };

  return async (_event?: ScheduledEvent | Record<string, never>, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SweepSummary> => {
    const shouldStop = context ? () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS : undefined;
    try {
      const summary = await deps.sweep.run({ shouldStop });
      report(summary);
      deps.logger.info('sweep finished', { ...summary });
      return summary;
    } catch (error) {
      if (error instanceof SweepAbortedError) report(error.summary);
      const cause = error instanceof SweepAbortedError ? (error.cause as Error | undefined)?.name : undefined;
      deps.logger.error('sweep stopped early', { error: (error as Error).name, cause, ...(error instanceof SweepAbortedError ? error.summary : {}) });
      throw error;
    }
  };
}

const settings = config();

export const handler = makeSweepHandler({
  sweep: new Sweep({
    store: new DynamoDueGrantStore(documentClient(), settings.tableName),
    publisher: eventPublisher(settings.eventBusName),
    clock,
    thresholds: settings.alertThresholds,
    onFailure: (failure) => logger.warn('sweep could not finish a grant', { ...failure }),
  }),
  metrics: serviceMetrics(settings.stage),
  logger,
});
