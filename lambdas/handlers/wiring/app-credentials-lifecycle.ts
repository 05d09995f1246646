import { SecretsManagerAppCredentialsWriter } from '../../adapters/amazon/app-credentials-writer.js';
import { ApplicationClient, GrantlessLwaClient } from '../../adapters/amazon/application-client.js';
import { DynamoAppCredentialsStatusStore } from '../../adapters/dynamo/app-credentials-status-store.js';
import { clock } from '../../shared/clock.js';
import { config } from '../../shared/config.js';
import { documentClient } from './dynamodb.js';
import { secretsManagerClient } from './secrets-manager.js';

/**
 * The app client secret's life cycle (the notification handler, the rotation, the sweep's
 * app-credentials step): its status row, the app secret's writer and Amazon's Application
 * Management API with grantless tokens from the same credentials (one cached read).
 */

let status: DynamoAppCredentialsStatusStore | undefined;
export const appCredentialsStatusStore = (): DynamoAppCredentialsStatusStore => (status ??= new DynamoAppCredentialsStatusStore(documentClient(), config().tableName, () => clock.now()));

let writer: SecretsManagerAppCredentialsWriter | undefined;
export const appCredentialsWriter = (): SecretsManagerAppCredentialsWriter => (writer ??= new SecretsManagerAppCredentialsWriter(secretsManagerClient(), config().appSecretName));

let application: ApplicationClient | undefined;
export const applicationClient = (): ApplicationClient => {
  const cfg = config();
  return (application ??= new ApplicationClient({
    lwa: new GrantlessLwaClient({ tokenUrl: cfg.lwaTokenUrl, redirectUri: cfg.redirectUri, credentials: appCredentialsWriter() }),
    endpointOverride: cfg.spApiEndpointOverride,
  }));
};
