import type { Context, ScheduledEvent } from 'aws-lambda';
import { clock } from '../shared/clock.js';
import { appCredentialsConfig, config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { APP_CREDENTIALS_METRICS, type Metrics, SWEEP_METRICS, serviceMetrics } from '../shared/metrics.js';
import { type AppCredentialsSweepSummary, sweepAppCredentials } from '../usecases/app-credentials.js';
import type { SweepSummary } from '../domain/alerts.js';
import { SweepAbortedError } from '../domain/errors.js';
import { Sweep } from '../usecases/sweep.js';
import { appCredentialsStatusStore, applicationClient } from './wiring/app-credentials-lifecycle.js';
import { dueGrantStore } from './wiring/dynamodb.js';
import { eventPublisher } from './wiring/eventbridge.js';

/** Stop taking new pages with this much Lambda time left: the next run picks up the rest. */
const STOP_MARGIN_MS = 20_000;

export interface SweepHandlerDeps {
  readonly sweep: Pick<Sweep, 'run'>;
  readonly metrics: Metrics;
  readonly logger: Pick<typeof logger, 'info' | 'error'>;
  /** The app client secret's warnings, rotation and overdue check, run after the grants. */
  readonly appCredentials?: { run(): Promise<AppCredentialsSweepSummary> };
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

  return async (_event?: ScheduledEvent | Record<string, never>, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SweepSummary & { appCredentials?: unknown }> => {
    const shouldStop = context ? () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS : undefined;
    try {
      const summary = await deps.sweep.run({ shouldStop });
      report(summary);
      deps.logger.info('sweep finished', { ...summary });
      if (!deps.appCredentials) return summary;
      return { ...summary, appCredentials: await sweepAppCredentialsSafely(deps) };
    } catch (error) {
      if (error instanceof SweepAbortedError) report(error.summary);
      const cause = error instanceof SweepAbortedError ? (error.cause as Error | undefined)?.name : undefined;
      deps.logger.error('sweep stopped early', { error: (error as Error).name, cause, ...(error instanceof SweepAbortedError ? error.summary : {}) });
      throw error;
    }
  };
}

/**
 * The app-credentials step never fails the grant sweep: what went wrong is a metric (alarmed)
 * and an ERROR line naming the case and the on-call command; the next run tries again.
 */
async function sweepAppCredentialsSafely(deps: SweepHandlerDeps): Promise<AppCredentialsSweepSummary | { readonly failed: string }> {
  const m = APP_CREDENTIALS_METRICS;
  try {
    const result = await (deps.appCredentials as NonNullable<SweepHandlerDeps['appCredentials']>).run();
    deps.metrics.addMetric(m.rotationOverdue.name, m.rotationOverdue.unit, result.rotationOverdue ? 1 : 0);
    deps.metrics.addMetric(m.rotationFailures.name, m.rotationFailures.unit, result.rotationFailed ? 1 : 0);
    deps.metrics.addMetric(m.warningFailures.name, m.warningFailures.unit, result.warningFailed ? 1 : 0);
    deps.metrics.publishStoredMetrics();
    if (result.rotationOverdue) deps.logger.error('client secret rotation overdue: no new secret arrived', { ...result, alarm: 'CLIENT_SECRET_ROTATION_OVERDUE', look: 'npm run ops -- app-credentials' });
    else if (result.rotationFailed) deps.logger.error('client secret rotation failed', { ...result, alarm: 'CLIENT_SECRET_ROTATION_FAILED', look: 'npm run ops -- app-credentials' });
    else deps.logger.info('app credentials swept', { ...result });
    return result;
  } catch (error) {
    deps.metrics.addMetric(m.warningFailures.name, m.warningFailures.unit, 1);
    deps.metrics.publishStoredMetrics();
    deps.logger.error('app credentials sweep failed', { error: (error as Error).name, alarm: 'APP_CREDENTIALS_SWEEP_FAILED' });
    return { failed: (error as Error).name || 'Error' };
  }
}

const cfg = config();
const appSettings = appCredentialsConfig();
const publisher = eventPublisher();
const appStatus = appCredentialsStatusStore();
const application = applicationClient();

export const handler = makeSweepHandler({
  sweep: new Sweep({
    store: dueGrantStore(),
    publisher,
    clock,
    thresholds: cfg.alertThresholds,
    log: logger,
  }),
  metrics: serviceMetrics(cfg.stage),
  logger,
  appCredentials: {
    run: () =>
      sweepAppCredentials({
        status: appStatus,
        amazon: application,
        publisher,
        clock,
        thresholds: appSettings.appSecretAlertThresholds,
        stage: cfg.stage,
        rotation: appSettings.clientSecretRotation,
      }),
  },
});
