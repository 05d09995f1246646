import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AmazonSandbox, createAmazonSandbox } from '../../../local/sandbox/index.js';
import { FakeClock } from '../../builders/clock.js';
import { APP, DAY, LOGIN_URI, MINUTE, REDIRECT_URI, SANDBOX_START } from './harness.js';

/** The sandbox's rotateApplicationClientSecret and client-secret expiry, as strict as Amazon. */
describe('Amazon sandbox: client secret rotation', () => {
  let server: Server;
  let url: string;
  let sandbox: AmazonSandbox;
  const clock = new FakeClock(SANDBOX_START);
  const queue: string[] = [];
  const enrolled = { yes: true };

  beforeAll(async () => {
    sandbox = createAmazonSandbox({ clock, app: APP, loginUri: LOGIN_URI, redirectUri: REDIRECT_URI, notifications: { send: (body) => (enrolled.yes ? queue.push(body) : undefined) } });
    server = createServer((req, res) => sandbox.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = async (form: Record<string, string>) => {
    const response = await fetch(`${url}/auth/o2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };
  const grantless = async (secret: string, scope = 'sellingpartnerapi::client_credential:rotation') => token({ grant_type: 'client_credentials', scope, client_id: APP.clientId, client_secret: secret });
  const rotate = (accessToken: string) => fetch(`${url}/applications/2023-11-30/clientSecret`, { method: 'POST', headers: { 'x-amz-access-token': accessToken } });

  it('needs a grantless token with the rotation scope (403 otherwise), answers 204 and delivers the new secret to the queue', async () => {
    const other = await grantless(APP.clientSecret, 'sellingpartnerapi::notifications');
    expect((await rotate(other.body.access_token as string)).status).toBe(403);
    expect((await rotate('Atza|made-up')).status).toBe(403);

    const ok = await grantless(APP.clientSecret);
    const answer = await rotate(ok.body.access_token as string);
    expect(answer.status).toBe(204);
    expect(queue).toHaveLength(1);
    const notice = JSON.parse(queue[0] as string);
    expect(notice).toMatchObject({ notificationType: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET', notificationMetadata: { notificationId: expect.any(String) }, payload: { applicationOAuthClientNewSecret: { clientId: APP.clientId } } });
    const { newClientSecret, oldClientSecretExpiryTime } = notice.payload.applicationOAuthClientNewSecret;
    expect(Date.parse(oldClientSecretExpiryTime) - clock.now().getTime()).toBe(7 * DAY);

    // Both secrets work until the old one's stated expiry; then only the new one.
    expect((await grantless(APP.clientSecret)).status).toBe(200);
    expect((await grantless(newClientSecret)).status).toBe(200);
    clock.advance(7 * DAY);
    expect((await grantless(APP.clientSecret)).body.error).toBe('invalid_client');
    expect((await grantless(newClientSecret)).status).toBe(200);
  });

  it('allows one call a minute (429 sooner)', async () => {
    const secret = JSON.parse(queue.at(-1) as string).payload.applicationOAuthClientNewSecret.newClientSecret as string;
    const { body } = await grantless(secret);
    expect((await rotate(body.access_token as string)).status).toBe(204);
    expect((await rotate(body.access_token as string)).status).toBe(429);
    clock.advance(MINUTE);
    expect((await rotate(body.access_token as string)).status).toBe(204);
  });

  it('an expiry notice holds the current secret to the announced time', async () => {
    const current = JSON.parse(queue.at(-1) as string).payload.applicationOAuthClientNewSecret.newClientSecret as string;
    const sent = sandbox.sendSecretExpiryNotice(new Date(clock.now().getTime() + DAY));
    expect(JSON.parse(queue.at(-1) as string)).toMatchObject({ notificationType: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY', payload: { applicationOAuthClientSecretExpiry: { clientSecretExpiryTime: sent.clientSecretExpiryTime } } });
    clock.advance(DAY);
    expect((await grantless(current)).body.error).toBe('invalid_client');
  });

  it('without a registered queue answers 400 "not enrolled", as Amazon does', async () => {
    const unenrolled = createAmazonSandbox({ clock, app: APP, loginUri: LOGIN_URI, redirectUri: REDIRECT_URI });
    const s = createServer((req, res) => unenrolled.handle(req, res));
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    const t = await fetch(`${base}/auth/o2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'sellingpartnerapi::client_credential:rotation', client_id: APP.clientId, client_secret: APP.clientSecret }).toString() });
    const access = ((await t.json()) as { access_token: string }).access_token;
    const answer = await fetch(`${base}/applications/2023-11-30/clientSecret`, { method: 'POST', headers: { 'x-amz-access-token': access } });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ errors: [{ code: 'InvalidInput', message: expect.stringContaining('not enrolled for rotation notification') }] });
    await new Promise<void>((resolve) => s.close(() => resolve()));
  });
});
