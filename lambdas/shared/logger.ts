import { Logger } from '@aws-lambda-powertools/logger';

/**
 * LWA tokens (`Atza|…`, `Atzr|…`, also URL-encoded) and LWA client secrets (`amzn1.oa2-cs.…`)
 * have recognisable shapes. Code never logs them; this is the net under that rule for what it
 * does log unseen — the message of an SDK, fetch or LWA error that may quote a request or body.
 */
const SECRET_SHAPES = /Atz[ar](?:\||%7[Cc])[^\s"'&,;<>]*|amzn1\.oa2-cs\.[^\s"'&,;<>]*/g;

export function redactSecrets(value: string): string {
  return value.replace(SECRET_SHAPES, '[redacted]');
}

/**
 * The one structured logger. Log ids and outcomes only: never a token, authorization code,
 * state, ticket, cookie, secret, raw event or query string. Every string that reaches a log line
 * passes `redactSecrets`.
 */
export const logger = new Logger({
  serviceName: 'aob-amazon-connect',
  jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? redactSecrets(value) : value),
});
