import type { Metrics } from '../../../../lambdas/shared/metrics.js';
import { jest } from '@jest/globals';
import { makeSweepHandler } from '../../../../lambdas/handlers/sweep.js';
import type { SweepSummary } from '../../../../lambdas/domain/alerts.js';

/** The sweep handler's app-credentials step: its summary, metrics and alarms, and a broken step never failing the grant sweep. */

const logger = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() });

describe('the sweep handler with the app-credentials step', () => {
  const summary: SweepSummary = { examined: 0, eventsSent: 0, passed: 0, failed: 0, skipped: 0, durationMs: 1 };
  const metrics = () => ({ addMetric: jest.fn<Metrics['addMetric']>(), publishStoredMetrics: jest.fn<Metrics['publishStoredMetrics']>() });

  it('adds the step\'s summary and metrics; an overdue rotation is an ERROR line naming the alarm and the CLI command', async () => {
    const log = logger();
    const m = metrics();
    const result = { warned: null, warningFailed: null, rotationRequested: false, rotationFailed: null, rotationOverdue: true, clientSecretExpiresAt: null };
    const handler = makeSweepHandler({ sweep: { run: async () => summary }, metrics: m, logger: log, appCredentials: { run: async () => result } });

    expect(await handler()).toEqual({ ...summary, appCredentials: result });
    expect(m.addMetric).toHaveBeenCalledWith('ClientSecretRotationOverdue', 'Count', 1);
    expect(log.error).toHaveBeenCalledWith('client secret rotation overdue: no new secret arrived', expect.objectContaining({ alarm: 'CLIENT_SECRET_ROTATION_OVERDUE', look: 'npm run ops -- app-credentials' }));
  });

  it('never fails the grant sweep: a broken step is a metric and an ERROR line', async () => {
    const log = logger();
    const m = metrics();
    const handler = makeSweepHandler({ sweep: { run: async () => summary }, metrics: m, logger: log, appCredentials: { run: async () => Promise.reject(Object.assign(new Error('x'), { name: 'ResourceNotFoundException' })) } });

    expect(await handler()).toEqual({ ...summary, appCredentials: { failed: 'ResourceNotFoundException' } });
    expect(m.addMetric).toHaveBeenCalledWith('AppCredentialsWarningFailures', 'Count', 1);
    expect(log.error).toHaveBeenCalledWith('app credentials sweep failed', expect.objectContaining({ alarm: 'APP_CREDENTIALS_SWEEP_FAILED' }));
  });
});
