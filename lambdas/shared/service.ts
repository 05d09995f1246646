/**
 * The service's name, one spelling everywhere: the `service` of every log line, the tag on every
 * grant secret, and the prefix of every resource a stage creates (lib/names.ts).
 */
export const SERVICE_NAME = 'aob-amazon-connect';
