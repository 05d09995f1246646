import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import type { DomainEvent } from '../../lambdas/domain/events.js';
import type { Grant } from '../../lambdas/domain/grant.js';
import type { AccountSnapshot, VenueRecord } from '../../lambdas/domain/venue.js';
import type { AccountStore } from '../../lambdas/ports/account-store.js';
import { ConcurrentUpdateError } from '../../lambdas/ports/failures.js';
import type { Clock } from '../../lambdas/ports/clock.js';
import type { EventPublisher, PublishFailure } from '../../lambdas/ports/event-publisher.js';
import type { GrantSecretStore } from '../../lambdas/ports/secret-store.js';
import { AN_ACCOUNT } from './grants.js';

/** Fakes and request builders for the venue use cases and handlers. */

export const fixedClock = (now: Date): Clock => ({ now: () => now });

/**
 * An AccountStore in memory that keeps the real store's promises: writes are conditioned on the
 * version and a lost race is a ConcurrentUpdateError. `beforeWrite` lets a test slip a competing
 * change in between a use case's read and its write.
 */
export class InMemoryAccountStore implements AccountStore {
  private readonly venues = new Map<string, VenueRecord>();
  private readonly grants = new Map<string, Grant>();
  loads = 0;
  writes = 0;
  beforeWrite: (() => void) | undefined;

  constructor(...snapshots: AccountSnapshot[]) {
    for (const s of snapshots) this.seed(s);
  }

  seed(snapshot: AccountSnapshot): this {
    for (const v of snapshot.venues) this.venues.set(`${v.accountId}|${v.marketplace}`, v);
    for (const g of snapshot.grants) this.grants.set(`${g.accountId}|${g.grantKey}`, g);
    return this;
  }

  /** What is stored for one account, without counting as a load. */
  peek(accountId: string): AccountSnapshot {
    return {
      venues: [...this.venues.values()].filter((v) => v.accountId === accountId),
      grants: [...this.grants.values()].filter((g) => g.accountId === accountId),
    };
  }

  async load(accountId: string): Promise<AccountSnapshot> {
    this.loads++;
    return this.peek(accountId);
  }

  async setVenueActive(venue: VenueRecord, active: boolean): Promise<VenueRecord> {
    this.interfere();
    const key = `${venue.accountId}|${venue.marketplace}`;
    const stored = this.venues.get(key);
    if ((stored?.version ?? 0) !== venue.version) throw new ConcurrentUpdateError(`venue ${venue.marketplace}`);
    const next = { ...venue, active, version: venue.version + 1 };
    this.venues.set(key, next);
    this.writes++;
    return next;
  }

  async removeGrant(grant: Grant, venues: readonly VenueRecord[]): Promise<void> {
    this.interfere();
    const gKey = `${grant.accountId}|${grant.grantKey}`;
    if (this.grants.get(gKey)?.version !== grant.version) throw new ConcurrentUpdateError(`grant ${grant.grantKey}`);
    for (const v of venues) {
      if (this.venues.get(`${v.accountId}|${v.marketplace}`)?.version !== v.version) throw new ConcurrentUpdateError(`venue ${v.marketplace}`);
    }
    this.grants.delete(gKey);
    for (const v of venues) {
      this.venues.set(`${v.accountId}|${v.marketplace}`, { ...v, active: false, grantKey: null, participating: null, version: v.version + 1 });
    }
    this.writes++;
  }

  private interfere(): void {
    const hook = this.beforeWrite;
    this.beforeWrite = undefined;
    hook?.();
  }
}

export class FakeGrantSecretStore implements GrantSecretStore {
  readonly scheduled: string[] = [];
  failure: Error | undefined;

  async putRefreshToken(): Promise<{ created: boolean }> {
    throw new Error('not used by the venue use cases');
  }

  async getRefreshToken(): Promise<string> {
    throw new Error('not used by the venue use cases');
  }

  async scheduleDeletion(secretName: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.scheduled.push(secretName);
  }
}

export class RecordingPublisher implements EventPublisher {
  readonly published: DomainEvent[] = [];
  /** Error code every event fails with (as PutEvents would report), or undefined to accept them. */
  failWith: string | undefined;
  throws: Error | undefined;

  async publish(events: readonly DomainEvent[]): Promise<{ failed: readonly PublishFailure[] }> {
    if (this.throws) throw this.throws;
    if (this.failWith) return { failed: events.map((event) => ({ event, errorCode: this.failWith! })) };
    this.published.push(...events);
    return { failed: [] };
  }
}

export interface RequestOptions {
  readonly method?: string;
  readonly path?: string;
  readonly marketplace?: string;
  readonly body?: string | undefined;
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
    body: options.body,
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
