import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../lambdas/adapters/dynamo/table-schema.js';

export interface ServiceTableProps {
  readonly tableName: string;
  readonly encryptionKey: IKey;
}

/**
 * The service's one DynamoDB table, built from TABLE_SCHEMA (the same source the local stack
 * creates its table from): grants, venues and one-time states/tickets. On-demand, encrypted with
 * the stage's customer key, point-in-time recovery, deletion protection, and kept when the stack
 * goes (RETAIN): it holds every customer's authorizations.
 */
export class ServiceTable extends Construct {
  readonly table: Table;
  /** The sparse index of grants with an alert still to send: only the sweep reads it. */
  readonly dueIndexName = TABLE_SCHEMA.dueIndex.name;
  /** The sparse index of grants by when Amazon last confirmed them: only the token health check reads it. */
  readonly healthIndexName = TABLE_SCHEMA.healthIndex.name;

  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The sweep decides from the grant itself, and the health check refreshes from it (secret
    // name, lease state): ALL saves a GetItem per grant read.
    for (const index of [TABLE_SCHEMA.dueIndex, TABLE_SCHEMA.healthIndex]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
