import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Grant } from '../../domain/grant.js';
import { grantItemKey } from './items.js';

/**
 * Awaits a conditional write: its answer, or `null` when its condition failed (another writer
 * got there first, or the item moved on). Every other error is thrown: only a lost condition is
 * an expected outcome.
 */
export async function unlessConditionFails<T>(write: Promise<T>): Promise<T | null> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return null;
    throw error;
  }
}

/** The expressions of a conditional update of one grant item. */
export type GrantUpdate = Required<Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'>> &
  Pick<UpdateCommandInput, 'ExpressionAttributeNames'>;

/** Updates a grant's item if its condition holds: true when written, false when the condition failed. */
export async function updateGrantIf(client: DynamoDBDocumentClient, tableName: string, grant: Grant, update: GrantUpdate): Promise<boolean> {
  const out = await unlessConditionFails(client.send(new UpdateCommand({ TableName: tableName, Key: grantItemKey(grant.accountId, grant.grantKey), ...update })));
  return out !== null;
}
