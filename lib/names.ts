/**
 * Names of everything a stage creates. Fixed names (not CloudFormation-generated ones) where
 * something outside the stack refers to them: ops fill the app secret by name, other AoB
 * services subscribe to the bus by name, and the functions' IAM is scoped to the grant-secret
 * name prefix.
 */

import { SERVICE_NAME } from '../lambdas/shared/service.js';

export { SERVICE_NAME };

export interface StageNames {
  readonly statefulStack: string;
  readonly statelessStack: string;
  readonly tableName: string;
  readonly eventBusName: string;
  readonly appSecretName: string;
  /** Every grant's refresh-token secret is named `${grantSecretPrefix}…`; IAM is scoped to it. */
  readonly grantSecretPrefix: string;
  readonly dataKeyAlias: string;
  /** The SQS queue registered with Amazon for the app's notifications: a fixed name, so a fixed ARN. */
  readonly notificationQueueName: string;
  readonly functionName: (id: string) => string;
}

const kebab = (id: string) => id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

export function stageNames(stage: string): StageNames {
  const prefix = `${SERVICE_NAME}-${stage}`;
  return {
    statefulStack: `AobAmazonConnect-${stage}-Stateful`,
    statelessStack: `AobAmazonConnect-${stage}-Stateless`,
    tableName: prefix,
    eventBusName: prefix,
    appSecretName: `${SERVICE_NAME}/${stage}/app`,
    grantSecretPrefix: `${SERVICE_NAME}/${stage}/grants/`,
    dataKeyAlias: `alias/${prefix}-data`,
    notificationQueueName: `${prefix}-app-notifications`,
    functionName: (id) => `${prefix}-${kebab(id)}`,
  };
}

/** The AWS account Amazon's Selling Partner API sends notifications from (Amazon's SP-API notifications documentation). */
export const AMAZON_NOTIFICATIONS_ACCOUNT = '437568002678';

/** Receives of a notification before it moves to the dead-letter queue (the CDK queue and the local stand-in alike). */
export const NOTIFICATION_MAX_RECEIVE_COUNT = 3;
