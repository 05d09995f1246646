import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerAppCredentials } from '../../../../../lambdas/adapters/amazon/app-credentials.js';
import { AppCredentialsUnavailableError } from '../../../../../lambdas/ports/failures.js';
import { APP } from '../../../../builders/auth.js';

/** The app secret read from Secrets Manager. */

describe('SecretsManagerAppCredentials', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());

  it('reads the app secret once per container and again on reload', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: JSON.stringify(APP) }).resolves({ SecretString: JSON.stringify({ ...APP, clientSecret: 'rotated' }) });
    const provider = new SecretsManagerAppCredentials(new SecretsManagerClient({}), 'app-secret');
    expect(await provider.get()).toEqual(APP);
    expect(await provider.get()).toEqual(APP);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'app-secret' });
    expect((await provider.reload()).clientSecret).toBe('rotated');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it.each([
    ['missing', () => sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'no', $metadata: {} }))],
    ['not JSON', () => sm.on(GetSecretValueCommand).resolves({ SecretString: 'clientSecret=x' })],
    ['incomplete', () => sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ clientId: 'x' }) })],
    ['JSON but not an object', () => sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify('clientSecret=x') })],
  ])('a %s app secret is AppCredentialsUnavailableError, not cached, and never quoted', async (_name, arrange) => {
    arrange();
    const provider = new SecretsManagerAppCredentials(new SecretsManagerClient({}), 'app-secret');
    const error = await provider.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppCredentialsUnavailableError);
    expect(String((error as Error).message)).not.toContain('clientSecret=x');
    await provider.get().catch(() => undefined);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it.each([
    [{ clientId: 'x' }, 'the app secret lacks clientSecret, applicationId'],
    [{ clientId: 'x', clientSecret: '', applicationId: 'a' }, 'the app secret lacks clientSecret'],
    [['clientSecret=x'], 'the app secret is not a JSON object'],
  ])('names what the app secret lacks, never a value (%j)', async (secret, message) => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    const error = await new SecretsManagerAppCredentials(new SecretsManagerClient({}), 'app-secret').get().catch((e: unknown) => e);
    expect((error as Error).message).toBe(message);
  });
});
