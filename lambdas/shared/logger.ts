import type { Context } from 'aws-lambda';

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
const SERVICE_NAME = 'aob-amazon-connect';

function isLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/**
 * The level at cold start: Lambda's own `AWS_LAMBDA_LOG_LEVEL` (set from the function's
 * application log level), else the service's `LOG_LEVEL`, else `POWERTOOLS_LOG_LEVEL` (the name
 * the sweep's Powertools metrics share), else INFO.
 */
function levelFromEnvironment(env: NodeJS.ProcessEnv): LogLevel {
  for (const value of [env.AWS_LAMBDA_LOG_LEVEL, env.LOG_LEVEL, env.POWERTOOLS_LOG_LEVEL]) {
    const upper = value?.toUpperCase();
    if (isLevel(upper)) return upper;
  }
  return 'INFO';
}

/** Errors become plain objects (a thrown value's own fields would otherwise serialise as `{}`). */
function serialisable(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const cause = (value as { cause?: unknown }).cause;
    return { name: value.name, message: value.message, stack: value.stack, ...(cause === undefined ? {} : { cause }) };
  }
  return value;
}

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
  private coldStart = true;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.level = levelFromEnvironment(env);
    this.pretty = env.POWERTOOLS_DEV === 'true';
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

  resetKeys(): void {
    this.keys = {};
    this.context = {};
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
    const entry = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: SERVICE_NAME,
      ...this.context,
      ...(traceId ? { xray_trace_id: traceId.split(';')[0]?.replace('Root=', '') } : {}),
      ...this.keys,
      ...attributes,
    };
    let line: string;
    try {
      line = JSON.stringify(entry, serialisable, this.pretty ? 2 : undefined);
    } catch {
      // A circular value: keep the line, lose the attributes.
      line = JSON.stringify({ level, message: redactSecrets(message), timestamp: entry.timestamp, service: SERVICE_NAME, logError: 'attributes could not be serialised' });
    }
    (RANK[level] >= RANK.WARN ? process.stderr : process.stdout).write(line + '\n');
  }
}

export const logger = new Logger();
