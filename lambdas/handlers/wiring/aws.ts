/**
 * The AWS clients' settings, all in one place: the bounded waits of each client
 * (./dynamodb.ts, ./secrets-manager.ts, ./eventbridge.ts) and their attempts. AWS answers in
 * milliseconds; a dead connection must fail fast enough for a browser route to still show the
 * seller a page inside API Gateway's 29 s (the callback after a throttled state write, the ticket
 * route's APP_CREDENTIALS_INVALID page), and the SDK retries what timed out. DynamoDB gets a
 * longer wait per request: its transactions carry a grant and every venue it covers.
 *
 * One constant per service rather than one object: a function's bundle carries only the
 * settings of the clients it builds.
 */

export interface AwsClientTimeouts {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
}

/** Attempts per AWS request, the first included (the SDK's standard retry with backoff). */
export const AWS_MAX_ATTEMPTS = 3;

export const DYNAMODB_TIMEOUTS: AwsClientTimeouts = { connectionTimeout: 1_000, requestTimeout: 5_000 };

export const SECRETS_MANAGER_TIMEOUTS: AwsClientTimeouts = { connectionTimeout: 1_000, requestTimeout: 2_500 };

export const EVENTBRIDGE_TIMEOUTS: AwsClientTimeouts = { connectionTimeout: 1_000, requestTimeout: 2_500 };
