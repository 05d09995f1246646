import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS, type FunctionSpec } from '../../lambdas/functions.js';
import { builtinModules } from 'node:module';
import { OPENAPI_DOCUMENT_GLOBAL } from '../../lambdas/contract/openapi.js';
import { ESM_REQUIRE_BANNER, UNREACHABLE_CREDENTIAL_PROVIDERS } from '../../lib/constructs/service-function.js';
import { describeWithHandlers, functionLogicalId, type Resources, synthesize } from './support.js';

/**
 * Bundles every function with esbuild exactly as `cdk synth`/`cdk deploy` do and checks each
 * bundle against its budget in the manifest. Bytes, not time: a size is deterministic on any
 * machine. Rerun alone with `npm test -- test/infra/bundle-size.test.ts`; sizes are printed.
 */
const SPECS: readonly FunctionSpec[] = FUNCTIONS;
const BUILTINS = new Set(builtinModules);
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

describeWithHandlers('Lambda bundles (esbuild, synthesized assets)', () => {
  const synth = synthesize({ bundle: true });
  afterAll(() => synth.dispose());
  const resources = synth.statelessTemplate.toJSON().Resources as Resources;
  const bundleDir = (spec: FunctionSpec): string => {
    const code = resources[functionLogicalId(synth.statelessTemplate, spec, synth.config.stage)]?.Properties?.Code as { S3Key: string };
    return join(synth.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
  };
  const sizes = SPECS.map((spec) => {
    const file = join(bundleDir(spec), 'index.mjs');
    return { spec, file, bytes: existsSync(file) ? statSync(file).size : Number.NaN };
  });

  afterAll(() => {
    console.log(
      ['bundle sizes (index.mjs, minified):', ...sizes.map(({ spec, bytes }) => `  ${spec.id.padEnd(19)} ${(bytes / 1024).toFixed(1).padStart(6)} KiB  (budget ${spec.bundleBudgetKiB} KiB)`)].join('\n'),
    );
  });

  it.each(sizes.map((s) => [s.spec.id, s] as const))('%s: index.mjs is within its bundleBudgetKiB', (_id, { spec, bytes }) => {
    expect(bytes).toBeLessThanOrEqual(spec.bundleBudgetKiB * 1024);
  });

  it.each(sizes.map((s) => [s.spec.id, s] as const))('%s: is one ESM file with the pinned AWS SDK inside, a require shim and a linked source map', (_id, { file }) => {
    const code = readFileSync(file, 'utf8');
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    // Any package the bundle still loads at run time, and how (the code itself is never printed: it is 300 KB).
    const loads = [...code.matchAll(/(import\s*\(\s*|from\s*|require\(\s*|import\s*)"([^"\s]+)"/g)]
      .map((m) => ({ how: (m[1] ?? '').replace(/\s/g, ''), pkg: packageOf(m[2] ?? '') }))
      .filter(({ pkg }) => !pkg.startsWith('node:') && !BUILTINS.has(pkg));
    const staticLoads = loads.filter(
      ({ how, pkg }) => !(how === 'import(' && (UNREACHABLE_CREDENTIAL_PROVIDERS as readonly string[]).includes(pkg)) && pkg !== '@aws-sdk/signature-v4-crt',
    );
    expect(staticLoads).toEqual([]);
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    expect(existsSync(`${file}.map`)).toBe(true);
  });

  it('OpenApi: carries its document, generated at build time, instead of the generator', () => {
    const openApi = sizes.find((s) => s.spec.id === 'OpenApi');
    const code = readFileSync(openApi!.file, 'utf8');
    expect(code).not.toContain(OPENAPI_DOCUMENT_GLOBAL);
    expect(code).toContain('operationId');
    expect(code).not.toMatch(/OpenApiGeneratorV31|ZodError/);
  });
});
