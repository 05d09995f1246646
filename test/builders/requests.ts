import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { AN_ACCOUNT } from './grants.js';

/** The requests and Lambda context handlers are invoked with in unit tests. */

export interface RequestOptions {
  readonly method?: string;
  readonly path?: string;
  readonly marketplace?: string;
  /** Sent as is when a string, as its JSON otherwise. */
  readonly body?: unknown;
  readonly isBase64Encoded?: boolean;
  readonly query?: Record<string, string>;
  /** Claims of the verified JWT; `null` sends a request without an authorizer context. */
  readonly claims?: Record<string, string | number | boolean | string[]> | null;
}

/** An API Gateway HTTP API (payload 2.0) request as the JWT authorizer hands it to a function. */
export function aJwtRequest(options: RequestOptions = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = options.method ?? 'GET';
  const path = options.path ?? (options.marketplace === undefined ? '/v1/amazon/venues' : `/v1/amazon/venues/${options.marketplace}`);
  const claims = options.claims === undefined ? { sub: 'user-1', 'custom:accountId': AN_ACCOUNT } : options.claims;
  const event = {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json' },
    queryStringParameters: options.query,
    pathParameters: options.marketplace === undefined ? undefined : { marketplace: options.marketplace },
    body: options.body === undefined || typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.aob.test',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-1',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '01/Jun/2026:12:00:00 +0000',
      timeEpoch: 1780315200000,
      authorizer: claims === null ? undefined : { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
  };
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** A public (no authorizer) request. */
export function aPublicRequest(path: string): APIGatewayProxyEventV2 {
  const event = aJwtRequest({ path, claims: null });
  return event as unknown as APIGatewayProxyEventV2;
}

export function aLambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:test',
    memoryLimitInMB: '256',
    awsRequestId: 'aws-req-1',
    logGroupName: '/aws/lambda/test',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Parses a handler result's JSON body. */
export function bodyOf(result: unknown): unknown {
  const r = result as { body?: string };
  return r.body === undefined ? undefined : JSON.parse(r.body);
}
