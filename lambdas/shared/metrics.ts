/** The CloudWatch units the service's metrics use. */
export const MetricUnit = { Count: 'Count', Milliseconds: 'Milliseconds' } as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** What a handler does with metrics: add values, then write them out once. */
export interface Metrics {
  addMetric(name: string, unit: MetricUnit, value: number): void;
  publishStoredMetrics(): void;
}

/**
 * CloudWatch's embedded metric format (EMF): one JSON line on stdout per publish, which Lambda's
 * log agent turns into metrics. The service writes it itself, as it writes its logs: the
 * Powertools metrics module cost the Sweep bundle 12 KiB at cold start for two methods. A
 * metric added twice before a publish is written as both values, as EMF allows.
 */
export class EmfMetrics implements Metrics {
  private stored = new Map<string, { unit: MetricUnit; values: number[] }>();

  constructor(
    private readonly namespace: string,
    private readonly dimensions: Readonly<Record<string, string>>,
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
    private readonly now: () => number = Date.now,
  ) {}

  addMetric(name: string, unit: MetricUnit, value: number): void {
    const metric = this.stored.get(name);
    if (metric) metric.values.push(value);
    else this.stored.set(name, { unit, values: [value] });
  }

  /** Writes what was added since the last publish, if anything, and forgets it. */
  publishStoredMetrics(): void {
    if (this.stored.size === 0) return;
    const values: Record<string, number | number[]> = {};
    for (const [name, { values: v }] of this.stored) values[name] = v.length === 1 ? (v[0] as number) : v;
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: this.now(),
          CloudWatchMetrics: [{ Namespace: this.namespace, Dimensions: [Object.keys(this.dimensions)], Metrics: [...this.stored].map(([name, { unit }]) => ({ Name: name, Unit: unit })) }],
        },
        ...this.dimensions,
        ...values,
      }),
    );
    this.stored = new Map();
  }
}

/** CloudWatch namespace of every custom metric the service emits (EMF through stdout). */
export const METRICS_NAMESPACE = 'AobAmazonConnect';

/** The one dimension on every custom metric: alarms match on exactly `{stage}`. */
export const METRICS_DIMENSION = 'stage';

/** What the expiry sweep reports after each run. `AlertFailures` > 0 is what on-call is alarmed on. */
export const SWEEP_METRICS = {
  examined: { name: 'GrantsExamined', unit: MetricUnit.Count },
  eventsSent: { name: 'EventsSent', unit: MetricUnit.Count },
  failures: { name: 'AlertFailures', unit: MetricUnit.Count },
  duration: { name: 'SweepDurationMs', unit: MetricUnit.Milliseconds },
} as const;

/** The service's metrics for this stage: the one dimension `{stage}`, which the alarms match on exactly. */
export function serviceMetrics(stage: string): Metrics {
  return new EmfMetrics(METRICS_NAMESPACE, { [METRICS_DIMENSION]: stage });
}

/** What the sweep's app-credentials step reports; any of these > 0 pages on-call. */
export const APP_CREDENTIALS_METRICS = {
  rotationOverdue: { name: 'ClientSecretRotationOverdue', unit: MetricUnit.Count },
  rotationFailures: { name: 'ClientSecretRotationFailures', unit: MetricUnit.Count },
  warningFailures: { name: 'AppCredentialsWarningFailures', unit: MetricUnit.Count },
} as const;
