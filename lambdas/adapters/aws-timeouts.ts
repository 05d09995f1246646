/**
 * Bounded waits for every AWS client but DynamoDB's (see dynamo/client.ts). Secrets Manager and
 * EventBridge answer in milliseconds; a dead connection must fail fast enough for a browser route
 * to still show the seller a page inside API Gateway's 29 s, and the SDK retries what timed out.
 */
export const AWS_CLIENT_TIMEOUTS = Object.freeze({ connectionTimeout: 1000, requestTimeout: 2500 });

/** Attempts per AWS request, the first included (the SDK's standard retry with backoff). */
export const AWS_MAX_ATTEMPTS = 3;
