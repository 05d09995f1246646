import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FUNCTIONS, type FunctionSpec } from '../../lambdas/functions.js';
import { loadStageConfig, type StageConfig, type StageConfigInput } from '../../lib/config.js';
import { PROJECT_ROOT } from '../../lib/paths.js';
import { addNagChecks, addServiceStage, type ServiceStacks } from '../../lib/service.js';

/**
 * Synthesizes the real app in-process, from cdk.json's context (the same stage configuration
 * `npm run synth` uses), once per test file. `bundle: false` skips esbuild (the
 * `aws:cdk:bundling-stacks` context the CLI itself uses): template assertions do not need the
 * code, only the bundle-size test does.
 */

export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context;

/** Handler modules of the manifest that do not exist (yet): the app cannot be built without them. */
export function missingHandlers(functions: readonly FunctionSpec[] = FUNCTIONS): string[] {
  return functions.filter((f) => !existsSync(join(PROJECT_ROOT, f.entry))).map((f) => f.entry);
}

/** `describe`, or `describe.skip` with the reason printed, while handler modules are missing. */
export function describeWithHandlers(name: string, fn: () => void): void {
  const missing = missingHandlers();
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  const reason = `the app cannot be synthesized until these handler modules exist: ${missing.join(', ')}`;
  console.warn(`SKIPPED "${name}": ${reason}`);
  describe.skip(name, () => it(reason, () => undefined));
}

export interface Synthesized extends ServiceStacks {
  readonly app: App;
  readonly config: StageConfig;
  readonly stateful: ServiceStacks['stateful'];
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
  readonly outdir: string;
  /** Removes the cloud assembly (bundles included) from the temp directory. */
  readonly dispose: () => void;
}

export function stageConfig(stage = 'dev', overrides: Partial<StageConfigInput> = {}): StageConfig {
  const stages = CDK_CONTEXT.stages as Record<string, Record<string, unknown>>;
  return loadStageConfig((key) => (key === 'stage' ? stage : key === 'stages' ? { ...stages, [stage]: { ...stages[stage], ...overrides } } : CDK_CONTEXT[key]));
}

export function synthesize(options: { readonly bundle: boolean; readonly config?: StageConfig; readonly nag?: boolean }): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'aob-infra-'));
  const app = new App({ outdir, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': options.bundle ? ['**'] : [] } });
  const config = options.config ?? stageConfig();
  const stacks = addServiceStage(app, config);
  // As bin/app.ts does: with the packs registered, synthesis itself fails on any unacknowledged finding.
  if (options.nag) addNagChecks(app);
  return {
    app,
    config,
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
    outdir,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: unknown[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The logical id of the Lambda function built for a manifest entry. */
export function functionLogicalId(template: Template, spec: FunctionSpec, stage: string): string {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: `aob-amazon-connect-${stage}-${kebab(spec.id)}` } });
  const ids = Object.keys(fns);
  if (ids.length !== 1) throw new Error(`expected one function for ${spec.id}, found ${ids.length}`);
  return ids[0] as string;
}

export function kebab(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Every IAM statement of the function's role (inline and attached policies, normalized to arrays). */
export function roleStatements(template: Template, spec: FunctionSpec, stage: string): Statement[] {
  const resources = template.toJSON().Resources as Resources;
  const fn = resources[functionLogicalId(template, spec, stage)];
  const roleId = ((fn?.Properties?.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'] as string[])[0] as string;
  const role = resources[roleId];
  if (role?.Properties?.ManagedPolicyArns) throw new Error(`${spec.id}'s role has managed policies`);
  const docs = [
    ...asArray(role?.Properties?.Policies as { PolicyDocument: { Statement: unknown[] } }[]).map((p) => p.PolicyDocument),
    ...Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && asArray(r.Properties?.Roles as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify({ Ref: roleId })))
      .map((r) => r.Properties?.PolicyDocument as { Statement: unknown[] }),
  ];
  return docs.flatMap((d) =>
    d.Statement.map((s) => {
      const st = s as { Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
      return { Effect: st.Effect, Action: asArray(st.Action), Resource: asArray(st.Resource), ...(st.Condition ? { Condition: st.Condition } : {}) };
    }),
  );
}

/** All actions the role allows on resources matching `pred`. */
export function allowedActions(statements: readonly Statement[]): string[] {
  return [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action))].sort();
}

/** A resource as text (intrinsics serialized) so tests can match on names and output references. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
