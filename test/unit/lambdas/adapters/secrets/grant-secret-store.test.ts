import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerGrantSecretStore } from '../../../../../lambdas/adapters/secrets/grant-secret-store.js';
import { SecretNotFoundError } from '../../../../../lambdas/ports/failures.js';

const sm = mockClient(SecretsManagerClient);
const store = new SecretsManagerGrantSecretStore(new SecretsManagerClient({}), { kmsKeyId: 'alias/aob-test', recoveryWindowDays: 14, stage: 'test' });

const NAME = 'aob-amazon-connect/test/grants/acct-1/EU/A3SELLER';
const TOKEN = 'Atzr|IwEBIfake-refresh-token';
const REQUEST = '3f2b9c1e-7a4d-4a57-9a55-5f0f0b8f1c2d';
const meta = { $metadata: {} };
const scheduledForDeletion = () =>
  new InvalidRequestException({ ...meta, message: "You can't perform this operation on the secret because it was marked for deletion." });

beforeEach(() => sm.reset());

describe('storing a refresh token', () => {
  it('creates the secret on a first authorization, under the KMS key, tagged, with the request token', async () => {
    sm.on(CreateSecretCommand).resolves({});

    await expect(store.putRefreshToken(NAME, TOKEN, REQUEST)).resolves.toEqual({ created: true });

    expect(sm.calls()).toHaveLength(1);
    expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, {
      Name: NAME,
      SecretString: TOKEN,
      ClientRequestToken: REQUEST,
      KmsKeyId: 'alias/aob-test',
      Tags: [
        { Key: 'service', Value: 'aob-amazon-connect' },
        { Key: 'stage', Value: 'test' },
      ],
    });
  });

  it('writes a new version when the secret already exists (a re-authorization)', async () => {
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ ...meta, message: 'exists' }));
    sm.on(PutSecretValueCommand).resolves({});

    await expect(store.putRefreshToken(NAME, TOKEN, REQUEST)).resolves.toEqual({ created: false });

    expect(sm).toHaveReceivedCommandWith(PutSecretValueCommand, { SecretId: NAME, SecretString: TOKEN, ClientRequestToken: REQUEST });
    expect(sm).not.toHaveReceivedCommand(RestoreSecretCommand);
  });

  it('restores a secret waiting out its recovery window (authorizing again after a disconnect), then writes', async () => {
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ ...meta, message: 'exists' }));
    sm.on(PutSecretValueCommand).rejectsOnce(scheduledForDeletion()).resolves({});
    sm.on(RestoreSecretCommand).resolves({});

    await expect(store.putRefreshToken(NAME, TOKEN, REQUEST)).resolves.toEqual({ created: false });

    expect(sm).toHaveReceivedCommandWith(RestoreSecretCommand, { SecretId: NAME });
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 2);
    expect(sm.calls().map((c) => c.args[0].constructor.name)).toEqual(['CreateSecretCommand', 'PutSecretValueCommand', 'RestoreSecretCommand', 'PutSecretValueCommand']);
  });

  it('lets other failures through, and never puts the token in an error', async () => {
    sm.on(CreateSecretCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    const error = (await store.putRefreshToken(NAME, TOKEN, REQUEST).catch((e: unknown) => e)) as Error;

    expect(error.name).toBe('ThrottlingException');
    expect(`${error.message}${String(error.stack)}`).not.toContain(TOKEN);
  });

  it('lets an unrelated InvalidRequest on the new version through without restoring', async () => {
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ ...meta, message: 'exists' }));
    sm.on(PutSecretValueCommand).rejects(new InvalidRequestException({ ...meta, message: 'bad request' }));

    await expect(store.putRefreshToken(NAME, TOKEN, REQUEST)).rejects.toBeInstanceOf(InvalidRequestException);
    expect(sm).not.toHaveReceivedCommand(RestoreSecretCommand);
  });
});

describe('reading a refresh token', () => {
  it('returns the secret string', async () => {
    sm.on(GetSecretValueCommand, { SecretId: NAME }).resolves({ SecretString: TOKEN });

    await expect(store.getRefreshToken(NAME)).resolves.toBe(TOKEN);
  });

  it('reports a missing secret, or one without a string, as SecretNotFoundError', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new ResourceNotFoundException({ ...meta, message: 'not found' })).resolvesOnce({});

    await expect(store.getRefreshToken(NAME)).rejects.toBeInstanceOf(SecretNotFoundError);
    await expect(store.getRefreshToken(NAME)).rejects.toBeInstanceOf(SecretNotFoundError);
  });
});

describe('scheduling deletion', () => {
  it('schedules deletion with the configured recovery window, never forcing it', async () => {
    sm.on(DeleteSecretCommand).resolves({});

    await store.scheduleDeletion(NAME);

    expect(sm).toHaveReceivedCommandWith(DeleteSecretCommand, { SecretId: NAME, RecoveryWindowInDays: 14 });
    expect(sm.commandCalls(DeleteSecretCommand)[0]!.args[0].input.ForceDeleteWithoutRecovery).toBeUndefined();
  });

  it('is fine when the secret does not exist', async () => {
    sm.on(DeleteSecretCommand).rejects(new ResourceNotFoundException({ ...meta, message: 'not found' }));

    await expect(store.scheduleDeletion(NAME)).resolves.toBeUndefined();
  });

  it('is fine when the secret is already scheduled for deletion', async () => {
    sm.on(DeleteSecretCommand).rejects(scheduledForDeletion());

    await expect(store.scheduleDeletion(NAME)).resolves.toBeUndefined();
  });

  it('lets other failures through', async () => {
    sm.on(DeleteSecretCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' }));

    await expect(store.scheduleDeletion(NAME)).rejects.toThrow('Access denied');
  });
});
