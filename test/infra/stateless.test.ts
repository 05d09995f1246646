import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS, type FunctionSpec } from '../../lambdas/functions.js';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../lambdas/domain/events.js';
import { ACCESS_LOG_FIELDS } from '../../lib/constructs/service-api.js';
import { GRANT_SECRET_ACTIONS, TABLE_ACTIONS } from '../../lib/constructs/service-function.js';
import { allowedActions, describeWithHandlers, functionLogicalId, roleStatements, type Resources, type Statement, synthesize, text } from './support.js';

const WRITE_TABLE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:BatchWriteItem'];
const SPECS: readonly FunctionSpec[] = FUNCTIONS;
const X_RAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

describeWithHandlers('stateless stack', () => {
  const synth = synthesize({ bundle: false });
  afterAll(() => synth.dispose());
  const template = synth.statelessTemplate;
  const resources = template.toJSON().Resources as Resources;
  const stage = synth.config.stage;
  const statements = new Map(SPECS.map((spec) => [spec.id, roleStatements(template, spec, stage)]));
  const of = (spec: FunctionSpec): Statement[] => statements.get(spec.id) ?? [];
  const actionsOn = (spec: FunctionSpec, service: string) => allowedActions(of(spec)).filter((a) => a.startsWith(`${service}:`));
  const resourceText = (spec: FunctionSpec, action: string) =>
    of(spec)
      .filter((s) => s.Action.includes(action))
      .flatMap((s) => s.Resource.map(text));
  const logicalIdOf = (type: string, pred: (r: Resources[string]) => boolean) => Object.entries(resources).filter(([, r]) => r.Type === type && pred(r)).map(([id]) => id);

  describe('IAM: one least-privilege role per function, derived from the manifest', () => {
    it.each(SPECS.map((s) => [s.id, s] as const))('%s: "*" only for X-Ray, which has no resource-level permissions', (_id, spec) => {
      const wildcard = of(spec).filter((s) => s.Resource.some((r) => r === '*'));
      expect(wildcard.flatMap((s) => s.Action).sort()).toEqual(X_RAY);
      expect(of(spec).every((s) => s.Effect === 'Allow')).toBe(true);
    });

    it.each(SPECS.map((s) => [s.id, s] as const))('%s: table actions match its access level, on the table only', (_id, spec) => {
      const dynamo = actionsOn(spec, 'dynamodb');
      if (!spec.access.table) {
        expect(dynamo).toEqual([]);
        return;
      }
      // Never more than its access level; LeadingKeys narrow it further (below).
      for (const action of dynamo.filter((a) => a !== 'dynamodb:Query' || !spec.access.dueIndex)) expect(TABLE_ACTIONS[spec.access.table]).toContain(action);
      expect(dynamo).not.toContain('dynamodb:Scan');
      if (spec.access.table === 'read') expect(dynamo.filter((a) => WRITE_TABLE_ACTIONS.includes(a))).toEqual([]);
      const tableStatements = of(spec).filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
      for (const s of tableStatements) for (const r of s.Resource) expect(text(r)).toMatch(/StoreTable[0-9A-F]+Arn/);
    });

    const LEADING_KEYS = 'ForAllValues:StringLike';
    const tableItemStatements = (spec: FunctionSpec) => of(spec).filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')) && !s.Resource.map(text).some((r) => r.includes('/index/')));
    const keysOf = (st: Statement) => (st.Condition?.[LEADING_KEYS]?.['dynamodb:LeadingKeys'] ?? []) as string[];
    /** Partition-key prefix → the item actions the role allows on it. */
    const itemGrants = (spec: FunctionSpec) => {
      const grants: Record<string, string[]> = {};
      for (const st of tableItemStatements(spec)) for (const key of keysOf(st)) grants[key] = [...(grants[key] ?? []), ...st.Action].sort();
      return grants;
    };

    it.each(SPECS.filter((s) => s.access.table).map((s) => [s.id, s] as const))('%s: every table statement is narrowed with dynamodb:LeadingKeys to named key prefixes', (_id, spec) => {
      const st = tableItemStatements(spec);
      expect(st.length).toBeGreaterThan(0);
      for (const s of st) {
        expect(Object.keys(s.Condition ?? {})).toEqual([LEADING_KEYS]);
        expect(keysOf(s).length).toBe(1);
        expect(keysOf(s)[0]).toMatch(/^(ACCOUNT|AUTH|TICKET|APP)#\*$/);
      }
    });

    it('the public browser routes cannot touch any account’s grant or venue items: only tickets and pending authorizations, with the actions each needs', () => {
      const publicRoutes = SPECS.filter((s) => s.route?.auth === 'public' && s.access.table);
      expect(publicRoutes.map((s) => s.id).sort()).toEqual(['AuthorizeTicket', 'Callback', 'Login']);
      for (const spec of publicRoutes) expect(Object.keys(itemGrants(spec)).filter((k) => k.startsWith('ACCOUNT#'))).toEqual([]);
      const byId = (id: string) => itemGrants(SPECS.find((s) => s.id === id) as FunctionSpec);
      expect(byId('AuthorizeTicket')).toEqual({ 'TICKET#*': ['dynamodb:DeleteItem'], 'AUTH#*': ['dynamodb:PutItem'] });
      expect(byId('Login')).toEqual({ 'AUTH#*': ['dynamodb:GetItem', 'dynamodb:UpdateItem'] });
      expect(byId('Callback')).toEqual({ 'AUTH#*': ['dynamodb:GetItem', 'dynamodb:UpdateItem'] });
    });

    it('only JWT routes, the internal (SigV4) token route and the scheduled functions reach account items; minting a link writes a ticket and nothing else', () => {
      const byId = (id: string) => itemGrants(SPECS.find((s) => s.id === id) as FunctionSpec);
      expect(byId('StartAuthorization')).toEqual({ 'TICKET#*': ['dynamodb:PutItem'] });
      expect(byId('ContinueLogin')).toEqual({ 'TICKET#*': ['dynamodb:PutItem'] });
      expect(byId('CompleteAuthorization')).toEqual({
        'AUTH#*': ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        'ACCOUNT#*': ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      });
      expect(Object.keys(byId('ListVenues'))).toEqual(['ACCOUNT#*']);
      expect(byId('Sweep')).toEqual({ 'ACCOUNT#*': ['dynamodb:UpdateItem'], 'APP#*': ['dynamodb:GetItem', 'dynamodb:PutItem'] });
      for (const id of ['AppNotifications', 'RotateClientSecret']) expect(byId(id)).toEqual({ 'APP#*': ['dynamodb:GetItem', 'dynamodb:PutItem'] });
      // The token service reads an account's venues and grants and updates a grant's token state; it never puts or deletes an item.
      for (const id of ['AccessTokens', 'HealthCheck']) expect(byId(id)).toEqual({ 'ACCOUNT#*': ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'] });
      expect(byId('ListVenues')['ACCOUNT#*']?.filter((a) => WRITE_TABLE_ACTIONS.includes(a))).toEqual([]);
      for (const spec of SPECS.filter((s) => s.access.table)) {
        if (Object.keys(itemGrants(spec)).includes('ACCOUNT#*')) expect(spec.route === undefined || spec.route.auth === 'jwt' || spec.route.auth === 'iam').toBe(true);
      }
    });

    it('only the sweep may query the due index and only the health check the health index; nobody else touches any index', () => {
      const owners: Record<string, string> = { Sweep: '/index/due', HealthCheck: '/index/health' };
      for (const spec of SPECS) {
        const indexResources = of(spec).flatMap((s) => s.Resource.map(text)).filter((r) => r.includes('/index/'));
        const index = owners[spec.id];
        if (index) {
          expect(indexResources).toHaveLength(1);
          expect(indexResources[0]).toContain(index);
          expect(of(spec).find((s) => s.Resource.map(text).includes(indexResources[0] as string))?.Action).toEqual(['dynamodb:Query']);
        } else {
          expect(indexResources).toEqual([]);
        }
      }
    });

    it('only the completion can create or restore grant secrets, and only under the stage prefix with the stage key; the token service only adds versions', () => {
      const onGrantSecrets = (spec: FunctionSpec, action: string) => resourceText(spec, action).some((r) => r.includes(':secret:aob-amazon-connect/dev/grants/'));
      const creators = SPECS.filter((s) => ['secretsmanager:CreateSecret', 'secretsmanager:RestoreSecret'].some((a) => onGrantSecrets(s, a)));
      expect(creators.map((s) => s.id)).toEqual(['CompleteAuthorization']);
      const writers = SPECS.filter((s) => onGrantSecrets(s, 'secretsmanager:PutSecretValue'));
      expect(writers.map((s) => s.id)).toEqual(['CompleteAuthorization', 'AccessTokens', 'HealthCheck']);
      for (const id of ['AccessTokens', 'HealthCheck']) {
        const spec = SPECS.find((s) => s.id === id) as FunctionSpec;
        expect(resourceText(spec, 'secretsmanager:PutSecretValue')).toEqual([expect.stringContaining(':secret:aob-amazon-connect/dev/grants/*')]);
      }
      const callback = SPECS.find((s) => s.id === 'CompleteAuthorization') as FunctionSpec;
      for (const action of GRANT_SECRET_ACTIONS.write) {
        expect(resourceText(callback, action).some((r) => r.endsWith(':secret:aob-amazon-connect/dev/grants/*"]]}'))).toBe(true);
      }
      const create = of(callback).find((s) => s.Action.includes('secretsmanager:CreateSecret'));
      expect(create?.Action).toEqual(['secretsmanager:CreateSecret']);
      expect(text(create?.Condition?.StringEquals?.['secretsmanager:KmsKeyArn'])).toContain('DataKey');
    });

    it('only Disconnect and the completion (replacing another selling partner\'s grant) can delete grant secrets, and only under the stage prefix', () => {
      const deleters = SPECS.filter((s) => actionsOn(s, 'secretsmanager').includes('secretsmanager:DeleteSecret'));
      expect(deleters.map((s) => s.id)).toEqual(['Disconnect', 'CompleteAuthorization']);
      const callback = SPECS.find((s) => s.id === 'CompleteAuthorization') as FunctionSpec;
      expect(resourceText(callback, 'secretsmanager:DeleteSecret')).toEqual([expect.stringContaining(':secret:aob-amazon-connect/dev/grants/*')]);
      const disconnect = SPECS.find((s) => s.id === 'Disconnect') as FunctionSpec;
      expect(actionsOn(disconnect, 'secretsmanager')).toEqual(['secretsmanager:DeleteSecret']);
      expect(resourceText(disconnect, 'secretsmanager:DeleteSecret')).toEqual([expect.stringContaining(':secret:aob-amazon-connect/dev/grants/*')]);
    });

    it('only the token service (access-token route and health check) can read a grant secret back, and only under the stage prefix', () => {
      const readers = SPECS.filter((spec) => resourceText(spec, 'secretsmanager:GetSecretValue').some((r) => r.includes('/grants/')));
      expect(readers.map((s) => s.id)).toEqual(['AccessTokens', 'HealthCheck']);
      for (const spec of readers) {
        expect(resourceText(spec, 'secretsmanager:GetSecretValue').filter((r) => r.includes('/grants/'))).toEqual([expect.stringContaining(':secret:aob-amazon-connect/dev/grants/*')]);
      }
    });

    it('only functions with appSecret read the app secret, and only that secret', () => {
      for (const spec of SPECS) {
        const appReads = of(spec)
          .filter((s) => s.Action.includes('secretsmanager:GetSecretValue'))
          .flatMap((s) => s.Resource.map(text))
          .filter((r) => r.includes('AppCredentials'));
        expect(appReads.length > 0).toBe(spec.access.appSecret === true);
      }
    });

    it('only functions with events:true can PutEvents, and only on the service bus', () => {
      for (const spec of SPECS) {
        const events = actionsOn(spec, 'events');
        if (spec.access.events) {
          expect(events).toEqual(['events:PutEvents']);
          expect(resourceText(spec, 'events:PutEvents')).toEqual([expect.stringMatching(/BusEA82B648Arn/)]);
        } else {
          expect(events).toEqual([]);
        }
      }
    });

    it.each(SPECS.map((s) => [s.id, s] as const))('%s: KMS use only through DynamoDB or Secrets Manager, never directly', (_id, spec) => {
      for (const s of of(spec).filter((st) => st.Action.some((a) => a.startsWith('kms:')))) {
        expect(s.Action.every((a) => a.startsWith('kms:') && !a.includes('*'))).toBe(true);
        expect(text(s.Condition?.StringEquals?.['kms:ViaService'])).toMatch(/"(dynamodb|secretsmanager)\."/);
      }
      const needsKey = Boolean(spec.access.table || spec.access.appSecret || spec.access.grantSecrets?.includes('write'));
      expect(actionsOn(spec, 'kms').length > 0).toBe(needsKey);
    });

    it.each(SPECS.map((s) => [s.id, s] as const))('%s: writes logs to its own log group only, with no managed policy', (_id, spec) => {
      const logs = of(spec).filter((s) => s.Action.some((a) => a.startsWith('logs:')));
      expect(logs.flatMap((s) => s.Action).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(logs.flatMap((s) => s.Resource.map(text))).toEqual([expect.stringMatching(new RegExp(`^\\{"Fn::GetAtt":\\["${spec.id}Logs[0-9A-F]+","Arn"\\]\\}$`))]);
    });

    it('touches no other service', () => {
      const services = new Set(SPECS.flatMap((s) => allowedActions(of(s)).map((a) => a.split(':')[0])));
      expect([...services].sort()).toEqual(['dynamodb', 'events', 'kms', 'logs', 'secretsmanager', 'sqs', 'xray']);
      const sqsUsers = SPECS.filter((s) => actionsOn(s, 'sqs').length > 0).map((s) => s.id);
      expect(sqsUsers).toEqual(['HealthCheck', 'Sweep', 'AppNotifications']);
    });

    it('only AppNotifications writes the app secret (a rotation\'s new client secret), on that one secret', () => {
      const writers = SPECS.filter((s) => actionsOn(s, 'secretsmanager').includes('secretsmanager:PutSecretValue') && !s.access.grantSecrets);
      expect(writers.map((s) => s.id)).toEqual(['AppNotifications']);
      const put = of(writers[0] as FunctionSpec).find((s) => s.Action.includes('secretsmanager:PutSecretValue'));
      expect(put?.Action).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']);
      expect(put?.Resource.map(text)).toEqual([expect.stringContaining('AppCredentials')]);
    });
  });

  describe('functions', () => {
    it.each(SPECS.map((s) => [s.id, s] as const))('%s: Node.js 24 on ARM64, traced, JSON logs, memory and timeout from the manifest', (_id, spec) => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `aob-amazon-connect-dev-${spec.id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
        MemorySize: spec.memoryMb ?? 256,
        Timeout: spec.timeoutSeconds ?? 10,
      });
    });

    it.each(SPECS.map((s) => [s.id, s] as const))('%s: has the whole configuration lambdas/shared/config.ts reads', (_id, spec) => {
      const env = (resources[functionLogicalId(template, spec, stage)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env).toMatchObject({
        STAGE: 'dev',
        GRANT_SECRET_PREFIX: 'aob-amazon-connect/dev/grants/',
        APP_SECRET_NAME: 'aob-amazon-connect/dev/app',
        FRONTEND_URL: 'http://localhost:5173',
        FRONTEND_CONNECT_PATH: '/settings/venues/amazon/connect',
        FRONTEND_RETURN_PATHS: '/settings/venues,/onboarding/amazon',
        ACCOUNT_CLAIM: 'custom:accountId',
        DRAFT_APP: 'true',
        ALERT_THRESHOLDS: '30d,1d',
        LOG_LEVEL: 'DEBUG',
        SECRET_RECOVERY_DAYS: '7',
      });
      // The service has no Powertools: no function is configured for it.
      expect(Object.keys(env).filter((name) => name.startsWith('POWERTOOLS_'))).toEqual([]);
      expect(text(env.TABLE_NAME)).toMatch(/StoreTable/);
      expect(text(env.EVENT_BUS_NAME)).toMatch(/Bus/);
      expect(env.API_BASE_URL).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^HttpApi/), 'ApiEndpoint'] });
      // No source-map support at run time: it costs every cold start; the .map files are for offline use.
      expect('NODE_OPTIONS' in env).toBe(false);
      // Only the writer needs to know which key new grant secrets are encrypted with.
      expect('GRANT_SECRET_KMS_KEY_ID' in env).toBe(Boolean(spec.access.grantSecrets?.includes('write')));
    });
  });

  describe('HTTP API', () => {
    const routes = SPECS.filter((s) => s.route);
    const authorizerIds = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));

    it('validates JWTs from the configured issuer and audience', () => {
      expect(authorizerIds).toHaveLength(1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: 'https://auth.dev.aob.example/', Audience: ['aob-amazon-connect-dev'] },
      });
    });

    it.each(routes.map((s) => [`${s.route?.method} ${s.route?.path}`, s] as const))('%s: exists and carries the authorizer exactly when the manifest says jwt (AWS_IAM when iam)', (routeKey, spec) => {
      const found = template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } });
      expect(Object.keys(found)).toHaveLength(1);
      const props = Object.values(found)[0]?.Properties as Record<string, unknown>;
      if (spec.route?.auth === 'jwt') {
        expect(props.AuthorizationType).toBe('JWT');
        expect(props.AuthorizerId).toEqual({ Ref: authorizerIds[0] });
      } else if (spec.route?.auth === 'iam') {
        // API Gateway verifies SigV4 itself: a JWT or an unsigned call never reaches the function (403).
        expect(props.AuthorizationType).toBe('AWS_IAM');
        expect(props.AuthorizerId).toBeUndefined();
      } else {
        expect(props.AuthorizationType).toBe('NONE');
        expect(props.AuthorizerId).toBeUndefined();
      }
      const integrationId = ((props.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1] as { Ref: string }).Ref;
      expect(text(resources[integrationId]?.Properties?.IntegrationUri)).toContain(functionLogicalId(template, spec, stage));
    });

    it('has exactly the manifest routes (the sweep has none)', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
    });

    it('throttles the stage, and the public browser routes harder', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
        RouteSettings: Object.fromEntries(
          routes.filter((s) => s.route?.auth === 'public').map((s) => [`${s.route?.method} ${s.route?.path}`, { throttlingRateLimit: 5, throttlingBurstLimit: 10 }]),
        ),
      });
    });

    it('writes JSON access logs that hold no query string, path or header', () => {
      const stageProps = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]?.Properties as { AccessLogSettings: { Format: string; DestinationArn: unknown } };
      const format = JSON.parse(stageProps.AccessLogSettings.Format) as Record<string, string>;
      expect(format).toEqual(ACCESS_LOG_FIELDS);
      for (const value of Object.values(format)) {
        expect(value).not.toMatch(/querystring|query|\$context\.path|header|userAgent|requestOverride|\$input|\$request|domainName/i);
      }
      expect(format.routeKey).toBe('$context.routeKey');
      expect(text(stageProps.AccessLogSettings.DestinationArn)).toContain('HttpAccessLogs');
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    });

    it('allows CORS only from the configured frontend, with Bearer tokens and no credentials', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: {
          AllowOrigins: ['http://localhost:5173'],
          AllowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
          AllowHeaders: ['authorization', 'content-type'],
          AllowCredentials: false,
          MaxAge: 3600,
        },
      });
    });
  });

  describe('sweep schedule', () => {
    const sweepId = functionLogicalId(template, SPECS.find((s) => s.id === 'Sweep') as FunctionSpec, stage);
    const [dlqId] = logicalIdOf('AWS::SQS::Queue', () => true);

    it('runs the sweep on the configured schedule with bounded retries and a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 hour)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [sweepId, 'Arn'] },
            RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          }),
        ],
      });
    });

    it("parks the sweep's own failed async invocations in the same queue", () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: sweepId },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
      });
    });

    it('has one dead-letter queue, encrypted, TLS-only, kept 14 days', () => {
      template.resourceCountIs('AWS::SQS::Queue', 1);
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: dlqId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('on-call', () => {
    const [topicId] = logicalIdOf('AWS::SNS::Topic', () => true);
    const busRules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties?.EventBusName);

    it('has a KMS-encrypted topic that refuses non-TLS publishing', () => {
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue(), TopicName: 'aob-amazon-connect-dev-on-call' });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('routes Expiring (1d), Expired and Revoked from the service bus to the topic as readable sentences', () => {
      const sellerRules = busRules.filter((r) => !JSON.stringify(r.Properties?.EventPattern).includes('App Credentials'));
      const patterns = sellerRules.map((r) => r.Properties?.EventPattern);
      expect(patterns).toEqual(
        expect.arrayContaining([
          { source: [EVENT_SOURCE], 'detail-type': [DETAIL_TYPES.expiring], detail: { threshold: ['1d'] } },
          { source: [EVENT_SOURCE], 'detail-type': [DETAIL_TYPES.expired] },
          { source: [EVENT_SOURCE], 'detail-type': [DETAIL_TYPES.revoked] },
        ]),
      );
      expect(sellerRules).toHaveLength(3);
      for (const rule of sellerRules) {
        expect(text(rule.Properties?.EventBusName)).toMatch(/Bus/);
        const [target] = rule.Properties?.Targets as Record<string, unknown>[];
        expect(target?.Arn).toEqual({ Ref: topicId });
        expect(target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 6 * 3600, MaximumRetryAttempts: 20 });
        expect(target?.DeadLetterConfig).toBeDefined();
        const transformer = target?.InputTransformer as { InputTemplate: string; InputPathsMap: Record<string, string> };
        expect(transformer.InputTemplate).toMatch(/authori[sz]/i);
        expect(Object.values(transformer.InputPathsMap)).toEqual(expect.arrayContaining(['$.detail.accountId', '$.detail.sellingPartnerId', '$.detail.eventId']));
        // What on-call does, and the command to look closer.
        expect(transformer.InputTemplate).toContain('Action: contact the seller');
        expect(transformer.InputTemplate).toMatch(/Look closer: npm run ops -- venues --account <[^>]+> --stage dev/);
      }
    });

    it('pages every App Credentials Expiring warning, saying to rotate and which commands to run', () => {
      const rules = busRules.filter((r) => JSON.stringify(r.Properties?.EventPattern).includes('App Credentials'));
      expect(rules.map((r) => r.Properties?.EventPattern)).toEqual([{ source: [EVENT_SOURCE], 'detail-type': ['Amazon App Credentials Expiring'] }]);
      const [target] = rules[0]?.Properties?.Targets as Record<string, unknown>[];
      const transformer = target?.InputTransformer as { InputTemplate: string; InputPathsMap: Record<string, string> };
      expect(transformer.InputTemplate).toContain('Action: rotate: npm run ops -- rotate-client-secret --stage dev');
      expect(transformer.InputTemplate).toContain('Look closer: npm run ops -- app-credentials --stage dev');
      expect(transformer.InputTemplate).toContain("check Amazon's status");
      expect(Object.values(transformer.InputPathsMap)).toEqual(expect.arrayContaining(['$.detail.clientSecretExpiresAt', '$.detail.threshold', '$.detail.eventId']));
    });

    it('has no email subscription unless onCallEmail is configured', () => {
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  describe('alarms (all to the on-call topic)', () => {
    const [topicId] = logicalIdOf('AWS::SNS::Topic', () => true);
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const alarmOn = (pred: (p: Record<string, unknown>) => boolean) => alarms.filter((a) => pred(a.Properties as Record<string, unknown>));

    it('every alarm notifies the topic when it fires and when it recovers', () => {
      for (const alarm of alarms) {
        expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: topicId }]);
        expect(alarm.Properties?.OKActions).toEqual([{ Ref: topicId }]);
        expect(alarm.Properties?.TreatMissingData).toBe('notBreaching');
        expect(String(alarm.Properties?.AlarmDescription).length).toBeGreaterThan(40);
      }
    });

    it.each(SPECS.map((s) => [s.id, s] as const))('%s: alarms on Errors and Throttles', (_id, spec) => {
      const fnId = functionLogicalId(template, spec, stage);
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarmOn((p) => p.MetricName === metric && p.Namespace === 'AWS/Lambda' && text(p.Dimensions).includes(fnId))).toHaveLength(1);
      }
    });

    it('alarms on any API 5xx, any dead letter, any sweep AlertFailures and any error the callback, the ticket hop or a disconnect logs', () => {
      expect(alarmOn((p) => p.Namespace === 'AWS/ApiGateway' && p.MetricName === '5xx')).toHaveLength(1);
      // The service's dead letters and the notification queue's own dead-letter queue.
      expect(alarmOn((p) => p.Namespace === 'AWS/SQS' && p.MetricName === 'ApproximateNumberOfMessagesVisible' && p.Threshold === 0)).toHaveLength(2);
      expect(
        alarmOn(
          (p) =>
            p.Namespace === 'AobAmazonConnect' &&
            p.MetricName === 'AlertFailures' &&
            JSON.stringify(p.Dimensions) === JSON.stringify([{ Name: 'stage', Value: 'dev' }]) &&
            p.ComparisonOperator === 'GreaterThanThreshold' &&
            p.Threshold === 0,
        ),
      ).toHaveLength(1);
      for (const id of ['Callback', 'CompleteAuthorization', 'AuthorizeTicket', 'Disconnect']) {
        expect(alarmOn((p) => p.Namespace === 'AobAmazonConnect/dev' && p.MetricName === `${id}Errors`)).toHaveLength(1);
        template.hasResourceProperties('AWS::Logs::MetricFilter', {
          FilterPattern: '{ $.level = "ERROR" }',
          LogGroupName: { Ref: Match.stringLikeRegexp(`^${id}Logs`) },
          MetricTransformations: [{ MetricNamespace: 'AobAmazonConnect/dev', MetricName: `${id}Errors`, MetricValue: '1' }],
        });
      }
    });
  });

  describe('alarm on a completion from another AoB account', () => {
    it('counts ACCOUNT_MISMATCH log lines of the completion and alarms on the first', () => {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: '{ $.alarm = "ACCOUNT_MISMATCH" }',
        LogGroupName: { Ref: Match.stringLikeRegexp('^CompleteAuthorizationLogs') },
        MetricTransformations: [{ MetricNamespace: 'AobAmazonConnect/dev', MetricName: 'AccountMismatches', MetricValue: '1' }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AccountMismatches', Namespace: 'AobAmazonConnect/dev', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    });
  });

  describe('outputs', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    it('gives the exact Redirect and Log-in URIs to register with Amazon, under the API URL', () => {
      const api = { 'Fn::GetAtt': [expect.stringMatching(/^HttpApi/), 'ApiEndpoint'] };
      expect(outputs.ApiUrl?.Value).toEqual(api);
      expect(outputs.RedirectUri?.Value).toEqual({ 'Fn::Join': ['', [api, '/v1/amazon/callback']] });
      expect(outputs.LoginUri?.Value).toEqual({ 'Fn::Join': ['', [api, '/v1/amazon/login']] });
    });

    it("names the app secret, the bus and the on-call topic", () => {
      expect(outputs.AppSecretName?.Value).toBe('aob-amazon-connect/dev/app');
      expect(text(outputs.EventBusName?.Value)).toMatch(/Bus/);
      expect(outputs.OnCallTopicArn?.Value).toEqual({ Ref: expect.stringMatching(/^OnCallTopic/) });
    });
  });
});
