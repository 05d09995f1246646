import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

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
