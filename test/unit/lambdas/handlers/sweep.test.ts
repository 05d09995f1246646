import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { jest } from '@jest/globals';
import type { ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { toGrantItem } from '../../../../lambdas/adapters/dynamo/items.js';
import { handler, makeSweepHandler } from '../../../../lambdas/handlers/sweep.js';
import { serviceMetrics } from '../../../../lambdas/shared/metrics.js';
import type { SweepSummary } from '../../../../lambdas/domain/alerts.js';
import { SweepAbortedError } from '../../../../lambdas/domain/errors.js';
import { DAY_MS, anAuthorizedGrant } from '../../../builders/sweep.js';

const scheduled: ScheduledEvent = {
  version: '0',
  id: 'c0ffee00-0000-4000-8000-000000000000',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-06-01T00:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:events:eu-west-1:123456789012:rule/sweep'],
  detail: {},
};

const aSummary = (overrides: Partial<SweepSummary> = {}): SweepSummary => ({ examined: 12, eventsSent: 9, passed: 2, failed: 1, skipped: 2, durationMs: 340, ...overrides });

/** Runs `act` and returns the EMF documents the sweep wrote to stdout meanwhile. */
async function emfWrittenBy(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await act().catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((l) => l.split('\n')).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

const quietLogger = () => ({ info: jest.fn(), error: jest.fn() });

describe('the sweep handler', () => {
  it('returns the run\'s summary and emits it as EMF metrics in AobAmazonConnect with the stage dimension', async () => {
    // Prepare
    const summary = aSummary();
    const logger = quietLogger();
    const sweepHandler = makeSweepHandler({ sweep: { run: async () => summary }, metrics: serviceMetrics('test'), logger });

    // Act
    let result: SweepSummary | undefined;
    const emf = await emfWrittenBy(async () => (result = await sweepHandler(scheduled)));

    // Assess
    expect(result).toEqual(summary);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'AobAmazonConnect',
            Dimensions: [['stage']],
            Metrics: expect.arrayContaining([
              { Name: 'GrantsExamined', Unit: 'Count' },
              { Name: 'EventsSent', Unit: 'Count' },
              { Name: 'AlertFailures', Unit: 'Count' },
              { Name: 'SweepDurationMs', Unit: 'Milliseconds' },
            ]),
          },
        ],
      },
      stage: 'test',
      GrantsExamined: 12,
      EventsSent: 9,
      AlertFailures: 1,
      SweepDurationMs: 340,
    });
    expect(logger.info).toHaveBeenCalledWith('sweep finished', summary);
  });

  it('emits AlertFailures = 0 on a clean run, so the alarm has data points', async () => {
    // Prepare
    const sweepHandler = makeSweepHandler({ sweep: { run: async () => aSummary({ failed: 0 }) }, metrics: serviceMetrics('prod'), logger: quietLogger() });

    // Act
    const emf = await emfWrittenBy(() => sweepHandler(scheduled));

    // Assess
    expect(emf[0]).toMatchObject({ stage: 'prod', AlertFailures: 0 });
  });

  it('reports what was done and fails the invocation when the due index could not be read', async () => {
    // Prepare
    const partial = aSummary({ examined: 3, eventsSent: 3, failed: 1 });
    const logger = quietLogger();
    const aborted = new SweepAbortedError(partial, { cause: Object.assign(new Error('x'), { name: 'InternalServerError' }) });
    const sweepHandler = makeSweepHandler({ sweep: { run: async () => Promise.reject(aborted) }, metrics: serviceMetrics('test'), logger });

    // Act
    const emf = await emfWrittenBy(async () => {
      await expect(sweepHandler(scheduled)).rejects.toBe(aborted);
    });

    // Assess
    expect(emf[0]).toMatchObject({ AlertFailures: 1, EventsSent: 3 });
    expect(logger.error).toHaveBeenCalledWith('sweep stopped early', expect.objectContaining({ error: 'SweepAbortedError', cause: 'InternalServerError', failed: 1 }));
  });

  it('stops taking pages when the Lambda is about to time out', async () => {
    // Prepare
    let asked: boolean | undefined;
    const sweepHandler = makeSweepHandler({
      sweep: {
        run: async (options) => {
          asked = options?.shouldStop?.();
          return aSummary();
        },
      },
      metrics: { addMetric: jest.fn(), publishStoredMetrics: jest.fn() } as never,
      logger: quietLogger(),
    });

    // Act
    await sweepHandler(scheduled, { getRemainingTimeInMillis: () => 5_000 });

    // Assess
    expect(asked).toBe(true);
  });
});

describe('the deployed sweep handler (production wiring, AWS mocked)', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const eventBridge = mockClient(EventBridgeClient);

  it('queries the due index, publishes to the configured bus and records the alert', async () => {
    // Prepare: one grant 20 days from expiry (so its 30d warning is due whatever today is).
    const now = Date.now();
    const grant = anAuthorizedGrant({ generatedAt: new Date(now - 345 * DAY_MS) });
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': toGrantItem(grant).dueShard } }).resolves({ Items: [toGrantItem(grant)] });
    dynamo.on(UpdateCommand).resolves({});
    // The app credentials' status: none stored yet (nothing is due for the client secret).
    dynamo.on(GetCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    // Act
    let summary: SweepSummary | undefined;
    const errors: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (errors.push(String(chunk)), true));
    try {
      await emfWrittenBy(async () => (summary = await handler(scheduled)));
    } finally {
      stderr.mockRestore();
    }

    // Assess
    expect(summary).toMatchObject({ examined: 1, eventsSent: 1, passed: 0, failed: 0, skipped: 0 });
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ EventBusName: 'aob-amazon-connect-test', DetailType: 'Amazon Authorization Expiring', Source: 'aob.amazon-connect' })],
    });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, { TableName: 'aob-amazon-connect-test', ConditionExpression: '#version = :read AND #generatedAt = :generatedAt' });
    // The client secret's part of the run read its status from the same table and found nothing due.
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { TableName: 'aob-amazon-connect-test' });
    expect(errors.join('')).not.toContain('"level":"ERROR"');
  });
});
