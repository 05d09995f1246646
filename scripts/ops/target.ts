import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STAGE_PATTERN } from '../../lambdas/shared/config.js';
import { stageNames } from '../../lib/names.js';
import { loopbackUrl } from '../../lambdas/shared/loopback.js';

/**
 * Where the on-call CLI looks: a deployed stage (the caller's AWS credentials, the stage's
 * CloudFormation stack outputs) or the local stack (`npm start`, found through its
 * `GET /__dev/stack`). Either way the commands read the same table with the same adapters the
 * functions use, and ask the same functions to act.
 */

export interface OpsTarget {
  /** One line naming what is being looked at, e.g. `stage prod (eu-west-1)`. */
  readonly description: string;
  /** How the CLI was pointed at it (`--stage prod`, `--local`), for the follow-up commands it suggests. */
  readonly flag: string;
  readonly stage: string;
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  /** "Now" where the target lives: real time for a stage, the local stack's movable service clock locally. */
  readonly clock: { now(): Date };
  /** Invokes a function that has no route (RotateClientSecret) and returns its answer. */
  invoke(functionId: 'RotateClientSecret', payload?: unknown): Promise<unknown>;
  /** The token service's health check for one grant, when the stage has one. */
  healthCheck?(body: { accountId: string; marketplace: string }): Promise<unknown>;
  close(): void;
}

/** A problem the caller can fix: printed as is, exit code 2 (usage) or 1. */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'OpsError';
  }
}

/** The outputs the CLI needs, by stack. */
const NEEDED_OUTPUTS = { stateful: ['TableName'], stateless: ['RotateClientSecretFunctionName'] } as const;

export async function cloudTarget(stage: string, region: string | undefined): Promise<OpsTarget> {
  if (!STAGE_PATTERN.test(stage)) throw new OpsError(`--stage "${stage}" is not a stage name (lowercase letters, digits and dashes, e.g. prod).`, 2);
  const resolvedRegion = region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!resolvedRegion) throw new OpsError('No AWS region: pass --region eu-west-1 or set AWS_REGION (the region the stage is deployed in).', 2);
  const names = stageNames(stage);
  const cfn = new CloudFormationClient({ region: resolvedRegion, maxAttempts: 2 });
  const outputs = async (stackName: string, needed: readonly string[]): Promise<Record<string, string>> => {
    let stack;
    try {
      stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    } catch (error) {
      throw explainAwsError(error, `stage "${stage}" in ${resolvedRegion}`, stackName);
    }
    const values = Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
    const missing = needed.filter((k) => !values[k]);
    if (missing.length) {
      throw new OpsError(`Stack ${stackName} has no output ${missing.join(', ')}: the stage runs an older version. Deploy the current one: npm run deploy -- -c stage=${stage}.`);
    }
    return values;
  };
  const stateful = await outputs(names.statefulStack, NEEDED_OUTPUTS.stateful);
  const stateless = await outputs(names.statelessStack, NEEDED_OUTPUTS.stateless);
  cfn.destroy();

  const dynamo = new DynamoDBClient({ region: resolvedRegion, maxAttempts: 3 });
  const lambda = new LambdaClient({ region: resolvedRegion, maxAttempts: 1 });
  const invokeByName = async (functionName: string, payload: unknown) => {
    let out;
    try {
      out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(payload ?? {})) }));
    } catch (error) {
      throw explainAwsError(error, `stage "${stage}" in ${resolvedRegion}`, functionName);
    }
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : 'null';
    if (out.FunctionError) throw new OpsError(`${functionName} failed (${out.FunctionError}); read its log group. Answer: ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  };
  // Function names are fixed per stage (lib/names.ts): the token service's health check needs no output of its own.
  const healthFunction = stateless.HealthCheckFunctionName ?? names.functionName('HealthCheck');
  return {
    description: `stage ${stage} (${resolvedRegion})`,
    flag: `--stage ${stage}`,
    stage,
    clock: { now: () => new Date() },
    tableName: stateful.TableName as string,
    documentClient: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    invoke: (_id, payload) => invokeByName(stateless.RotateClientSecretFunctionName as string, payload),
    healthCheck: (body: { accountId: string; marketplace: string }) => invokeByName(healthFunction, { detail: body }),
    close: () => {
      dynamo.destroy();
      lambda.destroy();
    },
  };
}

interface LocalStackInfo {
  readonly stage: string;
  readonly region: string;
  readonly tableName: string;
  readonly dynamoDbEndpoint: string;
}

export async function localTarget(port: number): Promise<OpsTarget> {
  const base = loopbackUrl(port);
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
    } catch {
      throw new OpsError(`Nothing answers on ${base}: start the local stack there (PORT=${port} npm start), or pass the port it runs on with PORT=….`);
    }
    const text = await response.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // Kept as text.
    }
    return { status: response.status, json };
  };
  const info = await call('GET', '/__dev/stack');
  const stack = info.json as Partial<LocalStackInfo>;
  if (info.status !== 200 || !stack.tableName || !stack.dynamoDbEndpoint) {
    throw new OpsError(`${base} is not the local stack of this repository (GET /__dev/stack answered ${info.status}). Is another program on PORT ${port}?`);
  }
  const dynamo = new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, region: stack.region ?? 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const serviceNow = Date.parse(((await call('GET', '/__dev/clock')).json as { now?: string }).now ?? '');
  const offsetMs = Number.isNaN(serviceNow) ? 0 : serviceNow - Date.now();
  return {
    description: `local stack ${base}`,
    flag: '--local',
    stage: stack.stage ?? 'local',
    clock: { now: () => new Date(Date.now() + offsetMs) },
    tableName: stack.tableName,
    documentClient: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    invoke: async (id, payload) => {
      const answer = await call('POST', `/__dev/invoke/${id}`, { payload: payload ?? {} });
      if (answer.status !== 200) throw new OpsError(`${id} failed on the local stack (HTTP ${answer.status}): ${JSON.stringify(answer.json).slice(0, 300)}`);
      return (answer.json as { result: unknown }).result;
    },
    healthCheck: async (body) => {
      const answer = await call('POST', '/__dev/health-check', body);
      if (answer.status === 404) throw new OpsError('This local stack has no health check (POST /__dev/health-check): update the repository.');
      if (answer.status !== 200) throw new OpsError(`The local health check answered HTTP ${answer.status}: ${JSON.stringify(answer.json).slice(0, 300)}`);
      return answer.json;
    },
    close: () => dynamo.destroy(),
  };
}

/** Turns the SDK's errors into what the on-call engineer has to do. */
export function explainAwsError(error: unknown, where: string, resource: string): OpsError {
  const name = (error as Error)?.name ?? 'Error';
  const message = (error as Error)?.message ?? '';
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message)) {
    return new OpsError(`No AWS credentials: sign in first (aws sso login --profile …, then AWS_PROFILE=…; or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) for ${where}.`);
  }
  if (name === 'ValidationError' && /does not exist/.test(message)) {
    return new OpsError(`The ${where} is not deployed: there is no stack ${resource}. Check --stage and the region (AWS_REGION / --region).`);
  }
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken') return new OpsError(`Your AWS session expired: sign in again (aws sso login) for ${where}.`);
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnrecognizedClientException') {
    return new OpsError(`AWS refused ${resource} for your credentials (${name}): they need read access to the stage's stacks and table, and lambda:InvokeFunction on its RotateClientSecret function.`);
  }
  if (name === 'ResourceNotFoundException') return new OpsError(`${resource} does not exist in ${where}: deploy the current version.`);
  return new OpsError(`AWS answered ${name} for ${resource} (${where}).`);
}
