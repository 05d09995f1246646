import { stageNames } from '../lib/names.js';

/** The local stack is the stage `local` of an AWS account that does not exist, in one region. */

export const LOCAL_STAGE = 'local';
export const LOCAL_REGION = 'eu-west-1';
/** The account id in every ARN the local stack makes up (queues, secrets, roles, functions, rules). */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** The resource names a deployed `local` stage would have. */
export const LOCAL_NAMES = stageNames(LOCAL_STAGE);
