import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS, type FunctionSpec } from '../../lambdas/functions.js';
import { StageConfigError } from '../../lambdas/domain/errors.js';
import { describeWithHandlers, functionLogicalId, stageConfig, synthesize, type Synthesized } from './support.js';

/**
 * The internal access-token route answers only SigV4-signed callers on the stage's allow-list:
 * API Gateway's AWS_IAM authorization refuses a frontend JWT or an unsigned call (403) before
 * the function runs, each listed role gets `execute-api:Invoke` on exactly that route, and the
 * function checks the same list (another role: 403). The health check runs on a schedule.
 */

const CALLER = 'arn:aws:iam::123456789012:role/aob-orders-service-dev';
const WITH_PATH = 'arn:aws:iam::123456789012:role/team/aob-reports-dev';
const spec = (id: string) => FUNCTIONS.find((f) => f.id === id) as FunctionSpec;

describeWithHandlers('token service infrastructure', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({ bundle: false, config: stageConfig('dev', { tokenCallerRoleArns: [CALLER, WITH_PATH] }) });
  });
  afterAll(() => s?.dispose());

  it('the route is AWS_IAM-authorized: no JWT authorizer, no public access', () => {
    s.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /internal/v1/amazon/access-tokens', AuthorizationType: 'AWS_IAM' });
    const routes = s.statelessTemplate.findResources('AWS::ApiGatewayV2::Route', { Properties: { AuthorizationType: 'AWS_IAM' } });
    expect(Object.values(routes).map((r) => (r.Properties as { RouteKey: string }).RouteKey)).toEqual(['POST /internal/v1/amazon/access-tokens']);
  });

  it('only the listed roles get execute-api:Invoke, on that one route', () => {
    const policies = s.statelessTemplate.findResources('AWS::IAM::Policy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'execute-api:Invoke' })]) } },
    });
    expect(Object.keys(policies)).toHaveLength(1);
    const props = Object.values(policies)[0]!.Properties as { Roles: unknown[]; PolicyDocument: { Statement: { Action: string; Resource: unknown }[] } };
    expect(props.Roles).toEqual(['aob-orders-service-dev', 'aob-reports-dev']);
    expect(props.PolicyDocument.Statement).toHaveLength(1);
    expect(JSON.stringify(props.PolicyDocument.Statement[0]!.Resource)).toContain('/$default/POST/internal/v1/amazon/access-tokens');
  });

  it('the function gets the same allow-list, and the health check its interval and bound', () => {
    const fn = s.statelessTemplate.toJSON().Resources[functionLogicalId(s.statelessTemplate, spec('AccessTokens'), 'dev')];
    expect(fn.Properties.Environment.Variables.TOKEN_CALLER_ROLE_ARNS).toBe(`${CALLER},${WITH_PATH}`);
    const hc = s.statelessTemplate.toJSON().Resources[functionLogicalId(s.statelessTemplate, spec('HealthCheck'), 'dev')];
    expect(hc.Properties.Environment.Variables).toMatchObject({ HEALTH_CHECK_INTERVAL_HOURS: '24', HEALTH_CHECK_MAX_PER_RUN: '500' });
  });

  it('the health check runs on its own schedule (hourly by default; each grant is due once a day)', () => {
    s.statelessTemplate.hasResourceProperties('AWS::Events::Rule', {
      Name: 'aob-amazon-connect-dev-health-check',
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionLogicalId(s.statelessTemplate, spec('HealthCheck'), 'dev'), 'Arn'] } })],
    });
  });

  it('an APP_CREDENTIALS_INVALID (or any logged error) of the token service raises an alarm', () => {
    for (const id of ['AccessTokens', 'HealthCheck']) {
      s.statelessTemplate.hasResourceProperties('AWS::Logs::MetricFilter', { MetricTransformations: [Match.objectLike({ MetricName: `${id}Errors` })] });
    }
  });

  it('with no callers listed, nobody gets Invoke (the function refuses everyone too)', () => {
    const none = synthesize({ bundle: false });
    try {
      const policies = none.statelessTemplate.findResources('AWS::IAM::Policy', { Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'execute-api:Invoke' })]) } } });
      expect(Object.keys(policies)).toHaveLength(0);
    } finally {
      none.dispose();
    }
  });

  it('a caller that is not a role ARN stops the synth with the key', () => {
    expect(() => stageConfig('dev', { tokenCallerRoleArns: ['arn:aws:iam::123456789012:user/alice'] })).toThrow(StageConfigError);
    expect(() => stageConfig('dev', { tokenCallerRoleArns: ['*'] })).toThrow(/stages\.dev\.tokenCallerRoleArns\.0/);
  });
});
