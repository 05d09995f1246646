import { SecretsManagerAppCredentials } from '../../adapters/amazon/app-credentials.js';
import { config } from '../../shared/config.js';
import { secretsManagerClient } from './secrets-manager.js';

let credentials: SecretsManagerAppCredentials | undefined;
/**
 * The LWA app credentials, read from the app secret once per container (one cached read for the
 * ticket route's application id and every LWA call of the function).
 */
export const appCredentials = (): SecretsManagerAppCredentials => (credentials ??= new SecretsManagerAppCredentials(secretsManagerClient(), config().appSecretName));
