import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TABLE_SCHEMA } from '../../lambdas/adapters/dynamo/table-schema.js';
import { APP_CREDENTIALS_TEMPLATE } from '../../lib/constructs/app-credentials-secret.js';
import { StatefulStack } from '../../lib/stateful-stack.js';
import { CDK_CONTEXT, stageConfig } from './support.js';

/** The stateful stack alone: it needs no handler code, so it is checked even before handlers exist. */
const app = new App({ context: CDK_CONTEXT });
const stack = new StatefulStack(app, 'Stateful', { config: stageConfig() });
const template = Template.fromStack(stack);
const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0] as string;

describe('stateful stack: what must survive a redeploy', () => {
  it('keeps the table on stack deletion and refuses to delete it at all (RETAIN + deletion protection)', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true, TableName: 'aob-amazon-connect-dev' }),
    });
  });

  it('builds the table from TABLE_SCHEMA: pk/sk, the sparse due and health indexes and the TTL attribute', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: TABLE_SCHEMA.dueIndex.name,
          KeySchema: [
            { AttributeName: TABLE_SCHEMA.dueIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_SCHEMA.dueIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: TABLE_SCHEMA.healthIndex.name,
          KeySchema: [
            { AttributeName: TABLE_SCHEMA.healthIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_SCHEMA.healthIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has point-in-time recovery and encrypts with the customer key', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
  });

  it('has one customer KMS key, rotated yearly and kept on stack deletion', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true, RotationPeriodInDays: 365 }),
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/aob-amazon-connect-dev-data' });
  });

  it('creates the app-credentials secret empty (the JSON template only), under the customer key, RETAIN', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        Name: 'aob-amazon-connect/dev/app',
        SecretString: APP_CREDENTIALS_TEMPLATE,
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      }),
    });
    expect(JSON.parse(APP_CREDENTIALS_TEMPLATE)).toEqual({ clientId: '', clientSecret: '', applicationId: '' });
  });

  it('creates the custom event bus under its stage name', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'aob-amazon-connect-dev' });
  });

  it('exposes the grant-secret prefix of its stage for IAM scoping', () => {
    expect(stack.grantSecretPrefix).toBe('aob-amazon-connect/dev/grants/');
  });
});
