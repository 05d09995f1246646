import { CfnOutput, Stack, type StackProps, Token, Validations } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { functionEnvironment } from '../lambdas/function-environment.js';
import { FUNCTIONS, type FunctionSpec, itemAccessOf } from '../lambdas/functions.js';
import { parseAppCredentialsConfig, parseConfig } from '../lambdas/shared/config.js';
import { parseTokenConfig } from '../lambdas/shared/token-config.js';
import { APP_CREDENTIALS_METRICS, METRICS_DIMENSION, METRICS_NAMESPACE, SWEEP_METRICS } from '../lambdas/shared/metrics.js';
import type { StageConfig } from './config.js';
import { DeadLetterQueue } from './constructs/dead-letter-queue.js';
import { OnCall } from './constructs/on-call.js';
import { ServiceAlarms, sumOver5Minutes } from './constructs/service-alarms.js';
import { ServiceApi } from './constructs/service-api.js';
import { ServiceFunction } from './constructs/service-function.js';
import { SweepSchedule } from './constructs/sweep-schedule.js';
import { SERVICE_NAME, stageNames } from './names.js';
import { PROJECT_ROOT } from './paths.js';
import type { StatefulResources } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
  /** The function manifest; the real one unless a test narrows it. */
  readonly functions?: readonly FunctionSpec[];
}

/** The sweep's own metric (EMF, lambdas/shared/metrics.ts): one per alert it failed to record or publish. Named where the sweep emits it, so the alarm cannot drift from it. */
export const SWEEP_FAILURE_METRIC = { namespace: METRICS_NAMESPACE, metricName: SWEEP_METRICS.failures.name } as const;
/**
 * Browser flows answer every failure with a page (a 2xx/3xx, invisible to the Errors and 5xx
 * alarms) and log the ones ops must act on at ERROR: these log-derived metrics
 * (`AobAmazonConnect/<stage>` `<Id>Errors`) page for them.
 */
/** The `alarm` value the completion logs when a flow is completed from another AoB account. */
export const ACCOUNT_MISMATCH_ALARM = 'ACCOUNT_MISMATCH';

export const LOGGED_ERROR_ALARMS = {
  Callback: 'The OAuth callback failed on our side (CALLBACK_FAILED, e.g. DynamoDB throttling while consuming the state), so a seller saw SERVICE_UNAVAILABLE after confirming on Amazon. Read the callback log.',
  CompleteAuthorization:
    'The authorization completion logged an error, so a seller saw an error instead of a connected venue: app credentials refused (APP_CREDENTIALS_INVALID), the refresh-token or grant write failed after a good exchange, events were not published, or a flow was completed from another AoB account (ACCOUNT_MISMATCH). Read the completion log; its alarm field names the case. Action for APP_CREDENTIALS_INVALID: rotate or fix the app secret (look closer: npm run ops -- app-credentials --stage <stage>); if Amazon answers 5xx, check Amazon\'s status; for ACCOUNT_MISMATCH contact the seller (npm run ops -- venues --account <account> --stage <stage>).',
  AuthorizeTicket:
    'Starting an authorization failed on our side: the app secret is empty, unreadable or incomplete (APP_CREDENTIALS_INVALID). Fill or fix it (docs/deploy.md, step 5); look closer: npm run ops -- app-credentials --stage <stage>.',
  AccessTokens:
    'The access-token route logged an error: LWA refused the app credentials on a refresh (APP_CREDENTIALS_INVALID: every caller gets 503 until ops fix the app secret; no seller is marked revoked), a refreshed token could not be stored (TOKEN_WRITE_FAILED), or a Revoked event was not published (EVENTS_NOT_PUBLISHED). The log line names the case. For APP_CREDENTIALS_INVALID rotate or fix the app secret; look closer: npm run ops -- app-credentials --stage <stage>.',
  HealthCheck:
    'The token health check logged an error: LWA refused the app credentials (APP_CREDENTIALS_INVALID: the run stopped, no seller was marked revoked; fix the app secret), a refreshed token could not be stored, or a Revoked event was not published. The log line names the case; look closer: npm run ops -- app-credentials --stage <stage>, or for one venue npm run ops -- check --account <account> --marketplace <code> --stage <stage>.',
  Disconnect:
    'A disconnect went through but its clean-up did not: the refresh-token secret was not scheduled for deletion (DISCONNECT_SECRET_NOT_SCHEDULED: delete it by hand with a recovery window) or the Disconnected event was not published (DISCONNECT_EVENT_NOT_PUBLISHED). The log line names the grant; look closer: npm run ops -- venues --account <account> --stage <stage>.',
} as const;

/**
 * Everything that can be replaced without losing data: one Lambda per manifest entry with its
 * own least-privilege role, the HTTP API, the sweep schedule, the on-call topic and rules, the
 * dead-letter queue and the alarms. Reads the stateful resources only through typed props.
 */
export class StatelessStack extends Stack {
  readonly api: ServiceApi;
  readonly functions: ReadonlyMap<string, ServiceFunction>;
  readonly onCall: OnCall;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly alarms: ServiceAlarms;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const names = stageNames(config.stage);
    const retention = config.logRetentionDays as RetentionDays;

    this.api = new ServiceApi(this, 'Http', {
      apiName: `${SERVICE_NAME}-${config.stage}`,
      jwt: config.jwt,
      frontendOrigin: config.frontend.url,
      throttling: config.throttling,
      logRetention: retention,
    });

    const environment = stageFunctionEnvironment(config, stateful, this.api.url);
    const functions = new Map<string, ServiceFunction>();
    const specs: readonly FunctionSpec[] = props.functions ?? FUNCTIONS;
    for (const spec of specs) {
      const fn = new ServiceFunction(this, spec.id, {
        spec,
        functionName: names.functionName(spec.id),
        projectRoot: PROJECT_ROOT,
        environment,
        logRetention: retention,
        logLevel: config.logLevel,
      });
      bindAccess(fn, spec, stateful);
      if (spec.route) {
        this.api.addRoute({ ...spec, route: spec.route }, fn.function);
        const reason = `Invoked synchronously by API Gateway (${spec.route.method} ${spec.route.path}): the caller gets the error, there is no asynchronous event to dead-letter.`;
        Validations.of(fn.function).acknowledge({ id: 'Serverless-LambdaDLQ', reason });
      }
      if (spec.trigger) wireTrigger(fn, spec.trigger, stateful, config.stage);
      functions.set(spec.id, fn);
    }
    this.functions = functions;

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', { queueName: `${SERVICE_NAME}-${config.stage}-dead-letters` });

    this.scheduleFunction('Sweep', 'SweepSchedule', config.sweepSchedule, `${SERVICE_NAME}-${config.stage}-sweep`);
    this.scheduleFunction('HealthCheck', 'HealthCheckSchedule', config.healthCheck.schedule, `${SERVICE_NAME}-${config.stage}-health-check`, 'Runs the token health check: refreshes grants Amazon has not confirmed for a day, so a revocation shows');
    this.grantTokenCallers(config);

    this.onCall = new OnCall(this, 'OnCall', {
      stage: config.stage,
      topicName: `${SERVICE_NAME}-${config.stage}-on-call`,
      eventBus: stateful.eventBus,
      pageThreshold: config.pageThreshold,
      email: config.onCallEmail,
      deadLetterQueue: this.deadLetterQueue.queue,
    });

    this.alarms = this.addAlarms(config, stateful, `${SERVICE_NAME}-${config.stage}`);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API (the frontend calls /v1/amazon/…)' });
    new CfnOutput(this, 'RedirectUri', { value: `${this.api.url}/v1/amazon/callback`, description: "OAuth Redirect URI: register exactly this in Amazon's Developer Central" });
    new CfnOutput(this, 'LoginUri', { value: `${this.api.url}/v1/amazon/login`, description: "Log-in URI: register exactly this in Amazon's Developer Central" });
    new CfnOutput(this, 'AppSecretName', { value: stateful.appSecretName, description: 'Fill with {"clientId","clientSecret","applicationId"} (docs/deploy.md)' });
    new CfnOutput(this, 'EventBusName', { value: stateful.eventBus.eventBusName, description: 'Custom bus carrying the Amazon Authorization events' });
    new CfnOutput(this, 'OnCallTopicArn', { value: this.onCall.topic.topicArn, description: 'SNS topic receiving alarms and expiring/expired/revoked events' });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queue.queueUrl, description: 'Undelivered sweep runs and notifications' });
    const rotate = functions.get('RotateClientSecret');
    if (rotate) {
      new CfnOutput(this, 'RotateClientSecretFunctionName', { value: rotate.function.functionName, description: 'Invoked by `npm run ops -- rotate-client-secret` (docs/operations.md)' });
    }
    if (config.lwaApplicationId) {
      new CfnOutput(this, 'LwaApplicationId', { value: config.lwaApplicationId, description: 'Expected applicationId in the app secret (informational)' });
    }
  }

  /**
   * A schedule rule for a function of the manifest (when it is in this stack), its failed
   * deliveries and asynchronous invocations parked in the dead-letter queue.
   */
  private scheduleFunction(functionId: string, id: string, schedule: string, ruleName: string, description?: string): void {
    const fn = this.functions.get(functionId);
    if (!fn) return;
    new SweepSchedule(this, id, { sweep: fn.function, schedule, deadLetterQueue: this.deadLetterQueue.queue, ruleName, ...(description ? { description } : {}) });
    Validations.of(fn.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Failed asynchronous invocations go to the dead-letter queue through an on-failure destination (the successor of DeadLetterConfig, with the error context); one queue, not two.',
    });
  }

  /**
   * `execute-api:Invoke` on the AWS_IAM routes for each role of `tokenCallerRoleArns` (a policy
   * attached to the role; roles of this account). The function checks the same list, so a role
   * that holds a broader Invoke permission elsewhere still gets 403.
   */
  private grantTokenCallers(config: StageConfig): void {
    if (config.tokenCallerRoleArns.length === 0 || this.api.iamRouteArns.length === 0) return;
    const roles = config.tokenCallerRoleArns.map((arn, i) => Role.fromRoleArn(this, `TokenCaller${i}`, arn, { mutable: true }));
    new Policy(this, 'TokenCallersInvoke', {
      statements: [new PolicyStatement({ effect: Effect.ALLOW, actions: ['execute-api:Invoke'], resources: this.api.iamRouteArns })],
      roles,
    });
    new CfnOutput(this, 'AccessTokensRouteArn', { value: this.api.iamRouteArns.join(','), description: 'execute-api ARN of POST /internal/v1/amazon/access-tokens (callers sign with SigV4, service execute-api)' });
  }

  private addAlarms(config: StageConfig, stateful: StatefulResources, namePrefix: string): ServiceAlarms {
    const alarms = new ServiceAlarms(this, 'Alarms', { topic: this.onCall.topic, namePrefix });
    for (const [id, fn] of this.functions) {
      alarms.add({
        id: `${id}-Errors`,
        metric: fn.function.metricErrors({ statistic: 'Sum' }),
        description: `${fn.spec.id} failed (an uncaught error or a timeout). Handlers map every expected failure to a response, so this is a bug or an AWS outage: read the function's log group.`,
      });
      alarms.add({
        id: `${id}-Throttles`,
        metric: fn.function.metricThrottles({ statistic: 'Sum' }),
        description: `${fn.spec.id} was throttled by Lambda: the account's concurrency is exhausted. Requests failed with 5xx (or the sweep run was retried).`,
      });
    }
    alarms.add({
      id: 'Api-5xx',
      metric: this.api.api.metricServerError({ statistic: 'Sum' }),
      description: 'The HTTP API answered 5xx. Bad input is always a 4xx, so a function failed, timed out or was throttled: check the function alarms and the API access logs (status, integrationError).',
    });
    alarms.add({
      id: 'DeadLetters',
      metric: this.deadLetterQueue.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
      description: 'Something could not be delivered: a sweep run (schedule or function failure) or an on-call notification. Read the messages in the dead-letter queue, fix the cause, then purge it.',
    });
    alarms.add({
      id: 'Sweep-AlertFailures',
      metric: sumOver5Minutes(SWEEP_FAILURE_METRIC.namespace, SWEEP_FAILURE_METRIC.metricName, { [METRICS_DIMENSION]: config.stage }),
      description: 'The expiry sweep could not record or publish some warnings. They are retried on the next run; if it keeps firing, check EventBridge PutEvents and DynamoDB errors in the sweep log.',
    });
    alarms.add({
      id: 'AppNotifications-DeadLetters',
      metric: stateful.notificationDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
      description:
        "An Amazon application notification failed three times (malformed, or the handler could not store it) and sits in the notification dead-letter queue. If it is a new client secret, act before the old secret's expiry: npm run ops -- app-credentials --stage " +
        `${config.stage} shows the state; the AppNotifications log names the message id and the problem. The body may hold a client secret: never paste it anywhere.`,
    });
    const appMetric = (name: string) => sumOver5Minutes(METRICS_NAMESPACE, name, { [METRICS_DIMENSION]: config.stage });
    alarms.add({
      id: 'ClientSecret-RotationOverdue',
      metric: appMetric(APP_CREDENTIALS_METRICS.rotationOverdue.name),
      description: `Amazon accepted a client-secret rotation but no new secret arrived on the notification queue within the grace period. Check the queue is registered in the Developer Console (docs/deploy.md) and Amazon's status; look closer: npm run ops -- app-credentials --stage ${config.stage}; ask again: npm run ops -- rotate-client-secret --stage ${config.stage}.`,
    });
    alarms.add({
      id: 'ClientSecret-RotationFailures',
      metric: appMetric(APP_CREDENTIALS_METRICS.rotationFailures.name),
      description: `The automatic client-secret rotation failed (Amazon refused or did not answer). Rotate: npm run ops -- rotate-client-secret --stage ${config.stage} (its answer says why); look closer: npm run ops -- app-credentials --stage ${config.stage}.`,
    });
    alarms.add({
      id: 'AppCredentials-WarningFailures',
      metric: appMetric(APP_CREDENTIALS_METRICS.warningFailures.name),
      description: `The sweep could not publish or record a client-secret expiry warning (retried next run). Look closer: npm run ops -- app-credentials --stage ${config.stage}; the sweep log names the error.`,
    });
    for (const [id, what] of Object.entries(LOGGED_ERROR_ALARMS)) {
      const fn = this.functions.get(id);
      if (!fn) continue;
      const filter = new MetricFilter(this, `${id}ErrorLogs`, {
        logGroup: fn.logGroup,
        filterPattern: FilterPattern.stringValue('$.level', '=', 'ERROR'),
        metricNamespace: `${METRICS_NAMESPACE}/${config.stage}`,
        metricName: `${id}Errors`,
        metricValue: '1',
      });
      alarms.add({ id: `${id}-LoggedErrors`, metric: filter.metric({ statistic: 'Sum' }), description: what });
    }
    const completion = this.functions.get('CompleteAuthorization');
    if (completion) {
      // Its own metric and alarm: one occurrence is a planted link or cookie, someone's attempt to collect a seller's grant.
      const mismatches = new MetricFilter(this, 'AccountMismatchLogs', {
        logGroup: completion.logGroup,
        filterPattern: FilterPattern.stringValue('$.alarm', '=', ACCOUNT_MISMATCH_ALARM),
        metricNamespace: `${METRICS_NAMESPACE}/${config.stage}`,
        metricName: 'AccountMismatches',
        metricValue: '1',
      });
      alarms.add({
        id: 'CompleteAuthorization-AccountMismatch',
        metric: mismatches.metric({ statistic: 'Sum' }),
        description:
          'A seller finished an Amazon authorization that another AoB account started (a planted authorization link or cookie). Nothing was saved. The log line names both accounts (accountId, startedByAccountId): look at who minted the flow.',
      });
    }
    return alarms;
  }
}

function bindAccess(fn: ServiceFunction, spec: FunctionSpec, stateful: StatefulResources): void {
  const { access } = spec;
  if (access.table) fn.bindTable(stateful.serviceTable, access.table, { dueIndex: access.dueIndex ?? false, healthIndex: access.healthIndex ?? false, items: itemAccessOf(access) });
  if (access.grantSecrets) fn.bindGrantSecrets(stateful.grantSecretPrefix, stateful.dataKey, access.grantSecrets);
  if (access.appSecret) fn.bindAppSecret(stateful.appSecret, stateful.appSecretName, stateful.dataKey, { write: access.appSecretWrite ?? false });
  if (access.events) fn.bindEventBus(stateful.eventBus);
}

/** Event source mapping for queue-triggered functions; a direct (operator-invoked) function needs none. */
function wireTrigger(fn: ServiceFunction, trigger: NonNullable<FunctionSpec['trigger']>, stateful: StatefulResources, stage: string): void {
  if (trigger.kind === 'queue') {
    const source = new SqsEventSource(stateful.notificationQueue, { batchSize: trigger.batchSize, reportBatchItemFailures: true, maxConcurrency: 2 });
    fn.function.addEventSource(source);
    const mapping = fn.function.node.children.find((c) => c.node.id.startsWith('SqsEventSource:'));
    if (mapping) {
      Validations.of(mapping).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason: "SQS event sources keep failed messages on the queue, whose redrive policy moves them to the notification dead-letter queue after three receives (alarmed); an on-failure destination would copy only the metadata of a message that may hold a client secret.",
      });
    }
    Validations.of(fn.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked by an SQS event source mapping: a failing message is redriven to the notification queue\'s own dead-letter queue after three receives (alarmed); a Lambda DLQ applies to asynchronous invokes only.',
    });
  } else {
    Validations.of(fn.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: `Invoked synchronously by on-call (npm run ops -- rotate-client-secret --stage ${stage}): the caller gets the answer, there is no asynchronous event to dead-letter.`,
    });
  }
}

/**
 * The configuration every function reads at cold start (lambdas/function-environment.ts builds
 * it, for the local stack too). Resource names are given to every function because the config
 * schema requires them; names grant nothing, the bind helpers add permissions. Checked here
 * against the functions' own schema, so a value Lambda would reject fails the synth instead of
 * the first request.
 */
export function stageFunctionEnvironment(config: StageConfig, stateful: StatefulResources, apiUrl: string): Record<string, string> {
  const env = functionEnvironment({
    ...config,
    resources: { tableName: stateful.serviceTable.table.tableName, eventBusName: stateful.eventBus.eventBusName, appSecretName: stateful.appSecretName, grantSecretPrefix: stateful.grantSecretPrefix },
    apiBaseUrl: apiUrl,
  });
  const SAMPLES: Record<string, string> = { API_BASE_URL: 'https://abcdef1234.execute-api.eu-west-1.amazonaws.com' };
  const concrete = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, Token.isUnresolved(v) ? (SAMPLES[k] ?? `resolved-at-deploy-${k.toLowerCase()}`) : v]));
  parseConfig(concrete);
  parseTokenConfig(concrete);
  parseAppCredentialsConfig(concrete);
  return env;
}
