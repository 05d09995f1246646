import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AWS_CLIENT_TIMEOUTS, AWS_MAX_ATTEMPTS } from '../aws-timeouts.js';

let client: SecretsManagerClient | undefined;

/** The container's Secrets Manager client, built once, with bounded waits (AWS_ENDPOINT_URL_SECRETS_MANAGER locally). */
export function secretsManagerClient(): SecretsManagerClient {
  client ??= new SecretsManagerClient({ maxAttempts: AWS_MAX_ATTEMPTS, requestHandler: { ...AWS_CLIENT_TIMEOUTS } });
  return client;
}
