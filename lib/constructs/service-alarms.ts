import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlarmSpec {
  readonly id: string;
  readonly metric: IMetric;
  /** One sentence for the person paged: what it means and where to look first. */
  readonly description: string;
  /** Fires when the value is greater than this (default 0: any occurrence). */
  readonly above?: number;
}

/**
 * The service's alarms, all sent to the on-call topic when they fire and when they recover.
 * Every alarm here means "something a seller does is failing or about to": any occurrence in a
 * five-minute period fires it, and no data means nothing happened.
 */
export class ServiceAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: { readonly topic: ITopic; readonly namePrefix: string },
  ) {
    super(scope, id);
  }

  add(spec: AlarmSpec): Alarm {
    const alarm = new Alarm(this, spec.id, {
      alarmName: `${this.props.namePrefix}-${spec.id}`,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.above ?? 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.props.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }
}

/** A five-minute sum: the period of every alarm above. */
export function sumOver5Minutes(namespace: string, metricName: string, dimensionsMap: Record<string, string>): Metric {
  return new Metric({ namespace, metricName, dimensionsMap, statistic: 'Sum', period: Duration.minutes(5) });
}
