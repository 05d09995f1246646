import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createServer } from 'node:http';
import { FUNCTIONS } from '../../lambdas/functions.js';
import { closeServer, listen } from '../../local/aws/server.js';
import { LOCAL_APP, type LocalStack, PortInUseError, startLocalStack } from '../../local/stack.js';
import { type LoopbackGuard, guardLoopback } from './loopback-guard.js';

/**
 * The local stack in-process: what `npm start` serves besides the authorization flow (covered in
 * local-authorization-flow.test.ts) — page files, dev controls, stand-ins, API Gateway answers.
 */

let stack: LocalStack;
let guard: LoopbackGuard;
const progress: string[] = [];

beforeAll(async () => {
  guard = guardLoopback();
  stack = await startLocalStack({ port: 0, inMemory: true, sweepIntervalMs: 0, log: (line) => progress.push(line) });
});

afterAll(async () => {
  await stack?.stop();
  guard.restore();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each dev control answers its own shape
type Json = any;

async function devPost(path: string, body: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

async function tokenFor(accountId: string): Promise<string> {
  return (await devPost('/__dev/token', { accountId })).json.token;
}

describe('starting', () => {
  it('serves on loopback URLs and reports its progress, every handler module and the time it took', () => {
    expect(stack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.sandboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.sandboxUrl).not.toBe(stack.url);
    expect(progress.join('\n')).toMatch(/DynamoDB Local .*in memory/);
    expect(progress.join('\n')).toMatch(/Amazon sandbox on http:\/\/127\.0\.0\.1/);
    expect(progress.some((l) => l.includes(`${FUNCTIONS.length}/${FUNCTIONS.length} handler modules loaded`) || l.includes('handler modules loaded'))).toBe(true);
    expect(progress.at(-1)).toMatch(new RegExp(`^Ready in \\d+\\.\\ds: .*${stack.url}/ .*${stack.sandboxUrl}/`));
  });

  it('points the handlers at the local endpoints through the standard variables', () => {
    expect(stack.env).toMatchObject({
      STAGE: 'local',
      API_BASE_URL: stack.url,
      FRONTEND_URL: stack.url,
      FRONTEND_CONNECT_PATH: '/connect',
      FRONTEND_RETURN_PATHS: '/',
      LWA_TOKEN_URL: `${stack.sandboxUrl}/auth/o2/token`,
      SPAPI_ENDPOINT_OVERRIDE: stack.sandboxUrl,
      SELLER_CENTRAL_URL_OVERRIDE: `${stack.sandboxUrl}/sellercentral/{marketplace}`,
      DRAFT_APP: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoDbEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: stack.awsEndpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: stack.awsEndpoint,
    });
    for (const [key, value] of Object.entries(stack.env)) expect(process.env[key]).toBe(value);
  });

  it('seeds the app-credentials secret with the credentials the sandbox knows', async () => {
    const client = new SecretsManagerClient({ maxAttempts: 1 });
    const secret = await client.send(new GetSecretValueCommand({ SecretId: stack.env.APP_SECRET_NAME }));
    client.destroy();

    expect(JSON.parse(secret.SecretString as string)).toEqual({ clientId: LOCAL_APP.clientId, clientSecret: LOCAL_APP.clientSecret, applicationId: LOCAL_APP.applicationId });
  });
});

describe('the API behind the local API Gateway', () => {
  it('answers GET /v1/amazon/venues with every marketplace for a dev token', async () => {
    const response = await fetch(`${stack.url}/v1/amazon/venues`, { headers: { authorization: `Bearer ${await tokenFor('acc-stack-1')}` } });
    const body = await response.json();

    expect(response.status).toBe(200);
    expect(body.venues.map((v: { marketplace: string }) => v.marketplace)).toEqual(expect.arrayContaining(['US', 'UK', 'DE', 'JP']));
    expect(body.venues.every((v: { token: { status: string } }) => v.token.status === 'none')).toBe(true);
  });

  it('refuses the API without a token like API Gateway', async () => {
    const response = await fetch(`${stack.url}/v1/amazon/venues`);

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  it('answers unknown routes with API Gateway\'s 404', async () => {
    const response = await fetch(`${stack.url}/v1/nowhere`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('serves the OpenAPI document', async () => {
    const response = await fetch(`${stack.url}/v1/openapi.json`);

    expect(response.status).toBe(200);
    expect((await response.json()).openapi).toMatch(/^3\.1/);
  });

  it('publishes its dev signing keys as a JWKS', async () => {
    const jwks = await (await fetch(`${stack.url}/.well-known/jwks.json`)).json();

    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) })]);
    expect(jwks.keys[0].d).toBeUndefined();
  });
});

describe('the Venue Settings page files', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', /<html/i],
    ['/?amazon_authorization=success&marketplace=UK', 'text/html; charset=utf-8', /<html/i],
    ['/connect?amazon_callback_uri=x', 'text/html; charset=utf-8', /<html/i],
    ['/web/styles.css', 'text/css; charset=utf-8', /\S/],
    ['/web/venues.js', 'text/javascript; charset=utf-8', /\S/],
  ])('serves %s as %s', async (path, type, content) => {
    const response = await fetch(`${stack.url}${path}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(await response.text()).toMatch(content);
  });

  it.each(['/web/../package.json', '/web/%2e%2e/package.json', '/web/.env', '/web/nothing-here.js'])('does not serve %s', async (path) => {
    const response = await fetch(`${stack.url}${path}`);

    expect(response.status).toBe(404);
  });
});

describe('dev controls', () => {
  it('issues tokens and refuses a bad account id with a 400 JSON error', async () => {
    expect((await devPost('/__dev/token', { accountId: 'acc-1', sub: 'user-1' })).json.token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);

    for (const body of [{}, { accountId: 'has spaces' }, '{not json']) {
      const { status, json } = await devPost('/__dev/token', body);
      expect(status).toBe(400);
      expect(json.error).toEqual({ code: 'BAD_REQUEST', message: expect.any(String) });
    }
  });

  it('moves the service clock to a time, by a duration, and back to real time', async () => {
    try {
      expect((await devPost('/__dev/clock', { now: '2027-05-01T12:00:00.000Z' })).json.now).toMatch(/^2027-05-01T12:00:0/);
      expect((await devPost('/__dev/clock', { advance: 'P1DT2H' })).json.now).toMatch(/^2027-05-02T14:00:0/);
      expect((await (await fetch(`${stack.url}/__dev/clock`)).json()).now).toMatch(/^2027-05-02T14:00:0/);
    } finally {
      await devPost('/__dev/clock', { reset: true });
    }
    expect(Math.abs(Date.parse((await (await fetch(`${stack.url}/__dev/clock`)).json()).now) - Date.now())).toBeLessThan(5000);
  });

  it.each([{ advance: '30 days' }, { now: 'tomorrow' }, { advance: 'P1D', now: '2027-01-01T00:00:00Z' }, {}])('refuses the clock body %p with 400', async (body) => {
    expect((await devPost('/__dev/clock', body)).status).toBe(400);
  });

  it('runs the sweep on demand and returns its summary', async () => {
    const { status, json } = await devPost('/__dev/sweep', {});

    expect(status).toBe(200);
    expect(json).toMatchObject({ eventsSent: 0 });
  });

  it('lists the events the local bus received', async () => {
    await fetch(`${stack.url}/__dev/events`, { method: 'DELETE' });
    const client = new EventBridgeClient({ maxAttempts: 1 });
    await client.send(new PutEventsCommand({ Entries: [{ EventBusName: stack.env.EVENT_BUS_NAME, Source: 'aob.amazon-connect', DetailType: 'Amazon Authorization Expired', Detail: '{"accountId":"acc-9"}' }] }));
    client.destroy();

    const body = await (await fetch(`${stack.url}/__dev/events`)).json();

    expect(body).toEqual({ events: [{ source: 'aob.amazon-connect', detailType: 'Amazon Authorization Expired', detail: { accountId: 'acc-9' }, time: expect.any(String) }] });
  });

  it('revokes a sandbox seller and refuses an unknown one', async () => {
    const seller = stack.sandbox.sellers[0]!.sellingPartnerId;

    expect(await devPost('/__dev/sandbox/revoke', { sellingPartnerId: seller })).toEqual({ status: 200, json: { revoked: seller } });
    expect((await devPost('/__dev/sandbox/revoke', { sellingPartnerId: 'NOBODY' })).status).toBe(404);
    expect((await devPost('/__dev/sandbox/revoke', {})).status).toBe(400);
  });

  it('sets sandbox faults and refuses unknown targets or modes', async () => {
    expect(await devPost('/__dev/sandbox/faults', { target: 'token', mode: 'server_error', times: 0 })).toEqual({ status: 200, json: { fault: { target: 'token', mode: 'server_error', times: 0 } } });
    expect((await devPost('/__dev/sandbox/faults', { target: 'lwa', mode: 'server_error', times: 1 })).status).toBe(400);
    expect((await devPost('/__dev/sandbox/faults', { target: 'token', mode: 'explode', times: 1 })).status).toBe(400);
  });

  it('answers an unknown dev control with 404 listing the controls', async () => {
    const response = await fetch(`${stack.url}/__dev/nothing`);

    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toContain('POST /__dev/clock');
  });
});

describe('failing to start', () => {
  it('says so clearly when the port is taken, before starting anything', async () => {
    const blocker = createServer();
    const port = await listen(blocker, 0);
    try {
      await expect(startLocalStack({ port, inMemory: true, sweepIntervalMs: 0 })).rejects.toThrow(PortInUseError);
      await expect(startLocalStack({ port, inMemory: true, sweepIntervalMs: 0 })).rejects.toThrow(`Port ${port} is already in use`);
    } finally {
      await closeServer(blocker);
    }
  });

  it('says Java is needed when it cannot be found', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startLocalStack({ port: 0, inMemory: true, sweepIntervalMs: 0 })).rejects.toThrow(/Java 17 or newer/);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('staying on loopback', () => {
  it('never connected to a host other than loopback', () => {
    expect(guard.hosts.size).toBeGreaterThan(0);
    expect(guard.nonLoopback()).toEqual([]);
  });
});
