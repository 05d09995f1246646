import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../request-body.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` letters and digits from the CSPRNG: Amazon's codes and states use no punctuation. */
export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** Thrown while reading a request whose body is too large to be one of Amazon's forms. */
export class BodyTooLargeError extends Error {}

const MAX_BODY_BYTES = 64 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRequestBody(req, MAX_BODY_BYTES, () => new BodyTooLargeError('request body too large'))).toString('utf8');
}

export function isFormEncoded(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** The form of a form-encoded request, or why there is none (another content type, or a body too large to be one of Amazon's forms). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams | 'not a form' | 'too large'> {
  if (!isFormEncoded(req)) return 'not a form';
  try {
    return new URLSearchParams(await readBody(req));
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return 'too large';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    pragma: 'no-cache',
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-length': 0 });
  res.end();
}

const HOST = /^[A-Za-z0-9.\-[\]:]{1,255}$/;

/** The origin the browser used to reach the sandbox, so redirects come back to the same host. */
export function requestOrigin(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  return host && HOST.test(host) ? `http://${host}` : undefined;
}

/**
 * A query or form parameter that must appear at most once; undefined when absent, null when
 * repeated (a repeated OAuth parameter is a malformed request, RFC 6749 §3.1).
 */
export function single(params: URLSearchParams, name: string): string | undefined | null {
  const values = params.getAll(name);
  if (values.length > 1) return null;
  return values[0];
}
