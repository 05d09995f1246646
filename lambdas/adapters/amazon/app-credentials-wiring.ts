import { secretsManagerClient } from '../secrets/client.js';
import { SecretsManagerAppCredentialsWriter } from './app-credentials-writer.js';
import { ApplicationClient, GrantlessLwaClient } from './application-client.js';

let credentials: SecretsManagerAppCredentialsWriter | undefined;

/** The container's app-credentials reader/writer, built once (one cached read for every use in the container). */
export function appCredentials(secretName: string): SecretsManagerAppCredentialsWriter {
  credentials ??= new SecretsManagerAppCredentialsWriter(secretsManagerClient(), secretName);
  return credentials;
}

/** Amazon's Application Management API with grantless LWA tokens from the app credentials. */
export function applicationClient(settings: { readonly appSecretName: string; readonly lwaTokenUrl: string; readonly redirectUri: string; readonly spApiEndpointOverride: string | undefined }): ApplicationClient {
  const lwa = new GrantlessLwaClient({ tokenUrl: settings.lwaTokenUrl, redirectUri: settings.redirectUri, credentials: appCredentials(settings.appSecretName) });
  return new ApplicationClient({ lwa, endpointOverride: settings.spApiEndpointOverride });
}
