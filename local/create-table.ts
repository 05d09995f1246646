import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '../lambdas/adapters/dynamo/table-schema.js';

/** A key (the table's or an index's): a string partition key and a string sort key. */
interface Key {
  readonly partitionKey: string;
  readonly sortKey: string;
}

interface Index extends Key {
  readonly name: string;
}

const INDEXES: readonly Index[] = [TABLE_SCHEMA.dueIndex, TABLE_SCHEMA.healthIndex];

/**
 * Creates the service table in DynamoDB Local from the same {@link TABLE_SCHEMA} the CDK stack
 * uses. Idempotent: an existing table (a restart over kept data) is left as it is.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'existing'> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [TABLE_SCHEMA, ...INDEXES].flatMap(keyAttributes),
        KeySchema: keySchema(TABLE_SCHEMA),
        GlobalSecondaryIndexes: INDEXES.map(indexDefinition),
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) {
      await addMissingIndexes(client, tableName);
      return 'existing';
    }
    throw error;
  }
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true } }));
  await client.send(new DescribeTableCommand({ TableName: tableName }));
  return 'created';
}

/**
 * A table kept in `.local/` from before an index existed gets it now (the deployed table gets it
 * from CloudFormation): the health check's sparse index.
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const index = TABLE_SCHEMA.healthIndex;
  const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  if ((table?.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === index.name)) return;
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      AttributeDefinitions: keyAttributes(index),
      GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(index) }],
    }),
  );
}

function keyAttributes(key: Key): AttributeDefinition[] {
  return [
    { AttributeName: key.partitionKey, AttributeType: 'S' },
    { AttributeName: key.sortKey, AttributeType: 'S' },
  ];
}

function keySchema(key: Key): KeySchemaElement[] {
  return [
    { AttributeName: key.partitionKey, KeyType: 'HASH' },
    { AttributeName: key.sortKey, KeyType: 'RANGE' },
  ];
}

/** Every index projects ALL: the sweep and the health check decide from the grant itself. */
function indexDefinition(index: Index): GlobalSecondaryIndex {
  return { IndexName: index.name, KeySchema: keySchema(index), Projection: { ProjectionType: 'ALL' } };
}
