import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../lambdas/ports/clock.js';
import { AwsError, type JsonObject, type JsonService, epochSeconds, optionalString, requiredString } from './protocol.js';
import { LOCAL_ACCOUNT_ID } from '../stage.js';

/**
 * A Secrets Manager stand-in with the behaviour the service relies on: versions with staging
 * labels, ClientRequestToken idempotency, scheduled deletion with a recovery window (measured
 * on the service clock, so a shifted clock purges secrets like the real service would), restore,
 * and the real error types and messages. Kept in a JSON file unless in memory.
 */

interface Version {
  readonly id: string;
  readonly secretString?: string;
  readonly secretBinary?: string;
  readonly createdAt: string;
  stages: string[];
}

interface Secret {
  readonly arn: string;
  readonly name: string;
  description?: string;
  kmsKeyId?: string;
  tags: { Key: string; Value: string }[];
  readonly createdAt: string;
  lastChangedAt: string;
  /** When the scheduled deletion happens; absent while the secret is live. */
  deletionAt?: string;
  versions: Version[];
}

export interface SecretsManagerStandInOptions {
  readonly clock: Clock;
  readonly region: string;
  readonly accountId?: string;
  /** JSON file keeping the secrets across restarts; omit to keep them in memory. */
  readonly file?: string;
}

const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const MARKED_FOR_DELETION = "You can't perform this operation on the secret because it was marked for deletion.";

export class SecretsManagerStandIn {
  private readonly secrets = new Map<string, Secret>();

  constructor(private readonly options: SecretsManagerStandInOptions) {
    if (options.file) this.load(options.file);
  }

  /** The JSON-protocol service to mount on a stand-in server. */
  service(): JsonService {
    return {
      targetPrefix: 'secretsmanager',
      operations: {
        CreateSecret: (i) => this.createSecret(i),
        PutSecretValue: (i) => this.putSecretValue(i),
        GetSecretValue: (i) => this.getSecretValue(i),
        DescribeSecret: (i) => this.describeSecret(i),
        DeleteSecret: (i) => this.deleteSecret(i),
        RestoreSecret: (i) => this.restoreSecret(i),
      },
    };
  }

  /** Names of the secrets that exist (including those scheduled for deletion). Never their values. */
  names(): string[] {
    this.purge();
    return [...this.secrets.keys()].sort();
  }

  /**
   * Makes `name` hold `value` (used to seed the app-credentials secret): created when missing,
   * restored when scheduled for deletion, a new version only when the value changed.
   */
  ensure(name: string, value: string): void {
    this.purge();
    const secret = this.secrets.get(name);
    if (!secret) {
      this.createSecret({ Name: name, SecretString: value });
      return;
    }
    if (secret.deletionAt) this.restoreSecret({ SecretId: name });
    if (secret.versions.find((v) => v.stages.includes(CURRENT))?.secretString !== value) this.putSecretValue({ SecretId: name, SecretString: value });
  }

  createSecret(input: JsonObject): JsonObject {
    this.purge();
    const name = requiredString(input, 'Name');
    if (!NAME.test(name)) throw new AwsError('InvalidParameterException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
    const token = this.requestToken(input);
    const value = secretValue(input);
    const existing = this.secrets.get(name);
    if (existing) {
      if (existing.deletionAt) throw new AwsError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");
      const same = existing.versions.find((v) => v.id === token);
      if (same && sameValue(same, value)) return { ARN: existing.arn, Name: existing.name, VersionId: same.id };
      throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    }
    const now = this.now();
    const secret: Secret = {
      arn: `arn:aws:secretsmanager:${this.options.region}:${this.options.accountId ?? LOCAL_ACCOUNT_ID}:secret:${name}-${randomBytes(3).toString('hex')}`,
      name,
      description: optionalString(input, 'Description'),
      kmsKeyId: optionalString(input, 'KmsKeyId'),
      tags: Array.isArray(input.Tags) ? (input.Tags as { Key: string; Value: string }[]) : [],
      createdAt: now,
      lastChangedAt: now,
      versions: [],
    };
    if (value) secret.versions.push({ id: token, ...value, createdAt: now, stages: [CURRENT] });
    this.secrets.set(name, secret);
    this.save();
    return value ? { ARN: secret.arn, Name: name, VersionId: token } : { ARN: secret.arn, Name: name };
  }

  putSecretValue(input: JsonObject): JsonObject {
    const secret = this.live(requiredString(input, 'SecretId'));
    const token = this.requestToken(input);
    const value = secretValue(input);
    if (!value) throw new AwsError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
    const existing = secret.versions.find((v) => v.id === token);
    if (existing) {
      if (!sameValue(existing, value)) throw new AwsError('ResourceExistsException', 'You can\'t modify an existing version, you can only create a new version.');
      return { ARN: secret.arn, Name: secret.name, VersionId: existing.id, VersionStages: existing.stages };
    }
    for (const v of secret.versions) {
      if (v.stages.includes(CURRENT)) v.stages = [...v.stages.filter((s) => s !== CURRENT && s !== PREVIOUS), PREVIOUS];
      else v.stages = v.stages.filter((s) => s !== PREVIOUS);
    }
    const now = this.now();
    const version: Version = { id: token, ...value, createdAt: now, stages: [CURRENT] };
    secret.versions.push(version);
    secret.lastChangedAt = now;
    this.save();
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: version.stages };
  }

  getSecretValue(input: JsonObject): JsonObject {
    const secret = this.live(requiredString(input, 'SecretId'));
    const versionId = optionalString(input, 'VersionId');
    const stage = optionalString(input, 'VersionStage') ?? (versionId ? undefined : CURRENT);
    const version = secret.versions.find((v) => (!versionId || v.id === versionId) && (!stage || v.stages.includes(stage)));
    if (!version) {
      throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for " + (versionId ? `VersionId: ${versionId}` : `staging label: ${stage}`));
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...(version.secretString !== undefined ? { SecretString: version.secretString } : { SecretBinary: version.secretBinary }),
      VersionStages: version.stages,
      CreatedDate: epochSeconds(new Date(version.createdAt)),
    };
  }

  describeSecret(input: JsonObject): JsonObject {
    const secret = this.find(requiredString(input, 'SecretId'));
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description ? { Description: secret.description } : {}),
      ...(secret.kmsKeyId ? { KmsKeyId: secret.kmsKeyId } : {}),
      CreatedDate: epochSeconds(new Date(secret.createdAt)),
      LastChangedDate: epochSeconds(new Date(secret.lastChangedAt)),
      ...(secret.deletionAt ? { DeletedDate: epochSeconds(new Date(secret.deletionAt)) } : {}),
      Tags: secret.tags,
      VersionIdsToStages: Object.fromEntries(secret.versions.filter((v) => v.stages.length > 0).map((v) => [v.id, v.stages])),
    };
  }

  deleteSecret(input: JsonObject): JsonObject {
    const secret = this.find(requiredString(input, 'SecretId'));
    const force = input.ForceDeleteWithoutRecovery === true;
    const window = input.RecoveryWindowInDays;
    if (force && window !== undefined) {
      throw new AwsError('InvalidParameterException', 'You can\'t use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.');
    }
    if (secret.deletionAt) throw new AwsError('InvalidRequestException', MARKED_FOR_DELETION);
    const days = window === undefined ? 30 : Number(window);
    if (!force && (!Number.isInteger(days) || days < 7 || days > 30)) {
      throw new AwsError('InvalidParameterException', 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    }
    const now = this.options.clock.now();
    if (force) {
      this.secrets.delete(secret.name);
      this.save();
      return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(now) };
    }
    const deletionAt = new Date(now.getTime() + days * 86_400_000);
    secret.deletionAt = deletionAt.toISOString();
    this.save();
    return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(deletionAt) };
  }

  restoreSecret(input: JsonObject): JsonObject {
    const secret = this.find(requiredString(input, 'SecretId'));
    if (secret.deletionAt) {
      delete secret.deletionAt;
      secret.lastChangedAt = this.now();
      this.save();
    }
    return { ARN: secret.arn, Name: secret.name };
  }

  /** A secret by name or ARN, whether or not it is scheduled for deletion. */
  private find(id: string): Secret {
    this.purge();
    const secret = this.secrets.get(id) ?? [...this.secrets.values()].find((s) => s.arn === id || s.arn.replace(/-[0-9a-f]{6}$/, '') === id);
    if (!secret) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  }

  private live(id: string): Secret {
    const secret = this.find(id);
    if (secret.deletionAt) throw new AwsError('InvalidRequestException', MARKED_FOR_DELETION);
    return secret;
  }

  /** The SDK fills ClientRequestToken with a UUID when the caller leaves it out. */
  private requestToken(input: JsonObject): string {
    const token = optionalString(input, 'ClientRequestToken') ?? randomUUID();
    if (token.length < 32 || token.length > 64) {
      throw new AwsError('ValidationException', "1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 64");
    }
    return token;
  }

  /** Secrets whose recovery window has passed are gone for good, as in the real service. */
  private purge(): void {
    const now = this.options.clock.now().getTime();
    let changed = false;
    for (const [name, secret] of this.secrets) {
      if (secret.deletionAt && new Date(secret.deletionAt).getTime() <= now) {
        this.secrets.delete(name);
        changed = true;
      }
    }
    if (changed) this.save();
  }

  private now(): string {
    return this.options.clock.now().toISOString();
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    const data = JSON.parse(text) as { secrets?: Secret[] };
    for (const secret of data.secrets ?? []) this.secrets.set(secret.name, secret);
  }

  private save(): void {
    const file = this.options.file;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ secrets: [...this.secrets.values()] }, null, 2), { mode: 0o600 });
    renameSync(temp, file);
  }
}

function secretValue(input: JsonObject): { secretString: string } | { secretBinary: string } | undefined {
  const text = optionalString(input, 'SecretString');
  const binary = optionalString(input, 'SecretBinary');
  if (text !== undefined && binary !== undefined) throw new AwsError('InvalidParameterException', 'You can\'t specify both a binary secret value and a string secret value in the same secret.');
  if (text !== undefined) return { secretString: text };
  if (binary !== undefined) return { secretBinary: binary };
  return undefined;
}

function sameValue(version: Version, value: ReturnType<typeof secretValue>): boolean {
  if (!value) return false;
  return 'secretString' in value ? version.secretString === value.secretString : version.secretBinary === value.secretBinary;
}
