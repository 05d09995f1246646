import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { FUNCTIONS, type FunctionSpec } from '../lambdas/functions.js';
import { loadStageConfig } from '../lib/config.js';
import { addServiceStage } from '../lib/service.js';

/**
 * Bundles every function exactly as `cdk synth` does (the real stacks, esbuild, the stage's
 * settings) and reports each minified `index.mjs` against its budget in the manifest.
 * Bytes, not time: the same on any machine.
 */

export interface BundleMeasurement {
  readonly id: string;
  readonly bytes: number;
  readonly budgetBytes: number;
  readonly withinBudget: boolean;
}

/** One function as `cdk synth` built it: its asset folder and its deployed environment. */
export interface LambdaBundle {
  readonly spec: FunctionSpec;
  /** The asset folder: `index.mjs` and `index.mjs.map`. */
  readonly dir: string;
  readonly file: string;
  readonly bytes: number;
  /** The function's environment from the template; values only known at deploy time are samples. */
  readonly environment: Readonly<Record<string, string>>;
}

type Resources = Record<string, { Type: string; Properties?: { Code?: { S3Key?: string }; Environment?: { Variables?: Record<string, unknown> } } }>;

/** Deploy-time values (resource names, the API URL) as plausible samples, so the config parses exactly as in Lambda. */
const SAMPLES: Record<string, string> = {
  API_BASE_URL: 'https://abcdef1234.execute-api.eu-west-1.amazonaws.com',
  GRANT_SECRET_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000000',
};

/** Synthesizes the stacks with bundling; call `dispose()` when done with the folders. */
export async function synthesizeBundles(): Promise<{ bundles: LambdaBundle[]; dispose: () => void }> {
  const cdkJson = (await import('../cdk.json', { with: { type: 'json' } })).default as { context: Record<string, unknown> };
  const outdir = mkdtempSync(join(tmpdir(), 'aob-bench-bundles-'));
  try {
    const app = new App({ outdir, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': ['**'] } });
    const { stateless } = addServiceStage(app, loadStageConfig((key) => app.node.tryGetContext(key)));
    const resources = (app.synth().getStackArtifact(stateless.artifactId).template as { Resources: Resources }).Resources;
    const bundles = FUNCTIONS.map((spec: FunctionSpec): LambdaBundle => {
      const resource = functionResource(stateless, resources, spec);
      const dir = join(outdir, `asset.${(resource.Properties?.Code?.S3Key ?? '').replace(/\.zip$/, '')}`);
      const file = join(dir, 'index.mjs');
      const variables = resource.Properties?.Environment?.Variables ?? {};
      const environment = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : (SAMPLES[k] ?? `aob-amazon-connect-bench-${k.toLowerCase().replace(/_/g, '-')}`)]));
      return { spec, dir, file, bytes: statSync(file).size, environment };
    });
    return { bundles, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

export function budgetOf(bundle: LambdaBundle): BundleMeasurement {
  const budgetBytes = bundle.spec.bundleBudgetKiB * 1024;
  return { id: bundle.spec.id, bytes: bundle.bytes, budgetBytes, withinBudget: bundle.bytes <= budgetBytes };
}

export async function measureBundles(): Promise<BundleMeasurement[]> {
  const { bundles, dispose } = await synthesizeBundles();
  try {
    return bundles.map(budgetOf);
  } finally {
    dispose();
  }
}

function functionResource(stack: Stack, resources: Resources, spec: FunctionSpec): Resources[string] {
  const fn = stack.node.findAll().find((c) => c.node.path.endsWith(`/${spec.id}/Function`));
  const logicalId = fn ? stack.getLogicalId(fn.node.defaultChild as never) : undefined;
  const resource = logicalId ? resources[logicalId] : undefined;
  if (!resource?.Properties?.Code?.S3Key) throw new Error(`no bundled asset found for ${spec.id}`);
  return resource;
}
