import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DAY_MS } from '../../lambdas/domain/time.js';
import { stageNames } from '../../lib/names.js';
import { type LocalStack, REPOSITORY_ROOT, startLocalStack } from '../../local/stack.js';
import { HELP, runCli } from '../../scripts/ops/cli.js';
import { BrowserLike, finishOnCompletionPage } from './browser-like.js';
import { type LoopbackGuard, guardLoopback } from './loopback-guard.js';

/**
 * The on-call CLI against the local stack: `--local` the way on-call runs it next to `npm start`,
 * and `--stage` through the real AWS SDK clients pointed at a CloudFormation/Lambda stand-in whose
 * outputs name the local stack's table and functions — the same code path as a deployed stage.
 */

let stack: LocalStack;
let guard: LoopbackGuard;
let cloud: Server;
let cloudOutputs: Record<string, Record<string, string>> = {};
const ACCOUNT = 'acc-ops-1';

beforeAll(async () => {
  guard = guardLoopback();
  stack = await startLocalStack({ port: 0, inMemory: true, sweepIntervalMs: 0 });
  cloud = createServer((req, res) => void fakeCloud(req, res));
  await new Promise<void>((resolve) => cloud.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(cloud.address() as AddressInfo).port}`;
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = endpoint;
  process.env.AWS_ENDPOINT_URL_LAMBDA = endpoint;
  await authorizeUk(ACCOUNT);
});

afterAll(async () => {
  await fetch(`${stack.url}/__dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"reset":true}' }).catch(() => undefined);
  await new Promise<void>((resolve) => cloud.close(() => resolve()));
  await stack?.stop();
  guard.restore();
});

/** CloudFormation DescribeStacks (query protocol, XML) and Lambda Invoke (REST JSON), enough for the CLI. */
async function fakeCloud(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
  if (invoke) {
    const payload = JSON.parse(body || '{}') as { detail?: { accountId: string; marketplace: string } };
    const result = decodeURIComponent(invoke[1] as string) === stageNames('local').functionName('HealthCheck') ? await stack.runHealthCheck(payload.detail) : await stack.invoke('RotateClientSecret', payload);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    return;
  }
  const form = new URLSearchParams(body);
  const name = form.get('StackName') ?? '';
  const outputs = cloudOutputs[name];
  if (!outputs) {
    res.writeHead(400, { 'content-type': 'text/xml' }).end(`<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error><RequestId>r1</RequestId></ErrorResponse>`);
    return;
  }
  const members = Object.entries(outputs).map(([k, v]) => `<member><OutputKey>${k}</OutputKey><OutputValue>${v}</OutputValue></member>`).join('');
  res
    .writeHead(200, { 'content-type': 'text/xml' })
    .end(
      `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${name}</StackName><StackId>arn:aws:cloudformation:eu-west-1:000000000000:stack/${name}/1</StackId><CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></DescribeStacksResponse>`,
    );
}

async function dev(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

async function authorizeUk(accountId: string): Promise<void> {
  const { token } = (await dev('POST', '/__dev/token', { accountId })) as { token: string };
  const started = await fetch(`${stack.url}/v1/amazon/venues/UK/authorizations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  const browser = new BrowserLike();
  const consent = await browser.goto(((await started.json()) as { authorizationUrl: string }).authorizationUrl);
  await finishOnCompletionPage(browser, await browser.submit(consent, { button: 'Confirm', check: ['consent'] }), token);
}

async function ops(args: string[], options: { confirm?: (q: string) => Promise<boolean>; env?: Record<string, string | undefined> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { PORT: new URL(stack.url).port, ...options.env }, ...(options.confirm ? { confirm: options.confirm } : {}) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('npm run ops', () => {
  it('--help and docs/operations.md cover every command; the npm script runs it', async () => {
    const doc = readFileSync(join(REPOSITORY_ROOT, 'docs', 'operations.md'), 'utf8');
    for (const command of ['venues --account', 'grants --expiring-within', 'check --account', 'app-credentials', 'rotate-client-secret']) {
      expect(HELP).toContain(command);
      expect(doc).toContain(`npm run ops -- ${command}`);
    }
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/ops/cli.ts', '--help'], { cwd: REPOSITORY_ROOT });
    expect(stdout).toContain('Usage: npm run ops -- <command>');
  });

  it('refuses unclear requests with exit code 2 before contacting anything', async () => {
    expect(await ops(['venues', '--account', ACCOUNT])).toMatchObject({ code: 2, err: expect.stringContaining('Pass --stage STAGE') });
    expect(await ops(['venues', '--local', '--stage', 'prod', '--account', ACCOUNT])).toMatchObject({ code: 2, err: expect.stringContaining('not both') });
    expect(await ops(['reboot', '--local'])).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command') });
    expect(await ops(['venues', '--local'])).toMatchObject({ code: 2, err: expect.stringContaining('--account is required') });
    expect(await ops(['grants', '--local', '--expiring-within', 'soon'])).toMatchObject({ code: 2, err: expect.stringContaining('not a duration') });
    expect(await ops(['venues', '--local', '--acount', 'x'])).toMatchObject({ code: 2 });
  });

  describe('--local (npm start on PORT)', () => {
    it('venues: the Venue Settings table as the seller sees it', async () => {
      const text = await ops(['venues', '--local', '--account', ACCOUNT]);
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/^UK\s+EU\s+Current\s+no\s+ASANDBOXEU0001/m);
      expect(text.out).toMatch(/^US\s+NA\s+No token present/m);
      const data = json((await ops(['venues', '--local', '--account', ACCOUNT, '--json'])).out) as { venues: { marketplace: string; token: { status: string } }[] };
      expect(data.venues.find((v) => v.marketplace === 'UK')?.token.status).toBe('current');
    });

    it('grants --expiring-within: by expiry, with account, seller and region, on the service clock', async () => {
      expect(json((await ops(['grants', '--local', '--expiring-within', '30d', '--json'])).out)).toEqual({ withinHours: 720, grants: [] });
      await dev('POST', '/__dev/clock', { advance: 'P340D' });
      const found = json((await ops(['grants', '--local', '--expiring-within', '30d', '--json'])).out) as { grants: Record<string, unknown>[] };
      expect(found.grants).toEqual([expect.objectContaining({ accountId: ACCOUNT, sellingPartnerId: 'ASANDBOXEU0001', region: 'EU', expired: false })]);
      expect((await ops(['grants', '--local', '--expiring-within', '30d'])).out).toMatch(new RegExp(`${ACCOUNT}\\s+ASANDBOXEU0001\\s+EU`));
      await dev('POST', '/__dev/clock', { reset: true });
    });

    it('app-credentials: the current secret, its expiry, the previous one and the last notification; never a secret', async () => {
      expect((await ops(['app-credentials', '--local'])).out).toContain('none received');
      const expiresAt = new Date(Date.now() + 40 * DAY_MS).toISOString();
      const notice = await dev('POST', '/__dev/sandbox/notifications/secret-expiry', { expiresAt });
      await dev('POST', '/__dev/notifications/poll');
      const data = json((await ops(['app-credentials', '--local', '--json'])).out);
      expect(data).toMatchObject({ current: { source: 'as written by ops', expiresAt }, previous: null, lastNotification: { type: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY', notificationId: notice.notificationId } });
      expect((await ops(['app-credentials', '--local'])).out).toContain(`expires ${expiresAt}`);
    });

    it('rotate-client-secret: asks first (no answer, no rotation), --yes skips it; Amazon allows one a minute', async () => {
      const before = stack.sandbox.stats().rotations;
      expect(await ops(['rotate-client-secret', '--local'])).toMatchObject({ code: 2, err: expect.stringContaining('--yes') });
      expect(await ops(['rotate-client-secret', '--local'], { confirm: async () => false })).toMatchObject({ code: 1, out: 'Nothing done.' });
      expect(stack.sandbox.stats().rotations).toBe(before);

      const asked: string[] = [];
      const done = await ops(['rotate-client-secret', '--local'], { confirm: async (q) => (asked.push(q), true) });
      expect(done).toMatchObject({ code: 0, out: expect.stringContaining('Requested') });
      expect(asked[0]).toContain('local stack');
      expect(stack.sandbox.stats().rotations).toBe(before + 1);
      expect(json((await ops(['rotate-client-secret', '--local', '--yes', '--json'])).out)).toMatchObject({ outcome: 'too-soon' });

      await dev('POST', '/__dev/notifications/poll');
      const after = json((await ops(['app-credentials', '--local', '--json'])).out);
      expect(after).toMatchObject({ current: { source: 'rotated' }, previous: { stillAccepted: true }, rotation: { pending: false } });
      const secret = JSON.parse(stack.secretsManager.getSecretValue({ SecretId: stageNames('local').appSecretName }).SecretString as string).clientSecret as string;
      expect(JSON.stringify(after)).not.toContain(secret);
      expect((await ops(['app-credentials', '--local'])).out).not.toContain(secret);
    });

    it("check: runs the token service's health check for one venue now and says what Amazon answered", async () => {
      const refreshesBefore = stack.sandbox.stats().refreshes;
      const ok = await ops(['check', '--local', '--account', ACCOUNT, '--marketplace', 'uk']);
      expect(ok).toMatchObject({ code: 0, out: expect.stringContaining('Amazon confirmed the authorization: a refresh succeeded.') });
      expect(stack.sandbox.stats().refreshes).toBe(refreshesBefore + 1);
      expect(json((await ops(['check', '--local', '--account', ACCOUNT, '--marketplace', 'UK', '--json'])).out)).toMatchObject({ ok: true, answer: { checked: 1, confirmed: 1 } });

      const none = await ops(['check', '--local', '--account', ACCOUNT, '--marketplace', 'US']);
      expect(none).toMatchObject({ code: 1, out: expect.stringContaining(`No authorization serves US for account ${ACCOUNT} (npm run ops -- venues --account ${ACCOUNT} --local)`) });
      expect(await ops(['check', '--local', '--account', ACCOUNT])).toMatchObject({ code: 2, err: expect.stringContaining('--marketplace is required') });
      expect(await ops(['check', '--local', '--account', ACCOUNT, '--marketplace', 'XX'])).toMatchObject({ code: 2, err: expect.stringContaining('not a marketplace code') });
    });

    it('says clearly when nothing runs on PORT', async () => {
      expect(await ops(['app-credentials', '--local'], { env: { PORT: '1' } })).toMatchObject({ code: 1, err: expect.stringContaining('Nothing answers on http://127.0.0.1:1') });
    });
  });

  describe('--stage (CloudFormation outputs, the caller’s AWS credentials)', () => {
    const names = stageNames('local');
    const region = { AWS_REGION: 'eu-west-1' };

    it('reads the stage from its stack outputs and runs the same commands', async () => {
      cloudOutputs = { [names.statefulStack]: { TableName: names.tableName }, [names.statelessStack]: { RotateClientSecretFunctionName: names.functionName('RotateClientSecret') } };
      process.env.AWS_REGION = 'eu-west-1';
      const venues = await ops(['venues', '--stage', 'local', '--account', ACCOUNT]);
      expect(venues).toMatchObject({ code: 0, out: expect.stringContaining('on stage local (eu-west-1)') });
      expect((await ops(['app-credentials', '--stage', 'local', '--json'])).code).toBe(0);
      expect(await ops(['check', '--stage', 'local', '--account', ACCOUNT, '--marketplace', 'UK'])).toMatchObject({ code: 0, out: expect.stringContaining('Amazon confirmed the authorization') });
      await dev('POST', '/__dev/clock', { advance: 'PT2M' });
      expect(json((await ops(['rotate-client-secret', '--stage', 'local', '--yes', '--json'])).out)).toMatchObject({ outcome: expect.stringMatching(/requested|too-soon/) });
      await dev('POST', '/__dev/clock', { reset: true });
    });

    it('names what is missing: the stage, its outputs, the region, the credentials', async () => {
      cloudOutputs = {};
      expect(await ops(['app-credentials', '--stage', 'qa', '--region', 'eu-west-1'])).toMatchObject({ code: 1, err: expect.stringContaining('is not deployed: there is no stack AobAmazonConnect-qa-Stateful') });
      cloudOutputs = { [names.statefulStack]: { TableName: names.tableName }, [names.statelessStack]: {} };
      expect(await ops(['app-credentials', '--stage', 'local', '--region', 'eu-west-1'])).toMatchObject({ code: 1, err: expect.stringContaining('has no output RotateClientSecretFunctionName') });
      const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
      delete process.env.AWS_REGION;
      delete process.env.AWS_DEFAULT_REGION;
      expect(await ops(['app-credentials', '--stage', 'local'])).toMatchObject({ code: 2, err: expect.stringContaining('No AWS region') });
      Object.assign(process.env, saved);

      const keys = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      Object.assign(process.env, { AWS_EC2_METADATA_DISABLED: 'true', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_CONFIG_FILE: '/nonexistent/config' });
      expect(await ops(['app-credentials', '--stage', 'local', '--region', region.AWS_REGION])).toMatchObject({ code: 1, err: expect.stringContaining('No AWS credentials') });
      process.env.AWS_ACCESS_KEY_ID = keys.id;
      process.env.AWS_SECRET_ACCESS_KEY = keys.secret;
    });
  });
});
