import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface SweepScheduleProps {
  readonly sweep: IFunction;
  /** EventBridge schedule expression, e.g. `rate(1 hour)`. */
  readonly schedule: string;
  readonly deadLetterQueue: IQueue;
  readonly ruleName: string;
  /** What the rule runs; default the expiry sweep. */
  readonly description?: string;
}

/** A missed run is covered by the next one (the sweep only ever sends the most urgent warning due). */
export const SWEEP_RETRY = { retryAttempts: 2, maxEventAge: Duration.hours(1) } as const;

/**
 * Runs the expiry sweep on the configured schedule. Delivery is retried for at most an hour and
 * then parked in the dead-letter queue; the function's own asynchronous failures (after Lambda's
 * retries) land in the same queue through an on-failure destination. The sweep is idempotent, so
 * a retry never duplicates a warning.
 */
export class SweepSchedule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: SweepScheduleProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Rule', {
      ruleName: props.ruleName,
      description: props.description ?? 'Runs the Amazon authorization expiry sweep',
      schedule: Schedule.expression(props.schedule),
    });
    this.rule.addTarget(new LambdaFunction(props.sweep, { ...SWEEP_RETRY, deadLetterQueue: props.deadLetterQueue }));
    props.sweep.configureAsyncInvoke({ ...SWEEP_RETRY, onFailure: new SqsDestination(props.deadLetterQueue) });
  }
}
