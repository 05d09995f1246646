/**
 * Every function of the service: its handler module, its route and what it may touch. The CDK
 * stack builds one Lambda (with one least-privilege role) per entry and the local stack serves
 * the same routes with the same handler modules: this list is the single source of both.
 * Plain data: no CDK or SDK imports.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Partition-key prefixes of the table (adapters/dynamo): an account's venues and grants, pending authorizations, tickets, the app's credential status. */
export type KeyPrefix = 'ACCOUNT#' | 'AUTH#' | 'TICKET#' | 'APP#';
export type ItemAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';
/** Item actions a function may take on items whose partition key starts with `keys` (IAM `dynamodb:LeadingKeys`). */
export interface ItemAccess {
  readonly keys: KeyPrefix;
  readonly actions: readonly ItemAction[];
}

const ACCOUNT_READ: ItemAccess = { keys: 'ACCOUNT#', actions: ['GetItem', 'BatchGetItem', 'Query'] };
const ACCOUNT_WRITE: ItemAccess = { keys: 'ACCOUNT#', actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'] };
/** The token service: reads an account's venue and grant items, updates the grant's token state (lease, cached version, failures, revocation). */
const TOKEN_ITEMS: ItemAccess = { keys: 'ACCOUNT#', actions: ['GetItem', 'Query', 'UpdateItem'] };
/** The app's client-secret status and notification dedupe items (adapters/dynamo/app-credentials-status-store.ts). */
const APP_STATUS: ItemAccess = { keys: 'APP#', actions: ['GetItem', 'PutItem'] };

/**
 * The item access of a function that names none: its table mode on account items only (never a
 * ticket, pending authorization or app item). A function using another partition-key prefix must
 * name it in `items` (and a new prefix belongs in `KeyPrefix`): IAM refuses anything else in AWS,
 * and the local stack does not enforce IAM.
 */
export function itemAccessOf(access: FunctionSpec['access']): readonly ItemAccess[] {
  if (access.items) return access.items;
  return access.table === 'readwrite' ? [ACCOUNT_WRITE] : access.table === 'read' ? [ACCOUNT_READ] : [];
}

export interface FunctionSpec {
  /** Construct id and function-name suffix. */
  readonly id: string;
  /** Module (relative to the repository root) exporting `handler`. */
  readonly entry: string;
  /**
   * HTTP route; absent for the scheduled sweep. `jwt` routes sit behind the JWT authorizer; `iam`
   * routes are for AoB's own services only (AWS_IAM: SigV4-signed by a role on the stage's
   * `tokenCallerRoleArns`).
   */
  readonly route?: { readonly method: HttpMethod; readonly path: string; readonly auth: 'jwt' | 'public' | 'iam' };
  readonly access: {
    readonly table?: 'read' | 'readwrite';
    /**
     * The item actions per partition-key prefix (IAM `dynamodb:LeadingKeys`), narrower than
     * `table`: e.g. the browser routes Amazon drives touch only tickets and pending
     * authorizations, never an account's grant or venue items. Default: `table` on account items.
     */
    readonly items?: readonly ItemAccess[];
    /** Query the sparse `due` index (the sweep); other functions get no index access. */
    readonly dueIndex?: boolean;
    /** Query the sparse `health` index (the token health check). */
    readonly healthIndex?: boolean;
    /**
     * Grant refresh-token secrets under the stage prefix: `write` creates and replaces them,
     * `delete` schedules their deletion (disconnect, or a callback replacing another selling
     * partner's grant of the same region), `tokens` reads them and writes new versions (the token
     * service caching access tokens; it never creates, restores or deletes one).
     */
    readonly grantSecrets?: readonly ('write' | 'delete' | 'tokens')[];
    /** Read the LWA app-credentials secret. */
    readonly appSecret?: boolean;
    /** Also write it (PutSecretValue): storing the new client secret of a rotation. */
    readonly appSecretWrite?: boolean;
    /** PutEvents on the service bus. */
    readonly events?: boolean;
  };
  /**
   * Minified bundle budget in KiB, the pinned AWS SDK included (every function bundles it: what
   * runs in Lambda is what the tests ran). Checked in CI over the synthesized assets
   * (test/infra/bundle-size.test.ts) and reported by `npm run bench`.
   */
  readonly bundleBudgetKiB: number;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
  /**
   * What invokes a function that has no route: `queue` is an SQS event source mapping (batches,
   * ReportBatchItemFailures, redrive to the queue's dead-letter queue); `direct` is an operator's
   * Invoke (the on-call CLI). Absent for the scheduled sweep, which the stack wires by id.
   */
  readonly trigger?: { readonly kind: 'queue'; readonly queue: 'appNotifications'; readonly batchSize: number } | { readonly kind: 'direct' };
}

/**
 * Read paths: page loads, redirects and the routes that write one item of their own step (a
 * venue's Active box, a ticket, the Log-in hop's state): the DynamoDB client, the store of
 * their own step and little else. The DynamoDB floor is 205 KiB; the body-validating ones add
 * valibot and their schema (~3 KiB), the browser ones their pages. README "Performance" has the figures.
 */
const READ = { bundleBudgetKiB: 250 } as const;
/** Flows that call Amazon, Secrets Manager or EventBridge. */
const FLOW = { bundleBudgetKiB: 400 } as const;

export const FUNCTIONS = [
  { id: 'ListVenues', entry: 'lambdas/handlers/list-venues.ts', route: { method: 'GET', path: '/v1/amazon/venues', auth: 'jwt' }, access: { table: 'read' }, ...READ },
  { id: 'GetVenue', entry: 'lambdas/handlers/get-venue.ts', route: { method: 'GET', path: '/v1/amazon/venues/{marketplace}', auth: 'jwt' }, access: { table: 'read' }, ...READ },
  { id: 'SetVenueActive', entry: 'lambdas/handlers/set-venue-active.ts', route: { method: 'PUT', path: '/v1/amazon/venues/{marketplace}', auth: 'jwt' }, access: { table: 'readwrite' }, ...READ },
  {
    id: 'Disconnect',
    entry: 'lambdas/handlers/disconnect.ts',
    route: { method: 'DELETE', path: '/v1/amazon/venues/{marketplace}/authorization', auth: 'jwt' },
    access: { table: 'readwrite', grantSecrets: ['delete'], events: true },
    ...FLOW,
  },
  {
    id: 'StartAuthorization',
    entry: 'lambdas/handlers/start-authorization.ts',
    route: { method: 'POST', path: '/v1/amazon/venues/{marketplace}/authorizations', auth: 'jwt' },
    access: { table: 'readwrite', items: [{ keys: 'TICKET#', actions: ['PutItem'] }] },
    ...READ,
  },
  {
    id: 'ContinueLogin',
    entry: 'lambdas/handlers/continue-login.ts',
    route: { method: 'POST', path: '/v1/amazon/login-continuations', auth: 'jwt' },
    access: { table: 'readwrite', items: [{ keys: 'TICKET#', actions: ['PutItem'] }] },
    ...READ,
  },
  {
    id: 'AuthorizeTicket',
    entry: 'lambdas/handlers/authorize-ticket.ts',
    route: { method: 'GET', path: '/v1/amazon/authorize/{ticket}', auth: 'public' },
    access: { table: 'readwrite', items: [{ keys: 'TICKET#', actions: ['DeleteItem'] }, { keys: 'AUTH#', actions: ['PutItem'] }], appSecret: true },
    ...FLOW,
  },
  { id: 'Login', entry: 'lambdas/handlers/login.ts', route: { method: 'GET', path: '/v1/amazon/login', auth: 'public' }, access: { table: 'readwrite', items: [{ keys: 'AUTH#', actions: ['GetItem', 'UpdateItem'] }] }, ...READ },
  {
    id: 'Callback',
    entry: 'lambdas/handlers/callback.ts',
    route: { method: 'GET', path: '/v1/amazon/callback', auth: 'public' },
    access: { table: 'readwrite', items: [{ keys: 'AUTH#', actions: ['GetItem', 'UpdateItem'] }] },
    ...READ,
  },
  {
    id: 'CompleteAuthorization',
    entry: 'lambdas/handlers/complete-authorization.ts',
    route: { method: 'POST', path: '/v1/amazon/authorization-completions', auth: 'jwt' },
    access: {
      table: 'readwrite',
      items: [
        { keys: 'AUTH#', actions: ['GetItem', 'UpdateItem'] },
        { keys: 'ACCOUNT#', actions: ['GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'] },
      ],
      grantSecrets: ['write', 'delete'],
      appSecret: true,
      events: true,
    },
    ...FLOW,
    timeoutSeconds: 29,
  },
  { id: 'OpenApi', entry: 'lambdas/handlers/openapi.ts', route: { method: 'GET', path: '/v1/openapi.json', auth: 'public' }, access: {}, ...READ },
  {
    id: 'AccessTokens',
    entry: 'lambdas/handlers/access-tokens.ts',
    route: { method: 'POST', path: '/internal/v1/amazon/access-tokens', auth: 'iam' },
    access: { table: 'readwrite', items: [TOKEN_ITEMS], grantSecrets: ['tokens'], appSecret: true, events: true },
    ...FLOW,
    timeoutSeconds: 29,
  },
  {
    id: 'HealthCheck',
    entry: 'lambdas/handlers/health-check.ts',
    access: { table: 'readwrite', items: [TOKEN_ITEMS], healthIndex: true, grantSecrets: ['tokens'], appSecret: true, events: true },
    ...FLOW,
    timeoutSeconds: 300,
  },
  {
    id: 'Sweep',
    entry: 'lambdas/handlers/sweep.ts',
    access: { table: 'readwrite', items: [{ keys: 'ACCOUNT#', actions: ['UpdateItem'] }, APP_STATUS], dueIndex: true, events: true, appSecret: true },
    ...FLOW,
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  {
    id: 'AppNotifications',
    entry: 'lambdas/handlers/app-notifications.ts',
    trigger: { kind: 'queue', queue: 'appNotifications', batchSize: 10 },
    access: { table: 'readwrite', items: [APP_STATUS], appSecret: true, appSecretWrite: true },
    ...FLOW,
    timeoutSeconds: 30,
  },
  { id: 'RotateClientSecret', entry: 'lambdas/handlers/rotate-client-secret.ts', trigger: { kind: 'direct' }, access: { table: 'readwrite', items: [APP_STATUS], appSecret: true }, ...FLOW, timeoutSeconds: 30 },
] as const satisfies readonly FunctionSpec[];

export type FunctionId = (typeof FUNCTIONS)[number]['id'];
