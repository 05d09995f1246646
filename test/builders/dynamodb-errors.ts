import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** The refusals DynamoDB answers a mocked document client with, as the SDK builds them. */

/** A conditional write whose condition did not hold. */
export const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/** A cancelled transaction with one cancellation reason code per item, in order. */
export const transactionCancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
