import { join } from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, Tracing, ApplicationLogLevel, SystemLogLevel } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { OPENAPI_DOCUMENT_GLOBAL, openApiDocumentText } from '../../lambdas/contract/openapi.js';
import type { FunctionSpec } from '../../lambdas/functions.js';
import type { ItemAccess } from '../../lambdas/functions.js';
import type { ServiceTable } from './service-table.js';

/** Defaults every function shares; a manifest entry may raise memory or timeout. */
export const FUNCTION_DEFAULTS = {
  runtime: Runtime.NODEJS_24_X,
  architecture: Architecture.ARM_64,
  memoryMb: 256,
  timeoutSeconds: 10,
} as const;

/**
 * ESM needs `require` for the few CommonJS dependencies esbuild leaves as `require(…)` calls
 * (Node built-ins pulled in by the AWS SDK); the banner gives the module one.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * Credential sources the SDK's default chain imports lazily (`await import(…)`) only after the
 * environment variables came up empty. Lambda always sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 * and AWS_SESSION_TOKEN for the execution role, so `fromEnv` answers first and these are never
 * loaded: left out of the bundle they save ~130 KB (the SSO/STS/sign-in clients) per function.
 */
export const UNREACHABLE_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-login',
  '@smithy/credential-provider-imds',
] as const;

/** DynamoDB actions per manifest access level. Transactions need the per-item actions, nothing more. */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readwrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const;

/**
 * Grant-secret actions per manifest mode. Nothing in the service reads a refresh token back, so
 * no function gets GetSecretValue on grant secrets: a leaked writer role cannot read them.
 */
export const GRANT_SECRET_ACTIONS = {
  write: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:RestoreSecret', 'secretsmanager:TagResource'],
  delete: ['secretsmanager:DeleteSecret'],
  /** The token service: read a grant's tokens, store a refreshed one as a new version. */
  tokens: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
} as const;

let defines: Record<string, string> | undefined;

/**
 * Values esbuild writes into every bundle in place of an identifier, computed once per synth.
 * Only bundles that use the identifier change: the OpenAPI document, generated here rather than
 * converted from the zod schemas at cold start.
 */
export function buildTimeDefines(): Readonly<Record<string, string>> {
  defines ??= { [OPENAPI_DOCUMENT_GLOBAL]: JSON.stringify(openApiDocumentText()) };
  return defines;
}

export interface ServiceFunctionProps {
  readonly spec: FunctionSpec;
  readonly functionName: string;
  readonly projectRoot: string;
  /** Configuration every function reads at cold start (lambdas/shared/config.ts). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/**
 * One Lambda of the manifest with the service's defaults: Node.js 24 on ARM64, X-Ray tracing,
 * JSON logs into its own log group with a retention, a local esbuild bundle (ESM, minified,
 * source maps, AWS SDK bundled: faster cold import than the runtime's copy) and its own role
 * that starts empty. The `bind…` helpers set a resource's environment variable and its IAM
 * permission together, so a function can never be configured for a resource it may not touch.
 */
export class ServiceFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.spec = props.spec;

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.functionName}: only what the function manifest grants it`,
    });
    // Only its own log group: no AWSLambdaBasicExecutionRole (logs:* on every group).
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: `AoB Amazon Connect: ${props.spec.route ? `${props.spec.route.method} ${props.spec.route.path}` : props.spec.id}`,
      entry: join(props.projectRoot, props.spec.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: FUNCTION_DEFAULTS.runtime,
      architecture: FUNCTION_DEFAULTS.architecture,
      memorySize: props.spec.memoryMb ?? FUNCTION_DEFAULTS.memoryMb,
      timeout: Duration.seconds(props.spec.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds),
      role: this.role,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      environment: { ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        // The .map files are written next to index.mjs for on-call to map a stack trace offline
        // (docs/deploy.md); nothing loads them at run time (no --enable-source-maps: it cost
        // every cold start ×1.14–1.26, see README "Performance").
        sourceMap: true,
        sourcesContent: false,
        // Every function bundles the pinned SDK: never the runtime's (older, unpinned) copy.
        bundleAwsSDK: true,
        externalModules: [...UNREACHABLE_CREDENTIAL_PROVIDERS],
        define: { ...buildTimeDefines() },
        banner: ESM_REQUIRE_BANNER,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) use "*": X-Ray has no resource-level permissions. Every other statement names its resource.',
    });
  }

  /** Sets a variable of the function's configuration. */
  private env(name: string, value: string): void {
    this.function.addEnvironment(name, value);
  }

  private allow(actions: readonly string[], resources: readonly string[], conditions?: Record<string, Record<string, unknown>>): void {
    this.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: [...actions], resources: [...resources], ...(conditions ? { conditions } : {}) }));
  }

  /** KMS use of the stage key, only through the named service (DynamoDB or Secrets Manager). */
  private allowKey(key: IKey, actions: readonly string[], viaService: 'dynamodb' | 'secretsmanager'): void {
    const stack = Stack.of(this);
    this.allow(actions, [key.keyArn], { StringEquals: { 'kms:ViaService': `${viaService}.${stack.region}.${stack.urlSuffix}` } });
  }

  /**
   * TABLE_NAME + item actions on the table, each statement conditioned on the partition keys it
   * may touch (`dynamodb:LeadingKeys`, e.g. `AUTH#*`), and the due or health index only when asked.
   */
  bindTable(store: ServiceTable, mode: 'read' | 'readwrite', options: { readonly dueIndex?: boolean; readonly healthIndex?: boolean; readonly items: readonly ItemAccess[] }): void {
    const { table } = store;
    this.env('TABLE_NAME', table.tableName);
    for (const item of options.items) {
      const actions = item.actions.map((a) => `dynamodb:${a}`);
      const allowed: readonly string[] = TABLE_ACTIONS[mode];
      const beyond = actions.filter((a) => !allowed.includes(a));
      if (beyond.length > 0) throw new Error(`${this.node.id}: ${beyond.join(', ')} on ${item.keys} is more than table access '${mode}' allows`);
      this.allow(actions, [table.tableArn], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${item.keys}*`] } });
    }
    if (options.dueIndex) this.allow(['dynamodb:Query'], [`${table.tableArn}/index/${store.dueIndexName}`]);
    if (options.healthIndex) this.allow(['dynamodb:Query'], [`${table.tableArn}/index/${store.healthIndexName}`]);
    if (table.encryptionKey) {
      this.allowKey(table.encryptionKey, mode === 'read' ? ['kms:Decrypt', 'kms:DescribeKey'] : ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], 'dynamodb');
    }
  }

  /**
   * GRANT_SECRET_PREFIX + the secret actions of its modes on `${prefix}*` only. Writers must
   * create every grant secret under the stage key (GRANT_SECRET_KMS_KEY_ID): refresh tokens are
   * never stored under the AWS-managed key.
   */
  bindGrantSecrets(prefix: string, key: IKey, modes: readonly ('write' | 'delete' | 'tokens')[]): void {
    const stack = Stack.of(this);
    const prefixArn = stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${prefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.env('GRANT_SECRET_PREFIX', prefix);
    if (modes.includes('write')) {
      this.env('GRANT_SECRET_KMS_KEY_ID', key.keyArn);
      this.allow(['secretsmanager:CreateSecret'], [prefixArn], { StringEquals: { 'secretsmanager:KmsKeyArn': key.keyArn } });
      this.allow(GRANT_SECRET_ACTIONS.write.filter((a) => a !== 'secretsmanager:CreateSecret'), [prefixArn]);
      this.allowKey(key, ['kms:Decrypt', 'kms:GenerateDataKey'], 'secretsmanager');
    }
    if (modes.includes('delete')) this.allow(GRANT_SECRET_ACTIONS.delete, [prefixArn]);
    if (modes.includes('tokens')) {
      this.allow(GRANT_SECRET_ACTIONS.tokens, [prefixArn]);
      this.allowKey(key, ['kms:Decrypt', 'kms:GenerateDataKey'], 'secretsmanager');
    }
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(prefixArn, stack)}]`,
      reason: `Grant secrets are created at run time, one per authorization, so their names are only known by prefix: access is limited to "${prefix}*" of this stage (the Secrets Manager ARN suffix is random too).`,
    });
  }

  /** APP_SECRET_NAME + read of that one secret (and, with `write`, PutSecretValue on it: a rotation's new client secret). */
  bindAppSecret(secret: ISecret, secretName: string, key: IKey, options: { readonly write?: boolean } = {}): void {
    this.env('APP_SECRET_NAME', secretName);
    this.allow(options.write ? ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'] : ['secretsmanager:GetSecretValue'], [secret.secretArn]);
    this.allowKey(key, options.write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'], 'secretsmanager');
  }

  /** EVENT_BUS_NAME + PutEvents on that bus. */
  bindEventBus(bus: IEventBus): void {
    this.env('EVENT_BUS_NAME', bus.eventBusName);
    this.allow(['events:PutEvents'], [bus.eventBusArn]);
  }
}

/** cdk-nag renders intrinsics as `<Ref>`/`<Resource.Attr>`; this renders a formatArn token the same way. */
function nagResource(arn: string, stack: Stack): string {
  const resolved = stack.resolve(arn) as unknown;
  return renderForNag(resolved);
}

function renderForNag(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('Ref' in obj) return `<${String(obj.Ref)}>`;
    if ('Fn::GetAtt' in obj) return `<${(obj['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in obj) {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map(renderForNag).join(sep);
    }
  }
  return JSON.stringify(value);
}
