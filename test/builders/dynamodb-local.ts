import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTable } from '../../local/create-table.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';

export interface DynamoDbLocalTables {
  /** Where DynamoDB Local listens, once `beforeAll` ran (for a client of the test's own). */
  readonly endpoint: () => string;
  /** The document client, once `beforeAll` ran. */
  readonly doc: () => DynamoDBDocumentClient;
  /** A fresh service table (same schema as the stack's) named `${prefix}-${n}`. */
  readonly newTable: (prefix: string) => Promise<string>;
}

/** Starts one DynamoDB Local for the enclosing describe (or file) and stops it afterwards. */
export function useDynamoDbLocal(): DynamoDbLocalTables {
  let dynamo: DynamoDbLocal | undefined;
  let raw: DynamoDBClient | undefined;
  let doc: DynamoDBDocumentClient | undefined;
  let tables = 0;
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal();
    raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  }, 60_000);
  afterAll(async () => {
    raw?.destroy();
    await dynamo?.stop();
  });
  return {
    endpoint: () => {
      if (!dynamo) throw new Error('DynamoDB Local is not started: call useDynamoDbLocal() at describe level');
      return dynamo.endpoint;
    },
    doc: () => {
      if (!doc) throw new Error('DynamoDB Local is not started: call useDynamoDbLocal() at describe level');
      return doc;
    },
    newTable: async (prefix) => {
      const name = `${prefix}-${++tables}`;
      await createTable(raw as DynamoDBClient, name);
      return name;
    },
  };
}
