import { Match } from 'aws-cdk-lib/assertions';
import { AMAZON_NOTIFICATIONS_ACCOUNT, NOTIFICATION_MAX_RECEIVE_COUNT } from '../../lib/constructs/notification-queue.js';
import { type Synthesized, describeWithHandlers, synthesize } from './support.js';

/**
 * The queue Amazon delivers the app's client-secret notifications to: registered by hand in the
 * Developer Console, so fixed, encrypted, writable by Amazon's notification account only, with a
 * dead-letter queue that pages, consumed by AppNotifications with per-message failures.
 */
describeWithHandlers('notification queue', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({ bundle: false });
  });
  afterAll(() => s.dispose());

  const queues = () => s.statefulTemplate.findResources('AWS::SQS::Queue');
  const notificationQueueId = () => Object.keys(queues()).find((id) => id.startsWith('AppNotificationsQueue')) as string;
  const dlqId = () => Object.keys(queues()).find((id) => id.startsWith('AppNotificationsDeadLetters')) as string;

  it('is a fixed-name, RETAINed, SSE-encrypted queue whose failures go to its own dead-letter queue after three receives', () => {
    const queue = queues()[notificationQueueId()] as { DeletionPolicy: string; Properties: Record<string, unknown> };
    expect(queue.DeletionPolicy).toBe('Retain');
    expect(queue.Properties).toMatchObject({
      QueueName: 'aob-amazon-connect-dev-app-notifications',
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] }, maxReceiveCount: NOTIFICATION_MAX_RECEIVE_COUNT },
    });
    expect((queues()[dlqId()] as { Properties: Record<string, unknown> }).Properties).toMatchObject({ QueueName: 'aob-amazon-connect-dev-app-notifications-dead-letters', SqsManagedSseEnabled: true });
  });

  it("lets Amazon's notification account SendMessage, and nothing else from outside; TLS only", () => {
    const policies = Object.values(s.statefulTemplate.findResources('AWS::SQS::QueuePolicy')).filter((p) => JSON.stringify(p).includes(notificationQueueId()) && !JSON.stringify(p.Properties.Queues).includes(dlqId()));
    expect(policies).toHaveLength(1);
    const statements = (policies[0] as { Properties: { PolicyDocument: { Statement: { Effect: string; Principal: unknown; Action: unknown; Condition?: unknown }[] } } }).Properties.PolicyDocument.Statement;
    const allows = statements.filter((st) => st.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({ Action: 'sqs:SendMessage', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${AMAZON_NOTIFICATIONS_ACCOUNT}:root`]] } } }),
    ]);
    expect(statements.some((st) => st.Effect === 'Deny' && JSON.stringify(st.Condition).includes('aws:SecureTransport'))).toBe(true);
  });

  it('publishes the queue ARN for the Developer Console step', () => {
    const outputs = s.statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
    expect(outputs.NotificationQueueArn?.Value).toEqual({ 'Fn::GetAtt': [notificationQueueId(), 'Arn'] });
    expect(outputs.NotificationQueueArn?.Description).toContain('Developer Console');
  });

  it('is consumed by AppNotifications in batches with ReportBatchItemFailures', () => {
    s.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FunctionName: { Ref: Match.stringLikeRegexp('^AppNotificationsFunction') },
    });
  });

  it('pages on-call as soon as one message sits in its dead-letter queue, naming the CLI command', () => {
    const alarms = Object.values(s.statelessTemplate.findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.AlarmName === 'aob-amazon-connect-dev-AppNotifications-DeadLetters');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarms[0]?.Properties.AlarmDescription).toContain('npm run ops -- app-credentials --stage dev');
  });

  it('alarms when a rotation was accepted but no new secret arrived, and when the automatic rotation fails', () => {
    for (const metric of ['ClientSecretRotationOverdue', 'ClientSecretRotationFailures', 'AppCredentialsWarningFailures']) {
      s.statelessTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AobAmazonConnect', MetricName: metric, Dimensions: [{ Name: 'stage', Value: 'dev' }], Threshold: 0 });
    }
  });

  it('the alarms on-call acts on name the npm run ops command to look closer', () => {
    const alarms = Object.values(s.statelessTemplate.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as { AlarmName: string; AlarmDescription: string });
    const acted = alarms.filter((a) => /-(AppNotifications-DeadLetters|ClientSecret-\w+|AppCredentials-\w+|CompleteAuthorization-LoggedErrors|AuthorizeTicket-LoggedErrors|Disconnect-LoggedErrors)$/.test(a.AlarmName));
    expect(acted.length).toBeGreaterThanOrEqual(7);
    for (const alarm of acted) expect([alarm.AlarmName, alarm.AlarmDescription]).toEqual([alarm.AlarmName, expect.stringMatching(/npm run ops -- (app-credentials|rotate-client-secret|venues)/)]);
  });

  it('outputs the rotation function the CLI invokes', () => {
    const outputs = s.statelessTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.RotateClientSecretFunctionName?.Value).toEqual({ Ref: expect.stringMatching(/^RotateClientSecretFunction/) });
  });
});
