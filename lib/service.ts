import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { FunctionSpec } from '../lambdas/functions.js';
import type { StageConfig } from './config.js';
import { SERVICE_NAME, stageNames } from './names.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

export interface ServiceStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * One stage of the service: the stateful stack, the stateless stack wired to it by typed props,
 * tags, and the cdk-nag packs (AwsSolutions + Serverless) that run on every synth. Any finding
 * not acknowledged next to its resource, with a reason, stops the synth.
 */
export function addServiceStage(app: App, config: StageConfig, options: { readonly functions?: readonly FunctionSpec[] } = {}): ServiceStacks {
  const names = stageNames(config.stage);
  const account = config.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const region = config.region ?? process.env.CDK_DEFAULT_REGION;
  const env = account || region ? { ...(account ? { account } : {}), ...(region ? { region } : {}) } : undefined;

  const stateful = new StatefulStack(app, names.statefulStack, {
    ...(env ? { env } : {}),
    config,
    description: `AoB Amazon Connect (${config.stage}): table, KMS key, event bus, app secret. RETAIN: survives stack deletion.`,
    terminationProtection: config.stage === 'prod',
  });
  const stateless = new StatelessStack(app, names.statelessStack, {
    ...(env ? { env } : {}),
    config,
    stateful,
    ...(options.functions ? { functions: options.functions } : {}),
    description: `AoB Amazon Connect (${config.stage}): functions, HTTP API, sweep schedule, on-call topic and alarms.`,
  });
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('service', SERVICE_NAME);
    Tags.of(stack).add('stage', config.stage);
  }
  return { stateful, stateless };
}

/** Registers the cdk-nag packs on the app: `synth` fails on any unacknowledged finding. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}
