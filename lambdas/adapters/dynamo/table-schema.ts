/**
 * The table's key schema and indexes: the one source of truth that the CDK stack and the
 * local stack both create the table from. Plain data, no SDK or CDK imports.
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes expired one-time items (late: code checks expiresAt too). */
  ttlAttribute: 'ttl',
  dueIndex: {
    name: 'due',
    partitionKey: 'dueShard',
    /** ISO-8601 UTC, so string order is time order. */
    sortKey: 'nextAlertAt',
  },
  /**
   * The token service's daily health check: grants by when Amazon last confirmed them. Sparse:
   * only grants that can still be refreshed (not revoked) carry `checkShard`.
   */
  healthIndex: {
    name: 'health',
    partitionKey: 'checkShard',
    /** ISO-8601 UTC, so string order is time order. */
    sortKey: 'lastCheckedAt',
  },
} as const;

/**
 * Due grants are spread over this many index partitions so no single key gets hot; the sweep
 * queries each shard. Changing it needs a re-index of existing grants.
 */
export const DUE_SHARD_COUNT = 4;
