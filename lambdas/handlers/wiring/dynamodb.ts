import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../../adapters/dynamo/account-store.js';
import { DynamoAuthorizationStateStore } from '../../adapters/dynamo/authorization-state-store.js';
import { DynamoCompletionStore } from '../../adapters/dynamo/completion-store.js';
import { DynamoDueGrantStore } from '../../adapters/dynamo/due-grant-store.js';
import { DynamoGrantWriter } from '../../adapters/dynamo/grant-writer.js';
import { DynamoTicketStore } from '../../adapters/dynamo/ticket-store.js';
import { DynamoTokenGrantStore } from '../../adapters/dynamo/token-grant-store.js';
import { config } from '../../shared/config.js';
import { AWS_MAX_ATTEMPTS, DYNAMODB_TIMEOUTS } from './aws.js';

/**
 * The service table: its client and every adapter over it, each built on first use and kept for
 * the container's life. The endpoint comes from the SDK's standard resolution
 * (AWS_ENDPOINT_URL_DYNAMODB locally). The app-credentials status store is wired in
 * ./app-credentials-lifecycle.ts: its domain module would otherwise ride along in every
 * function that reads the table.
 */

let client: DynamoDBDocumentClient | undefined;
export const documentClient = (): DynamoDBDocumentClient =>
  (client ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: AWS_MAX_ATTEMPTS, requestHandler: { ...DYNAMODB_TIMEOUTS } }), {
    marshallOptions: { removeUndefinedValues: true },
  }));

let accounts: DynamoAccountStore | undefined;
export const accountStore = (): DynamoAccountStore => (accounts ??= new DynamoAccountStore(documentClient(), config().tableName));

// The one-time records of the authorization flow, one store per step: each function takes only its step's.
let tickets: DynamoTicketStore | undefined;
export const ticketStore = (): DynamoTicketStore => (tickets ??= new DynamoTicketStore(documentClient(), config().tableName));

let states: DynamoAuthorizationStateStore | undefined;
export const authorizationStateStore = (): DynamoAuthorizationStateStore => (states ??= new DynamoAuthorizationStateStore(documentClient(), config().tableName));

let completions: DynamoCompletionStore | undefined;
export const completionStore = (): DynamoCompletionStore => (completions ??= new DynamoCompletionStore(documentClient(), config().tableName));

let grants: DynamoGrantWriter | undefined;
export const grantWriter = (): DynamoGrantWriter => (grants ??= new DynamoGrantWriter(documentClient(), config().tableName));

let due: DynamoDueGrantStore | undefined;
export const dueGrantStore = (): DynamoDueGrantStore => (due ??= new DynamoDueGrantStore(documentClient(), config().tableName));

let tokenGrants: DynamoTokenGrantStore | undefined;
export const tokenGrantStore = (): DynamoTokenGrantStore => (tokenGrants ??= new DynamoTokenGrantStore(documentClient(), config().tableName));
