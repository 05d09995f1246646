import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerAppCredentials } from '../../lambdas/adapters/amazon/app-credentials.js';
import { LwaClient } from '../../lambdas/adapters/amazon/lwa-client.js';
import { DAY_MS, HOUR_MS } from '../../lambdas/domain/time.js';
import { stageNames } from '../../lib/names.js';
import { LOCAL_APP, type LocalStack, startLocalStack } from '../../local/stack.js';
import { BrowserLike, finishOnCompletionPage } from './browser-like.js';
import { type LoopbackGuard, guardLoopback } from './loopback-guard.js';

/**
 * A full rotation of the app's LWA client secret on the local stack, nothing mocked: Amazon's
 * expiry notice on the SQS queue → the sweep's warnings at 30, 7 and 1 days → the automatic
 * rotateApplicationClientSecret call (the sandbox answers 204) → the new-secret notice → LWA
 * calls that succeed before, during and after the switch, from containers that read the app
 * secret before the rotation and after it, until the old secret's stated expiry and beyond.
 */

const NAMES = stageNames('local');
let stack: LocalStack;
let guard: LoopbackGuard;
let accounts = 0;

beforeAll(async () => {
  guard = guardLoopback();
  stack = await startLocalStack({ port: 0, inMemory: true, sweepIntervalMs: 0, notificationPollIntervalMs: 0 });
});

afterAll(async () => {
  await dev('POST', '/__dev/clock', { reset: true }).catch(() => undefined);
  await stack?.stop();
  guard.restore();
});

async function dev<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** The whole website flow for UK: ticket, consent, Log-in URI, callback, completion (a code exchange through the CompleteAuthorization function's LWA client). */
async function authorizeUk(): Promise<string> {
  const accountId = `acc-rotation-${++accounts}`;
  const { token } = await dev<{ token: string }>('POST', '/__dev/token', { accountId });
  const started = await fetch(`${stack.url}/v1/amazon/venues/UK/authorizations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  const browser = new BrowserLike();
  const consent = await browser.goto(authorizationUrl);
  const landing = await finishOnCompletionPage(browser, await browser.submit(consent, { button: 'Confirm', check: ['consent'] }), token);
  return new URL(landing.url).searchParams.get('amazon_authorization') ?? `no outcome (${landing.status})`;
}

function appSecret(): Record<string, string> {
  return JSON.parse(stack.secretsManager.getSecretValue({ SecretId: NAMES.appSecretName }).SecretString as string);
}

/** A Lambda container's LWA client: it reads the app secret on first use and keeps it. */
function container(): LwaClient {
  const client = new SecretsManagerClient({ endpoint: stack.awsEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return new LwaClient({ tokenUrl: `${stack.sandboxUrl}/auth/o2/token`, redirectUri: `${stack.url}/v1/amazon/callback`, credentials: new SecretsManagerAppCredentials(client, NAMES.appSecretName) });
}

async function moveClockTo(target: Date): Promise<void> {
  await dev('POST', '/__dev/clock', { now: target.toISOString() });
}

const warnings = async () => (await dev<{ events: { detail: Record<string, unknown> }[] }>('GET', '/__dev/events?detailType=Amazon%20App%20Credentials%20Expiring')).events.map((e) => e.detail);

describe('the app client secret rotates with no LWA call failing', () => {
  it('expiry notice → 30d, 7d, 1d warnings → rotation → new secret → refreshes and code exchanges succeed throughout; duplicates and foreign clients change nothing; malformed goes to the DLQ', async () => {
    const start = new Date();
    await moveClockTo(start);
    // Before: a seller authorizes (code exchange with the original secret); a container refreshes.
    expect(await authorizeUk()).toBe('success');
    const grantSecret = stack.secretsManager.names().find((n) => n.startsWith(NAMES.grantSecretPrefix)) as string;
    const refreshToken = stack.secretsManager.getSecretValue({ SecretId: grantSecret }).SecretString as string;
    const before = container();
    await expect(before.refresh(refreshToken)).resolves.toMatchObject({ accessToken: expect.stringMatching(/^Atza\|/) });

    // Amazon announces that the current secret expires in 40 days (and the sandbox holds it to that).
    const notice = await dev<{ clientSecretExpiryTime: string; notificationId: string }>('POST', '/__dev/sandbox/notifications/secret-expiry', { expiresAt: new Date(start.getTime() + 40 * DAY_MS).toISOString() });
    const expiresAt = new Date(notice.clientSecretExpiryTime);
    expect(await dev('POST', '/__dev/notifications/poll')).toMatchObject({ received: 1, deleted: 1, failed: 0 });

    // The hourly sweep warns once per threshold, whatever the number of runs.
    for (const [left, expected] of [[30, ['30d']], [7, ['30d', '7d']]] as const) {
      await moveClockTo(new Date(expiresAt.getTime() - left * DAY_MS + HOUR_MS));
      await dev('POST', '/__dev/sweep');
      await dev('POST', '/__dev/sweep');
      expect((await warnings()).map((w) => w.threshold)).toEqual(expected);
    }
    expect(stack.sandbox.stats().rotations).toBe(0);

    // Inside the rotation window: the 1d warning, and the sweep asks Amazon for a new secret (204).
    await moveClockTo(new Date(expiresAt.getTime() - DAY_MS + HOUR_MS));
    const swept = await dev<{ appCredentials: unknown }>('POST', '/__dev/sweep');
    expect(swept.appCredentials).toMatchObject({ warned: '1d', rotationRequested: true, rotationFailed: null, rotationOverdue: false });
    expect(stack.sandbox.stats().rotations).toBe(1);
    expect((await warnings()).map((w) => w.threshold)).toEqual(['30d', '7d', '1d']);

    // During: the new-secret notice waits on the queue; nothing has switched yet.
    await expect(before.refresh(refreshToken)).resolves.toBeDefined();
    const [newSecretMessage] = stack.sqs.peek(stack.notificationQueues.queue);
    expect(await dev('POST', '/__dev/notifications/poll')).toMatchObject({ received: 1, deleted: 1, failed: 0 });
    const stored = appSecret();
    expect(stored).toMatchObject({ clientId: LOCAL_APP.clientId, previousClientSecret: LOCAL_APP.clientSecret, previousClientSecretExpiresAt: expiresAt.toISOString() });
    expect(stored.clientSecret).not.toBe(LOCAL_APP.clientSecret);

    // The switch: the container that read the old secret keeps working while Amazon takes it,
    // a new container uses the new one, and a seller authorizes (the CompleteAuthorization container cached the old one).
    const after = container();
    await expect(before.refresh(refreshToken)).resolves.toBeDefined();
    await expect(after.refresh(refreshToken)).resolves.toBeDefined();
    expect(await authorizeUk()).toBe('success');

    // After the old secret's stated expiry: the stale container gets invalid_client once and retries with the new secret.
    await moveClockTo(new Date(expiresAt.getTime() + HOUR_MS));
    await expect(before.refresh(refreshToken)).resolves.toBeDefined();
    await expect(after.refresh(refreshToken)).resolves.toBeDefined();
    expect(await authorizeUk()).toBe('success');

    // No warning about the new secret yet, no overdue rotation, and no event carries it.
    const next = await dev<{ appCredentials: unknown }>('POST', '/__dev/sweep');
    expect(next.appCredentials).toMatchObject({ warned: null, rotationRequested: false, rotationOverdue: false });
    expect(JSON.stringify(await dev('GET', '/__dev/events'))).not.toContain(stored.clientSecret as string);

    // A duplicated new-secret notice and another client's notice change nothing.
    const versionsBefore = stack.secretsManager.describeSecret({ SecretId: NAMES.appSecretName });
    const body = (text: object) => dev('POST', '/__dev/notifications', { body: JSON.stringify(text) });
    await dev('POST', '/__dev/notifications', { body: newSecretMessage?.body });
    await body({
      notificationType: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY',
      payload: { applicationOAuthClientSecretExpiry: { clientId: 'amzn1.application-oa2-client.someone-else', clientSecretExpiryTime: start.toISOString() } },
      notificationMetadata: { notificationId: 'foreign-1' },
    });
    await body({
      notificationType: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY',
      payload: { applicationOAuthClientSecretExpiry: { clientId: LOCAL_APP.clientId, clientSecretExpiryTime: expiresAt.toISOString() } },
      notificationMetadata: { notificationId: notice.notificationId },
    });
    expect(await dev('POST', '/__dev/notifications/poll')).toMatchObject({ received: 3, deleted: 3, failed: 0 });
    expect(appSecret()).toEqual(stored);
    expect(stack.secretsManager.describeSecret({ SecretId: NAMES.appSecretName })).toEqual(versionsBefore);
    expect((await dev<{ appCredentials: unknown }>('POST', '/__dev/sweep')).appCredentials).toMatchObject({ warned: null });

    // A malformed message: three failed receives, then the redrive moves it to the dead-letter queue.
    await dev('POST', '/__dev/notifications', { body: '{"notificationType":' });
    for (let receive = 1; receive <= 3; receive++) {
      expect(await dev('POST', '/__dev/notifications/poll')).toMatchObject({ received: 1, failed: 1 });
      await dev('POST', '/__dev/clock', { advance: 'PT181S' });
    }
    expect(await dev('POST', '/__dev/notifications/poll')).toMatchObject({ received: 0 });
    expect(await dev('GET', '/__dev/notifications')).toMatchObject({ queue: { visible: 0, inFlight: 0 }, deadLetterQueue: { visible: 1 } });
    expect(appSecret()).toEqual(stored);
  });
});
