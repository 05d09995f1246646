import type { Context } from 'aws-lambda';
import { SERVICE_NAME } from './service.js';

/**
 * LWA tokens (`Atza|…`, `Atzr|…`, also URL-encoded) and LWA client secrets (`amzn1.oa2-cs.…`)
 * have recognisable shapes. Code never logs them; this is the net under that rule for what it
 * does log unseen — the message of an SDK, fetch or LWA error that may quote a request or body.
 */
const SECRET_SHAPES = /Atz[ar](?:\||%7[Cc])[^\s"'&,;<>]*|amzn1\.oa2-cs\.[^\s"'&,;<>]*/g;

export function redactSecrets(value: string): string {
  return value.replace(SECRET_SHAPES, '[redacted]');
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export type LogAttributes = Readonly<Record<string, unknown>>;

const RANK: Readonly<Record<LogLevel, number>> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

function isLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/**
 * The level at cold start: Lambda's own `AWS_LAMBDA_LOG_LEVEL` (set from the function's
 * application log level), else the service's `LOG_LEVEL`, in any letter case, else INFO.
 */
function levelFromEnvironment(env: NodeJS.ProcessEnv): LogLevel {
  for (const value of [env.AWS_LAMBDA_LOG_LEVEL, env.LOG_LEVEL]) {
    const upper = value?.toUpperCase();
    if (isLevel(upper)) return upper;
  }
  return 'INFO';
}

/** An Error's fields worth a log line besides name, message, stack and cause (never `$response`: a raw HTTP answer). */
const ERROR_FIELDS = ['code', '$fault', '$metadata'] as const;

function errorObject(error: Error): Record<string, unknown> {
  const object: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  for (const field of ERROR_FIELDS) if (Object.hasOwn(error, field)) object[field] = (error as unknown as Record<string, unknown>)[field];
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined) object.cause = cause;
  return object;
}

/**
 * The replacer of every line: strings (values and keys) redacted, errors as plain objects, a
 * bigint as its digits, and a reference back to an enclosing object as "[Circular]" (only that
 * value is lost, not the line's other keys).
 */
function serialiser(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'string') return redactSecrets(value);
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(value)) return '[Circular]';
    let out: object = value instanceof Error ? errorObject(value) : value;
    if (!Array.isArray(out) && Object.keys(out).some((k) => redactSecrets(k) !== k)) {
      out = Object.fromEntries(Object.entries(out).map(([k, v]) => [redactSecrets(k), v]));
    }
    ancestors.push(out);
    return out;
  };
}

/** The keys every line starts with; attributes cannot replace them. */
type BaseFields = { level: LogLevel; message: string; timestamp: string; service: string };

/**
 * The one structured logger: one JSON object per line on stdout (DEBUG, INFO) or stderr (WARN,
 * ERROR), with `level`, `message` and `timestamp` first, so Lambda's JSON log format filters it
 * by level and CloudWatch metric filters read its keys (`$.level`, `$.alarm`). It replaces
 * Powertools' Logger, which cost about 9% of every function's cold start for the few features
 * used here (see the README's performance section).
 *
 * Log ids and outcomes only: never a token, authorization code, state, ticket, cookie, secret,
 * raw event or query string. Every string that reaches a log line passes `redactSecrets`.
 */
export class Logger {
  private level: LogLevel;
  private readonly pretty: boolean;
  private context: LogAttributes = {};
  private keys: Record<string, unknown> = {};
  /** A provisioned-concurrency or SnapStart environment was initialised ahead of its first request: no cold start. */
  private coldStart: boolean;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.level = levelFromEnvironment(env);
    this.pretty = env.LOG_PRETTY === 'true';
    this.coldStart = (env.AWS_LAMBDA_INITIALIZATION_TYPE ?? 'on-demand') === 'on-demand';
  }

  setLogLevel(level: LogLevel): void {
    this.level = level;
  }

  /** The invocation's identity on every line until the next invocation. */
  addContext(context: Pick<Context, 'functionName' | 'awsRequestId'> & Partial<Pick<Context, 'memoryLimitInMB' | 'invokedFunctionArn'>>): void {
    this.context = {
      cold_start: this.coldStart,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
      ...(context.memoryLimitInMB === undefined ? {} : { function_memory_size: Number(context.memoryLimitInMB) }),
      ...(context.invokedFunctionArn === undefined ? {} : { function_arn: context.invokedFunctionArn }),
    };
    this.coldStart = false;
  }

  /** Keys on every following line until `resetKeys` (request-scoped: route, request id). */
  appendKeys(keys: LogAttributes): void {
    Object.assign(this.keys, keys);
  }

  /** Clears the request's keys; the invocation's identity stays until the next `addContext`. */
  resetKeys(): void {
    this.keys = {};
  }

  debug(message: string, attributes?: LogAttributes): void {
    this.write('DEBUG', message, attributes);
  }

  info(message: string, attributes?: LogAttributes): void {
    this.write('INFO', message, attributes);
  }

  warn(message: string, attributes?: LogAttributes): void {
    this.write('WARN', message, attributes);
  }

  error(message: string, attributes?: LogAttributes): void {
    this.write('ERROR', message, attributes);
  }

  private write(level: LogLevel, message: string, attributes: LogAttributes = {}): void {
    if (RANK[level] < RANK[this.level]) return;
    const traceId = process.env._X_AMZN_TRACE_ID;
    const base: BaseFields = { level, message, timestamp: new Date().toISOString(), service: SERVICE_NAME };
    // The base keys first (their values win over any attribute of the same name), then the
    // invocation, the request and the line's own attributes.
    const entry = {
      ...base,
      ...this.context,
      ...(traceId ? { xray_trace_id: traceId.split(';')[0]?.replace('Root=', '') } : {}),
      ...this.keys,
      ...attributes,
      ...base,
    };
    const indent = this.pretty ? 2 : undefined;
    let line: string;
    try {
      line = JSON.stringify(entry, serialiser(), indent);
    } catch {
      // A value whose own toJSON throws: keep the line and the invocation's keys, lose the rest.
      line = JSON.stringify({ ...base, ...this.context, logError: 'attributes could not be serialised' }, serialiser(), indent);
    }
    (RANK[level] >= RANK.WARN ? process.stderr : process.stdout).write(line + '\n');
  }
}

export const logger = new Logger();
