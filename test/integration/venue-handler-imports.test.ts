import { build } from 'esbuild';

/**
 * Each venue handler carries only the clients it calls: the read handlers never load Secrets
 * Manager, EventBridge or the OpenAPI generator, and the OpenAPI handler loads no AWS SDK at all.
 * (Sizes against the budgets are checked over the synthesized assets in test/infra.)
 */
const packagesIn = async (entry: string): Promise<Set<string>> => {
  const result = await build({ entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', mainFields: ['module', 'main'], logLevel: 'silent', outdir: '/tmp/venue-imports' });
  const packages = Object.keys(result.metafile.inputs).flatMap((path) => {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    return match ? [match[1]!] : [];
  });
  return new Set(packages);
};

describe('what each venue handler bundles', () => {
  it.each(['list-venues', 'get-venue', 'set-venue-active'])('%s loads DynamoDB only', async (name) => {
    const packages = await packagesIn(`lambdas/handlers/${name}.ts`);

    expect(packages).toContain('@aws-sdk/client-dynamodb');
    expect(packages).not.toContain('@aws-sdk/client-secrets-manager');
    expect(packages).not.toContain('@aws-sdk/client-eventbridge');
    expect(packages).not.toContain('@asteasolutions/zod-to-openapi');
  });

  it('disconnect loads DynamoDB, Secrets Manager and EventBridge, not the OpenAPI generator', async () => {
    const packages = await packagesIn('lambdas/handlers/disconnect.ts');

    for (const p of ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-eventbridge']) expect(packages).toContain(p);
    expect(packages).not.toContain('@asteasolutions/zod-to-openapi');
  });

  it('openapi loads no AWS SDK, and neither the generator nor zod: its document is built at build time', async () => {
    const packages = await packagesIn('lambdas/handlers/openapi.ts');

    expect([...packages].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'))).toEqual([]);
    expect(packages).not.toContain('@asteasolutions/zod-to-openapi');
    expect(packages).not.toContain('zod');
  });
});

describe('what the handlers validate with', () => {
  const inputsOf = async (entry: string): Promise<string[]> => {
    const result = await build({ entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', mainFields: ['module', 'main'], logLevel: 'silent', outdir: '/tmp/zod-imports' });
    return Object.keys(result.metafile.inputs);
  };

  it.each(['set-venue-active', 'start-authorization', 'continue-login', 'complete-authorization', 'authorize-ticket', 'callback', 'list-venues', 'openapi', 'sweep', 'app-notifications', 'rotate-client-secret', 'access-tokens', 'health-check'])('%s loads no zod classic (zod/mini at most: its cold start is ×1.2 cheaper)', async (name) => {
    const inputs = await inputsOf(`lambdas/handlers/${name}.ts`);

    expect(inputs.filter((p) => /node_modules\/zod\/v4\/classic\//.test(p))).toEqual([]);
  });
});
