import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerAppCredentialsWriter } from '../../../../../lambdas/adapters/amazon/app-credentials-writer.js';
import { APP, NEW_SECRET } from '../../../../builders/app-credentials.js';

/** The app secret's new client secret, written to Secrets Manager (mocked). */

const NOW = new Date('2026-06-01T12:00:00.000Z');

describe('the app secret writer (Secrets Manager)', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());

  it('writes the new secret as current and the old one as previous, keeping the keys ops added; the request token is the same for the same notification', async () => {
    const stored = { ...APP, note: 'kept' };
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(stored) });
    sm.on(PutSecretValueCommand).resolves({});
    const oldSecretExpiresAt = new Date(NOW.getTime() + 7 * 86_400_000);

    await new SecretsManagerAppCredentialsWriter(new SecretsManagerClient({}), 'app').storeNewSecret({ notificationId: 'n-1', clientSecret: NEW_SECRET, oldSecretExpiresAt });
    await new SecretsManagerAppCredentialsWriter(new SecretsManagerClient({}), 'app').storeNewSecret({ notificationId: 'n-1', clientSecret: NEW_SECRET, oldSecretExpiresAt });

    const puts = sm.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input);
    expect(JSON.parse(puts[0]?.SecretString as string)).toEqual({ ...stored, clientSecret: NEW_SECRET, previousClientSecret: APP.clientSecret, previousClientSecretExpiresAt: oldSecretExpiresAt.toISOString() });
    expect(puts[0]?.ClientRequestToken).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(puts[1]?.ClientRequestToken).toBe(puts[0]?.ClientRequestToken);
  });

  it('writes nothing when the secret is already current (a redelivered notice)', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ ...APP, clientSecret: NEW_SECRET, previousClientSecret: APP.clientSecret, previousClientSecretExpiresAt: NOW.toISOString() }) });
    const writer = new SecretsManagerAppCredentialsWriter(new SecretsManagerClient({}), 'app');
    await writer.storeNewSecret({ notificationId: 'n-1', clientSecret: NEW_SECRET, oldSecretExpiresAt: NOW });
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(await writer.get()).toEqual({ ...APP, clientSecret: NEW_SECRET, previousClientSecret: { value: APP.clientSecret, expiresAt: NOW } });
  });

  it('a failed write is an AppCredentialsUnavailableError naming only the AWS error, never the secret', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(APP) });
    sm.on(PutSecretValueCommand).rejects(Object.assign(new Error(`boom ${NEW_SECRET}`), { name: 'ThrottlingException' }));
    const failure = await new SecretsManagerAppCredentialsWriter(new SecretsManagerClient({}), 'app').storeNewSecret({ notificationId: 'n', clientSecret: NEW_SECRET, oldSecretExpiresAt: NOW }).catch((e: Error) => e);
    expect(failure).toMatchObject({ name: 'AppCredentialsUnavailableError', message: 'the app secret could not be written (ThrottlingException)' });
    expect(JSON.stringify({ ...(failure as object), message: (failure as Error).message })).not.toContain('MARKER-NEW-SECRET');
  });
});
