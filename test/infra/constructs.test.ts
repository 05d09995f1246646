import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DeadLetterQueue } from '../../lib/constructs/dead-letter-queue.js';
import { OnCall } from '../../lib/constructs/on-call.js';
import { ServiceApi } from '../../lib/constructs/service-api.js';

/** Constructs in isolation, for the configuration variants the dev stage does not exercise. */
describe('OnCall', () => {
  it('subscribes the configured email, with undeliverable emails parked in the dead-letter queue', () => {
    // Prepare
    const stack = new Stack(new App(), 'S');
    const dlq = new DeadLetterQueue(stack, 'Dlq', { queueName: 'dlq' });

    // Act
    new OnCall(stack, 'OnCall', {
      stage: 'prod',
      topicName: 'on-call',
      eventBus: new EventBus(stack, 'Bus'),
      pageThreshold: '12h',
      email: 'oncall@aob.example',
      deadLetterQueue: dlq.queue,
    });

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@aob.example',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DlqQueue'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'detail-type': ['Amazon Authorization Expiring'], detail: { threshold: ['12h'] } },
    });
  });

  it('lets CloudWatch alarms and EventBridge use the topic key, nothing else from outside the account', () => {
    // Prepare
    const stack = new Stack(new App(), 'S');

    // Act
    new OnCall(stack, 'OnCall', {
      stage: 'dev',
      topicName: 'on-call',
      eventBus: new EventBus(stack, 'Bus'),
      pageThreshold: '1d',
      deadLetterQueue: new DeadLetterQueue(stack, 'Dlq', { queueName: 'dlq' }).queue,
    });

    // Assess
    const key = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0] as { Properties: { KeyPolicy: { Statement: { Principal: Record<string, unknown> }[] } } };
    const services = key.Properties.KeyPolicy.Statement.flatMap((s) => (s.Principal.Service ? [s.Principal.Service] : [])).sort();
    expect(services).toEqual(['cloudwatch.amazonaws.com', 'events.amazonaws.com']);
  });
});

describe('ServiceApi', () => {
  it('opens no CORS at all without a configured frontend origin', () => {
    // Prepare
    const stack = new Stack(new App(), 'S');

    // Act
    new ServiceApi(stack, 'Http', {
      apiName: 'api',
      jwt: { issuer: 'https://id.aob.example/', audience: ['aob'] },
      frontendOrigin: undefined,
      throttling: { rateLimit: 1, burstLimit: 2, browserRateLimit: 1, browserBurstLimit: 1 },
      logRetention: RetentionDays.ONE_WEEK,
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
  });
});
