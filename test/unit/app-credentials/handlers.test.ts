import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerAppCredentialsWriter } from '../../../lambdas/adapters/amazon/app-credentials-writer.js';
import { makeRotateClientSecretHandler } from '../../../lambdas/handlers/rotate-client-secret.js';
import { makeSweepHandler } from '../../../lambdas/handlers/sweep.js';
import { AmazonTransientError, RotationRefusedError } from '../../../lambdas/ports/failures.js';
import type { SweepSummary } from '../../../lambdas/domain/alerts.js';
import { APP, InMemoryStatusStore, NEW_SECRET } from '../../builders/app-credentials.js';
import { FakeClock } from '../../builders/clock.js';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const logger = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() });

describe('the app secret writer (Secrets Manager)', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());

  it('writes the new secret as current and the old one as previous, keeping the keys ops added; the request token is the same for the same notification', async () => {
    const stored = { ...APP, note: 'kept' };
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(stored) });
    sm.on(PutSecretValueCommand).resolves({});
    const oldSecretExpiresAt = new Date(NOW.getTime() + 7 * 86_400_000);

    await new SecretsManagerAppCredentialsWriter(new SecretsManagerClient({}), 'app').storeNewSecret({ notificationId: 'n-1', clientSecret: NEW_SECRET, oldSecretExpiresAt });
    await new SecretsManagerAppCredentialsWriter(new SecretsManagerClient({}), 'app').storeNewSecret({ notificationId: 'n-1', clientSecret: NEW_SECRET, oldSecretExpiresAt });

    const puts = sm.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input);
    expect(JSON.parse(puts[0]?.SecretString as string)).toEqual({ ...stored, clientSecret: NEW_SECRET, previousClientSecret: APP.clientSecret, previousClientSecretExpiresAt: oldSecretExpiresAt.toISOString() });
    expect(puts[0]?.ClientRequestToken).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(puts[1]?.ClientRequestToken).toBe(puts[0]?.ClientRequestToken);
  });

  it('writes nothing when the secret is already current (a redelivered notice)', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ ...APP, clientSecret: NEW_SECRET, previousClientSecret: APP.clientSecret, previousClientSecretExpiresAt: NOW.toISOString() }) });
    const writer = new SecretsManagerAppCredentialsWriter(new SecretsManagerClient({}), 'app');
    await writer.storeNewSecret({ notificationId: 'n-1', clientSecret: NEW_SECRET, oldSecretExpiresAt: NOW });
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(await writer.get()).toEqual({ ...APP, clientSecret: NEW_SECRET, previousClientSecret: { value: APP.clientSecret, expiresAt: NOW } });
  });

  it('a failed write is an AppCredentialsUnavailableError naming only the AWS error, never the secret', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(APP) });
    sm.on(PutSecretValueCommand).rejects(Object.assign(new Error(`boom ${NEW_SECRET}`), { name: 'ThrottlingException' }));
    const failure = await new SecretsManagerAppCredentialsWriter(new SecretsManagerClient({}), 'app').storeNewSecret({ notificationId: 'n', clientSecret: NEW_SECRET, oldSecretExpiresAt: NOW }).catch((e: Error) => e);
    expect(failure).toMatchObject({ name: 'AppCredentialsUnavailableError', message: 'the app secret could not be written (ThrottlingException)' });
    expect(JSON.stringify({ ...(failure as object), message: (failure as Error).message })).not.toContain('MARKER-NEW-SECRET');
  });
});

describe('RotateClientSecret handler (invoked by the ops CLI)', () => {
  const run = async (fail?: Error) => {
    const status = new InMemoryStatusStore();
    const handler = makeRotateClientSecretHandler({
      status,
      clock: new FakeClock(NOW),
      amazon: { rotateClientSecret: async () => { if (fail) throw fail; } },
      logger: logger(),
    });
    return handler();
  };

  it.each([
    [undefined, 'requested', /Amazon accepted the rotation/],
    [new RotationRefusedError(400, 'InvalidInput'), 'refused', /not enrolled.*notification queue/],
    [new RotationRefusedError(429, 'QuotaExceeded'), 'refused', /throttled/],
    [new AmazonTransientError('rotateApplicationClientSecret (HTTP 503)'), 'amazon-unavailable', /check Amazon's status/],
  ])('maps %s to %s with a sentence saying what to do', async (error, outcome, message) => {
    expect(await run(error)).toMatchObject({ outcome, message: expect.stringMatching(message) });
  });
});

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
