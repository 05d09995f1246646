import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerGrantSecretStore } from '../../lambdas/adapters/secrets/grant-secret-store.js';
import { EventBridgePublisher } from '../../lambdas/adapters/events/eventbridge-publisher.js';
import { type AwsStandIns, startAwsStandIns } from '../../local/aws/server.js';

/** The stand-ins are exercised with the unmodified SDK v3 clients, as the handlers use them. */

const DAY = 86_400_000;
let now = new Date('2026-03-01T10:00:00Z');
const clock = { now: () => now };
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let aws: AwsStandIns;
let secrets: SecretsManagerClient;
let events: EventBridgeClient;

beforeAll(async () => {
  aws = await startAwsStandIns({ clock, region: 'eu-west-1', busNames: ['aob-local'] });
  secrets = new SecretsManagerClient({ region: 'eu-west-1', endpoint: aws.endpoint, credentials, maxAttempts: 1 });
  events = new EventBridgeClient({ region: 'eu-west-1', endpoint: aws.endpoint, credentials, maxAttempts: 1 });
});

afterAll(async () => {
  secrets.destroy();
  events.destroy();
  await aws.stop();
});

const unique = (() => {
  let n = 0;
  return (prefix: string) => `${prefix}/${Date.now()}-${n++}`;
})();

describe('Secrets Manager stand-in (real SDK client)', () => {
  it('creates a secret and reads its current value back', async () => {
    const name = unique('grants');

    const created = await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'Atzr|one' }));
    const read = await secrets.send(new GetSecretValueCommand({ SecretId: name }));

    expect(created.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:eu-west-1:\\d{12}:secret:${name}-[0-9a-f]{6}$`));
    expect(read).toMatchObject({ Name: name, SecretString: 'Atzr|one', VersionId: created.VersionId, VersionStages: ['AWSCURRENT'] });
    expect(read.CreatedDate).toEqual(now);
  });

  it('answers ResourceNotFoundException for an unknown secret, by name or ARN', async () => {
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toThrow("Secrets Manager can't find the specified secret.");
  });

  it('finds a secret by its ARN', async () => {
    const name = unique('grants');
    const { ARN } = await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));

    const read = await secrets.send(new GetSecretValueCommand({ SecretId: ARN }));

    expect(read.Name).toBe(name);
  });

  it('refuses a second secret with the same name (ResourceExistsException) but repeats a retried create', async () => {
    const name = unique('grants');
    const token = 'a'.repeat(32);
    await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v1', ClientRequestToken: token }));

    const retried = await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v1', ClientRequestToken: token }));

    expect(retried.VersionId).toBe(token);
    await expect(secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v2' }))).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('keeps versions: a new value becomes AWSCURRENT and the old one AWSPREVIOUS', async () => {
    const name = unique('grants');
    const first = await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));

    const second = await secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'v2' }));
    const current = await secrets.send(new GetSecretValueCommand({ SecretId: name }));
    const previous = await secrets.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }));
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: name }));

    expect(current.SecretString).toBe('v2');
    expect(previous.SecretString).toBe('v1');
    expect(described.VersionIdsToStages).toEqual({ [first.VersionId!]: ['AWSPREVIOUS'], [second.VersionId!]: ['AWSCURRENT'] });
  });

  it('treats a retried PutSecretValue as the same version and refuses changing a version', async () => {
    const name = unique('grants');
    await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));
    const token = 'b'.repeat(40);

    await secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'v2', ClientRequestToken: token }));
    const retried = await secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'v2', ClientRequestToken: token }));

    expect(retried.VersionId).toBe(token);
    expect(Object.keys((await secrets.send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages!)).toHaveLength(2);
    await expect(secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'other', ClientRequestToken: token }))).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('schedules deletion with a recovery window, refuses use meanwhile, and restores', async () => {
    const name = unique('grants');
    await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));

    const deleted = await secrets.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));

    expect(deleted.DeletionDate).toEqual(new Date(now.getTime() + 7 * DAY));
    expect((await secrets.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate).toEqual(deleted.DeletionDate);
    for (const command of [new GetSecretValueCommand({ SecretId: name }), new PutSecretValueCommand({ SecretId: name, SecretString: 'v2' }), new DeleteSecretCommand({ SecretId: name })]) {
      const error = await secrets.send(command as GetSecretValueCommand).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestException);
      expect((error as Error).message).toMatch(/marked for deletion/);
    }
    await expect(secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v3' }))).rejects.toThrow(/scheduled for deletion/);

    await secrets.send(new RestoreSecretCommand({ SecretId: name }));

    expect((await secrets.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('v1');
    expect((await secrets.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate).toBeUndefined();
  });

  it('deletes for good once the recovery window has passed on the service clock', async () => {
    const name = unique('grants');
    await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));
    await secrets.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    const before = now;

    now = new Date(before.getTime() + 7 * DAY + 1);
    try {
      await expect(secrets.send(new DescribeSecretCommand({ SecretId: name }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    } finally {
      now = before;
    }
  });

  it('refuses a recovery window outside 7–30 days', async () => {
    const name = unique('grants');
    await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));

    await expect(secrets.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 3 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('serves the grant secret store adapter: create, new version, read, schedule deletion (twice)', async () => {
    const store = new SecretsManagerGrantSecretStore(secrets, { recoveryWindowDays: 30, stage: 'local' });
    const name = unique('aob/local/grants');

    expect(await store.putRefreshToken(name, 'Atzr|first', 'c'.repeat(36))).toEqual({ created: true });
    expect(await store.putRefreshToken(name, 'Atzr|second', 'd'.repeat(36))).toEqual({ created: false });
    expect(await store.getRefreshToken(name)).toBe('Atzr|second');
    await store.scheduleDeletion(name);
    await store.scheduleDeletion(name);
    await expect(store.getRefreshToken(name)).rejects.toThrow();
  });

  it('lets the grant secret store authorize again after a disconnect (restore, then a new version)', async () => {
    const store = new SecretsManagerGrantSecretStore(secrets, { recoveryWindowDays: 30, stage: 'local' });
    const name = unique('aob/local/grants');
    await store.putRefreshToken(name, 'Atzr|before', 'e'.repeat(36));
    await store.scheduleDeletion(name);

    expect(await store.putRefreshToken(name, 'Atzr|after', 'f'.repeat(36))).toEqual({ created: false });
    expect(await store.getRefreshToken(name)).toBe('Atzr|after');
  });

  it('keeps secrets in a file across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aob-secrets-'));
    const file = join(dir, 'secrets.json');
    try {
      const first = await startAwsStandIns({ clock, region: 'eu-west-1', busNames: [], secretsFile: file });
      first.secretsManager.ensure('app', '{"clientId":"x"}');
      await first.stop();

      const second = await startAwsStandIns({ clock, region: 'eu-west-1', busNames: [], secretsFile: file });
      const client = new SecretsManagerClient({ region: 'eu-west-1', endpoint: second.endpoint, credentials, maxAttempts: 1 });
      const read = await client.send(new GetSecretValueCommand({ SecretId: 'app' }));
      client.destroy();
      await second.stop();

      expect(read.SecretString).toBe('{"clientId":"x"}');
      expect(JSON.parse(readFileSync(file, 'utf8')).secrets).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unsigned requests like AWS does', async () => {
    const response = await fetch(aws.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: 'x' }),
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
  });
});

describe('EventBridge stand-in (real SDK client)', () => {
  it('accepts PutEvents and keeps source, detail type, detail and time', async () => {
    aws.eventBridge.clear();

    const out = await events.send(
      new PutEventsCommand({ Entries: [{ EventBusName: 'aob-local', Source: 'aob.amazon-connect', DetailType: 'Amazon Authorization Granted', Detail: '{"accountId":"a1"}' }] }),
    );

    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(aws.eventBridge.events()).toEqual([
      expect.objectContaining({ source: 'aob.amazon-connect', detailType: 'Amazon Authorization Granted', detail: { accountId: 'a1' }, time: now.toISOString() }),
    ]);
  });

  it('fails only the invalid entries of a batch, like the real service', async () => {
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'aob-local', Source: 's', DetailType: 'ok', Detail: '{}' },
          { EventBusName: 'aob-local', Source: 's', DetailType: 'bad', Detail: 'not json' },
          { EventBusName: 'missing-bus', Source: 's', DetailType: 'ok', Detail: '{}' },
        ],
      }),
    );

    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(out.Entries?.[2]).toMatchObject({ ErrorCode: 'ResourceNotFoundException' });
  });

  it('refuses more than ten entries', async () => {
    const entry = { Source: 's', DetailType: 'd', Detail: '{}' };

    await expect(events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('serves the service event publisher adapter', async () => {
    aws.eventBridge.clear();
    const publisher = new EventBridgePublisher(events, { busName: 'aob-local' });
    const detail = { eventId: 'e1', version: '1', accountId: 'a1', region: 'EU', sellingPartnerId: 'S1', marketplaces: ['UK'], generatedAt: now.toISOString(), expiresAt: now.toISOString() } as const;

    const result = await publisher.publish(Array.from({ length: 12 }, () => ({ detailType: 'Amazon Authorization Expired' as const, detail })));

    expect(result.failed).toEqual([]);
    expect(aws.eventBridge.events()).toHaveLength(12);
  });
});
