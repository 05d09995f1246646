import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerGrantSecretStore } from '../../adapters/secrets/grant-secret-store.js';
import { SecretsManagerTokenSecrets } from '../../adapters/secrets/token-secret-store.js';
import { config } from '../../shared/config.js';
import { AWS_MAX_ATTEMPTS, SECRETS_MANAGER_TIMEOUTS } from './aws.js';

/**
 * Secrets Manager: its client and the grant-secret adapters, built once per container
 * (AWS_ENDPOINT_URL_SECRETS_MANAGER locally). The app secret's readers are apart
 * (./app-credentials.ts, ./app-credentials-lifecycle.ts): they parse it with a valibot schema,
 * which the functions that only write or delete grant secrets do not carry.
 */

let client: SecretsManagerClient | undefined;
export const secretsManagerClient = (): SecretsManagerClient => (client ??= new SecretsManagerClient({ maxAttempts: AWS_MAX_ATTEMPTS, requestHandler: { ...SECRETS_MANAGER_TIMEOUTS } }));

let grantSecrets: SecretsManagerGrantSecretStore | undefined;
/** Every grant's refresh-token secret: the stage's KMS key, recovery window and tags. */
export const grantSecretStore = (): SecretsManagerGrantSecretStore => {
  const cfg = config();
  return (grantSecrets ??= new SecretsManagerGrantSecretStore(secretsManagerClient(), { kmsKeyId: cfg.grantSecretKmsKeyId, recoveryWindowDays: cfg.secretRecoveryDays, stage: cfg.stage }));
};

let tokenSecrets: SecretsManagerTokenSecrets | undefined;
export const tokenSecretStore = (): SecretsManagerTokenSecrets => (tokenSecrets ??= new SecretsManagerTokenSecrets(secretsManagerClient()));
