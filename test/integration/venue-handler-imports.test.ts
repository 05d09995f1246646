import { FUNCTIONS } from '../../lambdas/functions.js';
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
  // Every function of the manifest: a schema a function builds at cold start is valibot's (plain
  // objects), never zod's (classic nor mini: its core alone cost a body-parsing function about 5%
  // of its SDK floor), and the JSON Schema conversion is build-time only.
  it.each(FUNCTIONS.map((f) => [f.id, f.entry]))('%s loads no zod and no schema converter', async (_id, entry) => {
    const packages = await packagesIn(entry);

    expect(packages).not.toContain('zod');
    expect(packages).not.toContain('@valibot/to-json-schema');
  });
});

describe('which request schemas each handler keeps', () => {
  // esbuild honours valibot's "no side effects" marks only for calls inside valibot's own files,
  // so lambdas/contract/requests.ts and browser-requests.ts build each schema through a marked
  // function of their own; without it every handler would carry every schema of the module.
  const SCHEMAS = ['SetVenueActiveBodySchema', 'StartAuthorizationRequest', 'LoginContinuationRequest', 'AuthorizationCompletionRequest', 'AccessTokenRequest', 'CallbackQuery', 'LoginQuery', 'AuthorizeTicketPath'];
  const OWN: Record<string, string> = {
    SetVenueActive: 'SetVenueActiveBodySchema',
    StartAuthorization: 'StartAuthorizationRequest',
    ContinueLogin: 'LoginContinuationRequest',
    CompleteAuthorization: 'AuthorizationCompletionRequest',
    AccessTokens: 'AccessTokenRequest',
    Callback: 'CallbackQuery',
    Login: 'LoginQuery',
    AuthorizeTicket: 'AuthorizeTicketPath',
  };
  const schemasIn = async (entry: string): Promise<string[]> => {
    const result = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'node', format: 'esm', mainFields: ['module', 'main'], logLevel: 'silent', outdir: '/tmp/schema-imports' });
    const text = result.outputFiles[0]!.text;
    return SCHEMAS.filter((name) => new RegExp(`\\bvar ${name}\\d* =`).test(text));
  };

  it.each(FUNCTIONS.map((f) => [f.id, f.entry]))('%s keeps only the schema it parses with', async (id, entry) => {
    expect(await schemasIn(entry)).toEqual(OWN[id] ? [OWN[id]] : []);
  });
});
