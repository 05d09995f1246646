import { EmfMetrics, MetricUnit, serviceMetrics } from '../../../../lambdas/shared/metrics.js';

const recorder = () => {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line), parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
};

describe('EmfMetrics (CloudWatch embedded metric format on stdout)', () => {
  it('writes one EMF line per publish: namespace, the one dimension set, each metric with its unit and value', () => {
    const out = recorder();
    const metrics = new EmfMetrics('AobAmazonConnect', { stage: 'prod' }, out.write, () => 1_765_000_000_000);
    metrics.addMetric('GrantsExamined', MetricUnit.Count, 12);
    metrics.addMetric('SweepDurationMs', MetricUnit.Milliseconds, 340);
    metrics.publishStoredMetrics();
    expect(out.parsed()).toEqual([
      {
        _aws: {
          Timestamp: 1_765_000_000_000,
          CloudWatchMetrics: [{ Namespace: 'AobAmazonConnect', Dimensions: [['stage']], Metrics: [{ Name: 'GrantsExamined', Unit: 'Count' }, { Name: 'SweepDurationMs', Unit: 'Milliseconds' }] }],
        },
        stage: 'prod',
        GrantsExamined: 12,
        SweepDurationMs: 340,
      },
    ]);
  });

  it('writes a metric added twice as both values, then forgets what it published', () => {
    const out = recorder();
    const metrics = new EmfMetrics('N', { stage: 's' }, out.write);
    metrics.addMetric('EventsSent', MetricUnit.Count, 1);
    metrics.addMetric('EventsSent', MetricUnit.Count, 2);
    metrics.publishStoredMetrics();
    metrics.publishStoredMetrics();
    expect(out.parsed()).toHaveLength(1);
    expect(out.parsed()[0]).toMatchObject({ EventsSent: [1, 2] });
  });

  it('writes nothing when nothing was added', () => {
    const out = recorder();
    new EmfMetrics('N', { stage: 's' }, out.write).publishStoredMetrics();
    expect(out.lines).toEqual([]);
  });

  it('gives the service’s metrics the stage as their only dimension (the alarms match on exactly {stage})', () => {
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (writes.push(chunk), true)) as typeof process.stdout.write;
    try {
      const metrics = serviceMetrics('dev');
      metrics.addMetric('AlertFailures', MetricUnit.Count, 0);
      metrics.publishStoredMetrics();
    } finally {
      process.stdout.write = original;
    }
    const line = JSON.parse(writes.join('')) as { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] }; stage: string };
    expect(line._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['stage']]);
    expect(line.stage).toBe('dev');
  });
});
