import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../request-body.js';
import { isJsonObject } from '../../lambdas/shared/json.js';

/**
 * The AWS JSON 1.1 protocol as the SDK v3 clients speak it: `POST /` with
 * `x-amz-target: <Service>.<Operation>` and a JSON body; answers are JSON with
 * `application/x-amz-json-1.1`, errors carry `__type` and `message` (the SDK maps `__type` to
 * its modelled exception class and `message` to `error.message`). Timestamps are epoch seconds.
 */

export const JSON_11 = 'application/x-amz-json-1.1';

/** Largest request body the stand-ins read (PutEvents allows 256 KB, secrets 64 KB). */
const MAX_REQUEST_BYTES = 1024 * 1024;

export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export type JsonObject = Record<string, unknown>;

/** One AWS service: a target prefix (`secretsmanager`, `AWSEvents`) and its operations. */
export interface JsonService {
  readonly targetPrefix: string;
  /** The answer's content type; default JSON 1.1 (SQS speaks JSON 1.0). */
  readonly contentType?: string;
  readonly operations: Readonly<Record<string, (input: JsonObject) => JsonObject>>;
}

/** Epoch seconds with millisecond precision, the JSON protocols' timestamp format. */
export const epochSeconds = (date: Date): number => date.getTime() / 1000;

export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer> {
  return readRequestBody(req, limit, () => new AwsError('ValidationException', `The request body is larger than ${limit} bytes.`, 413));
}

function send(res: ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = {}, contentType = JSON_11): void {
  const text = JSON.stringify(body);
  res.writeHead(statusCode, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: AwsError): void {
  send(res, error.statusCode, { __type: error.type, message: error.message }, { 'x-amzn-errortype': error.type });
}

/**
 * A node `http` listener serving several JSON services on one port, dispatching on the
 * `x-amz-target` header. Requests must be signed (any credentials pass): an unsigned call means
 * the caller is not the SDK and is refused the way AWS refuses it.
 */
export function jsonProtocolListener(services: readonly JsonService[], log?: (line: string) => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (req.method !== 'POST') throw new AwsError('UnknownOperationException', 'Only POST is supported.', 404);
      const target = req.headers['x-amz-target'];
      if (typeof target !== 'string' || !target.includes('.')) throw new AwsError('UnknownOperationException', 'Missing x-amz-target header.');
      const [prefix, operation] = [target.slice(0, target.lastIndexOf('.')), target.slice(target.lastIndexOf('.') + 1)];
      const service = services.find((s) => s.targetPrefix === prefix);
      const fn = service?.operations[operation];
      if (!fn) throw new AwsError('UnknownOperationException', `The stand-in does not implement ${target}.`);
      if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
        throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      }
      const raw = (await readBody(req)).toString('utf8');
      let input: unknown;
      try {
        input = raw.trim() === '' ? {} : JSON.parse(raw);
      } catch {
        throw new AwsError('SerializationException', 'The request body is not valid JSON.');
      }
      if (!isJsonObject(input)) throw new AwsError('SerializationException', 'The request body must be a JSON object.');
      send(res, 200, fn(input), {}, service?.contentType);
    } catch (error) {
      if (error instanceof AwsError) return sendError(res, error);
      log?.(`aws stand-in: ${(error as Error).name}: ${(error as Error).message}`);
      sendError(res, new AwsError('InternalFailure', 'The stand-in failed to process the request.', 500));
    }
  };
}

/** Reads an optional string member, refusing any other type like the service's validation does. */
export function optionalString(input: JsonObject, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsError('SerializationException', `${member} must be a string.`);
  return value;
}

export function requiredString(input: JsonObject, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined || value === '') throw new AwsError('ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  return value;
}
