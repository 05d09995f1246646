import { secretsManagerClient } from '../secrets/client.js';
import { SecretsManagerAppCredentials } from './app-credentials.js';
import { ApplicationClient } from './application-client.js';
import { LwaClient } from './lwa-client.js';

let credentials: SecretsManagerAppCredentials | undefined;

/** The container's app-credentials reader/writer, built once (one cached read for every use in the container). */
export function appCredentials(secretName: string): SecretsManagerAppCredentials {
  credentials ??= new SecretsManagerAppCredentials(secretsManagerClient(), secretName);
  return credentials;
}

/** Amazon's Application Management API with grantless LWA tokens from the app credentials. */
export function applicationClient(settings: { readonly appSecretName: string; readonly lwaTokenUrl: string; readonly redirectUri: string; readonly spApiEndpointOverride: string | undefined }): ApplicationClient {
  const lwa = new LwaClient({ tokenUrl: settings.lwaTokenUrl, redirectUri: settings.redirectUri, credentials: appCredentials(settings.appSecretName) });
  return new ApplicationClient({ lwa, endpointOverride: settings.spApiEndpointOverride });
}
