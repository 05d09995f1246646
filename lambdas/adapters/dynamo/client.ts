import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let client: DynamoDBDocumentClient | undefined;

/**
 * The container's document client, built once and reused across invocations. The endpoint
 * comes from the SDK's standard resolution (AWS_ENDPOINT_URL_DYNAMODB locally). Every wait is
 * bounded: DynamoDB answers in milliseconds, and a dead connection must fail fast enough for
 * the callback to still show the seller a page inside API Gateway's 29 s.
 */
export function documentClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 } }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}
