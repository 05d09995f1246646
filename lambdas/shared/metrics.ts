import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

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

/**
 * A Powertools Metrics instance for this stage. Powertools adds a `service` dimension by default;
 * it is replaced by `stage` alone so the alarm's dimension set is simply `{stage}`.
 */
export function serviceMetrics(stage: string): Metrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'aob-amazon-connect' });
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ [METRICS_DIMENSION]: stage });
  return metrics;
}

/** What the sweep's app-credentials step reports; any of these > 0 pages on-call. */
export const APP_CREDENTIALS_METRICS = {
  rotationOverdue: { name: 'ClientSecretRotationOverdue', unit: MetricUnit.Count },
  rotationFailures: { name: 'ClientSecretRotationFailures', unit: MetricUnit.Count },
  warningFailures: { name: 'AppCredentialsWarningFailures', unit: MetricUnit.Count },
} as const;
