import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '../lambdas/adapters/dynamo/table-schema.js';

/**
 * Creates the service table in DynamoDB Local from the same {@link TABLE_SCHEMA} the CDK stack
 * uses. Idempotent: an existing table (a restart over kept data) is left as it is.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'existing'> {
  const s = TABLE_SCHEMA;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: s.partitionKey, AttributeType: 'S' },
          { AttributeName: s.sortKey, AttributeType: 'S' },
          { AttributeName: s.dueIndex.partitionKey, AttributeType: 'S' },
          { AttributeName: s.dueIndex.sortKey, AttributeType: 'S' },
          { AttributeName: s.healthIndex.partitionKey, AttributeType: 'S' },
          { AttributeName: s.healthIndex.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: s.partitionKey, KeyType: 'HASH' },
          { AttributeName: s.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: s.dueIndex.name,
            KeySchema: [
              { AttributeName: s.dueIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: s.dueIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: s.healthIndex.name,
            KeySchema: [
              { AttributeName: s.healthIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: s.healthIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) {
      await addMissingIndexes(client, tableName);
      return 'existing';
    }
    throw error;
  }
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: s.ttlAttribute, Enabled: true } }));
  await client.send(new DescribeTableCommand({ TableName: tableName }));
  return 'created';
}

/**
 * A table kept in `.local/` from before an index existed gets it now (the deployed table gets it
 * from CloudFormation): the health check's sparse index.
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const s = TABLE_SCHEMA;
  const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  if ((table?.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === s.healthIndex.name)) return;
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: s.healthIndex.partitionKey, AttributeType: 'S' },
        { AttributeName: s.healthIndex.sortKey, AttributeType: 'S' },
      ],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: s.healthIndex.name,
            KeySchema: [
              { AttributeName: s.healthIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: s.healthIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        },
      ],
    }),
  );
}
