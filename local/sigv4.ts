import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import { LOCAL_ACCOUNT_ID } from './stage.js';

/**
 * SigV4 for the local stack's AWS_IAM routes, verified the way API Gateway does it: the
 * signature is recomputed over the request's method, path, query, signed headers and payload with
 * the caller's secret key (`@smithy/signature-v4`, the AWS SDK's own signer), compared in constant
 * time, and the request must be at most 5 minutes old. The dev callers stand for IAM roles.
 */

export interface DevCaller {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  /** The IAM role this key stands for, e.g. arn:aws:iam::000000000000:role/aob-local-token-caller */
  readonly roleArn: string;
}

/** What API Gateway hands the function in `requestContext.authorizer.iam`. */
export interface IamIdentity {
  readonly accessKey: string;
  readonly accountId: string;
  readonly callerId: string;
  readonly cognitoIdentity: null;
  readonly principalOrgId: null;
  readonly userArn: string;
  readonly userId: string;
}

const MAX_SKEW_MS = 5 * 60_000;

/** sha256 / HMAC-SHA256 over node:crypto, in the shape the signer wants. */
export class NodeSha256 implements Checksum {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array | string): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data as ArrayBuffer);
}

export function createDevCaller(region: string, roleName: string): DevCaller {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = [...randomBytes(16)].map((b) => alphabet[b % 32]).join('');
  return { accessKeyId: `AKIALOCAL${id.slice(0, 11)}`, secretAccessKey: randomBytes(30).toString('base64'), region, roleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${roleName}` };
}

export interface SignedRequest {
  readonly method: string;
  /** The raw path, as sent. */
  readonly path: string;
  readonly rawQueryString: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type Verdict = { readonly ok: true; readonly identity: IamIdentity } | { readonly ok: false; readonly message: string };

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** Checks a request signed for `execute-api` against the known callers. `now`: the real time (signatures use the caller's wall clock). */
export async function verifySigV4(request: SignedRequest, callers: readonly DevCaller[], now: Date = new Date()): Promise<Verdict> {
  const authorization = header(request.headers, 'authorization');
  if (!authorization) return { ok: false, message: 'Missing Authentication Token' };
  const m = AUTH.exec(authorization);
  if (!m) return { ok: false, message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter." };
  const [, accessKeyId, day, region, service, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string, string];
  const caller = callers.find((c) => c.accessKeyId === accessKeyId);
  if (!caller) return { ok: false, message: 'The security token included in the request is invalid.' };
  const amzDate = header(request.headers, 'x-amz-date') ?? '';
  const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!when || !amzDate.startsWith(day) || service !== 'execute-api' || region !== caller.region) {
    return { ok: false, message: 'The request signature we calculated does not match the signature you provided.' };
  }
  const signedAt = new Date(Date.UTC(+when[1]!, +when[2]! - 1, +when[3]!, +when[4]!, +when[5]!, +when[6]!));
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) return { ok: false, message: 'Signature expired: the request is more than 5 minutes old or new.' };

  const names = signedHeaders.split(';');
  if (!names.includes('host')) return { ok: false, message: 'The request signature we calculated does not match the signature you provided.' };
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = header(request.headers, name);
    if (value === undefined) return { ok: false, message: 'The request signature we calculated does not match the signature you provided.' };
    headers[name] = value;
  }
  // A signed payload hash must be the body's: otherwise the body could be swapped under a valid signature.
  const declared = headers['x-amz-content-sha256'];
  if (declared !== undefined && declared !== 'UNSIGNED-PAYLOAD' && declared !== createHash('sha256').update(request.body).digest('hex')) {
    return { ok: false, message: 'The request signature we calculated does not match the signature you provided.' };
  }
  if (declared === 'UNSIGNED-PAYLOAD') return { ok: false, message: 'The request signature we calculated does not match the signature you provided.' };
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(request.rawQueryString)) {
    const existing = query[k];
    query[k] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey: caller.secretAccessKey }, region, service, sha256: NodeSha256, applyChecksum: false });
  const [hostname, port] = (headers.host ?? '').split(':');
  const signed = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: hostname ?? '', port: port ? Number(port) : undefined, path: decodePath(request.path), query, headers, body: request.body.length > 0 ? request.body : undefined },
    { signingDate: signedAt, signableHeaders: new Set(names), unsignableHeaders: new Set(Object.keys(headers).filter((h) => !names.includes(h))) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization ?? ''))?.[1] ?? '';
  if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    return { ok: false, message: 'The request signature we calculated does not match the signature you provided.' };
  }
  const roleName = caller.roleArn.split('/').pop() ?? 'role';
  return {
    ok: true,
    identity: {
      accessKey: accessKeyId,
      accountId: LOCAL_ACCOUNT_ID,
      callerId: `AROALOCAL:${roleName}`,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${roleName}/local-session`,
      userId: `AROALOCAL:local-session`,
    },
  };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
