/** What a log line carries besides its message: ids, outcomes and error names. */
export type LogAttributes = Readonly<Record<string, unknown>>;

/**
 * Where a use case says what it did, and what went wrong after the fact (an `alarm` attribute
 * names a case on-call is alarmed on). The handlers pass the shared `logger`
 * (`lambdas/shared/logger.ts`); tests pass a recording fake.
 *
 * Ids and outcomes only: never a token, authorization code, state, ticket, cookie or secret.
 */
export interface Log {
  info(message: string, attributes: LogAttributes): void;
  warn(message: string, attributes: LogAttributes): void;
  error(message: string, attributes: LogAttributes): void;
}
