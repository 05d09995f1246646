import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
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

export async function measureBundles(): Promise<BundleMeasurement[]> {
  const cdkJson = (await import('../cdk.json', { with: { type: 'json' } })).default as { context: Record<string, unknown> };
  const outdir = mkdtempSync(join(tmpdir(), 'aob-bench-bundles-'));
  try {
    const app = new App({ outdir, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': ['**'] } });
    const { stateless } = addServiceStage(app, loadStageConfig((key) => app.node.tryGetContext(key)));
    app.synth();
    const resources = (app.synth().getStackArtifact(stateless.artifactId).template as { Resources: Record<string, { Type: string; Properties?: { Code?: { S3Key?: string }; FunctionName?: unknown } }> }).Resources;
    return FUNCTIONS.map((spec: FunctionSpec) => {
      const assetKey = functionAssetKey(stateless, resources, spec);
      const bytes = statSync(join(outdir, `asset.${assetKey.replace(/\.zip$/, '')}`, 'index.mjs')).size;
      const budgetBytes = spec.bundleBudgetKiB * 1024;
      return { id: spec.id, bytes, budgetBytes, withinBudget: bytes <= budgetBytes };
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function functionAssetKey(stack: Stack, resources: Record<string, { Type: string; Properties?: { Code?: { S3Key?: string } } }>, spec: FunctionSpec): string {
  const fn = stack.node.findAll().find((c) => c.node.path.endsWith(`/${spec.id}/Function`));
  const logicalId = fn ? stack.getLogicalId(fn.node.defaultChild as never) : undefined;
  const key = logicalId ? resources[logicalId]?.Properties?.Code?.S3Key : undefined;
  if (!key) throw new Error(`no bundled asset found for ${spec.id}`);
  return key;
}
