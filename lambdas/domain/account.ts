/**
 * An AoB account id as this service accepts it, wherever one comes in: the account claim of a
 * seller's JWT and the `accountId` an AoB service asks the token service for. 1–128 letters,
 * digits and `. _ : @ -`, so it is safe in a DynamoDB key, a secret name and a log line.
 */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;
