import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger. Log ids and outcomes only: never a token, authorization code,
 * state, ticket, cookie, secret, raw event or query string.
 */
export const logger = new Logger({ serviceName: 'aob-amazon-connect' });
