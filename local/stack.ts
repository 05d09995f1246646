import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type RequestListener, type Server, type ServerResponse, createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS, type FunctionSpec } from '../lambdas/functions.js';
import { installOpenApiDocument } from '../lambdas/contract/openapi.js';
import { clock, shiftClock } from '../lambdas/shared/clock.js';
import { loopbackUrl } from '../lambdas/shared/loopback.js';
import { NOTIFICATION_MAX_RECEIVE_COUNT } from '../lib/names.js';
import { type ApiGateway, createApiGateway } from './api-gateway.js';
import type { EventBridgeStandIn } from './aws/eventbridge.js';
import type { SecretsManagerStandIn } from './aws/secrets-manager.js';
import { type AwsStandIns, closeServer, listen, startAwsStandIns } from './aws/server.js';
import type { SqsStandIn } from './aws/sqs.js';
import { createTable } from './create-table.js';
import { type DynamoDbLocal, assertJavaOnPath, freePort, killStaleDynamoDb, startDynamoDbLocal } from './dynamodb-local.js';
import { LOCAL_ACCOUNT_CLAIM, applyHandlerEnvironment, localFunctionEnvironment, localRuntimeEnvironment } from './environment.js';
import { LOCAL_NAMES, LOCAL_REGION, LOCAL_STAGE } from './stage.js';
import { type PollSummary, type QueuePolling, createSqsEventSource, startQueuePolling } from './event-source.js';
import { DIRECT_FUNCTIONS, type HandlerModules, type LocalInvokers, importHandlerModules, localInvokers, timeoutMsOf } from './handlers.js';
import { type DevJwt, createDevJwt } from './jwt.js';
import { type AmazonSandbox, createAmazonSandbox } from './sandbox/index.js';
import { createLocalListener } from './server.js';
import { type DevCaller, createDevCaller, verifySigV4 } from './sigv4.js';

export { JavaMissingError } from './dynamodb-local.js';

/**
 * The whole service on loopback with no AWS account: DynamoDB Local, the Secrets Manager and
 * EventBridge stand-ins, the Amazon sandbox, the dev JWT issuer, and the API serving every route
 * of `lambdas/functions.ts` with the same handler modules Lambda runs. Only the wiring differs:
 * the handlers find the stand-ins through the SDK's standard `AWS_ENDPOINT_URL_*` variables.
 *
 * Handler modules are module singletons (configuration and SDK clients are built at import),
 * so run one stack per process (per jest test file).
 */

export interface LocalStackOptions {
  /** Port of the API and page; 0 picks a free one. Default 3000. */
  readonly port?: number;
  /** Port of the Amazon sandbox; default `port + 1` (a free one when `port` is 0). */
  readonly sandboxPort?: number;
  /** Keep nothing on disk (tests). */
  readonly inMemory?: boolean;
  /** Where DynamoDB's data, the secrets and the dev signing key live; default `.local/` in the repository. */
  readonly dataDir?: string;
  /** How often the expiry sweep runs; default 60 000 ms, 0 turns the timer off. */
  readonly sweepIntervalMs?: number;
  /**
   * How often the notification queue is polled, as Lambda's poller would; default 1 000 ms, 0
   * polls only on demand (`pollNotifications`, `POST /__dev/notifications/poll`), so a test that
   * counts what one poll received never races the timer.
   */
  readonly notificationPollIntervalMs?: number;
  /** Progress and request lines; default silent. */
  readonly log?: (line: string) => void;
  /** Epoch ms the "Ready in" time counts from; default the call. The CLI passes its process start. */
  readonly startedAt?: number;
}

export interface LocalStack {
  /** The API, the Venue Settings page and the dev controls, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  /** The Amazon sandbox (Seller Central, LWA, Sellers API), e.g. http://127.0.0.1:3001 */
  readonly sandboxUrl: string;
  /** DynamoDB Local's endpoint. */
  readonly dynamoDbEndpoint: string;
  /** The Secrets Manager + EventBridge stand-in endpoint. */
  readonly awsEndpoint: string;
  readonly tableName: string;
  /** The environment the handler modules were loaded with. */
  readonly env: Readonly<Record<string, string>>;
  /** Milliseconds from the call (or `startedAt`) to ready. */
  readonly startupMs: number;
  readonly secretsManager: SecretsManagerStandIn;
  readonly eventBridge: EventBridgeStandIn;
  readonly sandbox: AmazonSandbox;
  readonly jwt: DevJwt;
  readonly api: ApiGateway;
  /** SigV4 keys for the AWS_IAM routes: `caller` is on the allow-list (TOKEN_CALLER_ROLE_ARNS), `other` is a valid key of a role that is not. */
  readonly devCallers: { readonly caller: DevCaller; readonly other: DevCaller };
  /** Runs the expiry sweep now (as the schedule would) and returns its summary. */
  runSweep(): Promise<unknown>;
  /** Runs the token health check now; one venue's grant when named. */
  runHealthCheck(only?: { accountId: string; marketplace: string }): Promise<unknown>;
  /** The SQS stand-in and the app-notification queue's names. */
  readonly sqs: SqsStandIn;
  readonly notificationQueues: { readonly queue: string; readonly deadLetterQueue: string };
  /** One event-source-mapping cycle on the notification queue, as Lambda's poller would run it. */
  pollNotifications(): Promise<PollSummary>;
  /** Invokes a function that has no route (trigger `direct`), as `aws lambda invoke` would. */
  invoke(id: string, payload?: unknown): Promise<unknown>;
  /** Stops the sweep timer, the servers and DynamoDB Local. Safe to call twice. */
  stop(): Promise<void>;
}

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const JWT_AUDIENCE = 'aob-amazon-connect-local';

/** The sandbox's app: the Secrets Manager stand-in is seeded with the same credentials. */
export const LOCAL_APP = {
  applicationId: 'amzn1.sp.solution.00000000-0000-4000-8000-00000000a0b1',
  clientId: 'amzn1.application-oa2-client.local0000000000000000000000000a0b1',
  clientSecret: 'amzn1.oa2-cs.v1.local-sandbox-client-secret-not-a-real-one',
} as const;

const DEFAULT_PORT = 3000;
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
/** Six times AppNotifications' 30 s timeout, as the CDK queue has it. */
const NOTIFICATION_VISIBILITY_TIMEOUT_S = 180;
/** Lambda's SQS poller long-polls continuously; once a second is plenty on one machine. */
const NOTIFICATION_POLL_INTERVAL_MS = 1000;

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is already in use (another \`npm start\`?). Stop it, or pick other ports: PORT=3100 npm start.`);
    this.name = 'PortInUseError';
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

type Progress = (line: string) => void;

/**
 * Starts the stack in the order a reader follows below. DynamoDB Local's JVM boots in the
 * background while the stand-ins start and the handler modules are imported: the slower of the
 * two sets the start time. A failure on the way stops what was started, last first.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const started = options.startedAt ?? Date.now();
  const log = options.log ?? (() => undefined);
  const progress: Progress = (line) => log(`[${seconds(Date.now() - started)}] ${line}`);
  const dataDir = options.inMemory ? undefined : resolve(options.dataDir ?? join(REPOSITORY_ROOT, '.local'));
  const stoppers = new Stoppers();

  try {
    assertJavaOnPath();
    const origins = await bindPublicOrigins(options, stoppers);
    const dynamo = await bootDynamoDbLocal(dataDir, stoppers, progress);
    const aws = await startStandIns(dataDir, stoppers, log, progress);
    const notifications = createNotificationQueues(aws.sqs);
    const sandbox = mountAmazonSandbox(origins, aws.sqs, notifications.names.queue, log, progress);
    // A JVM that could not even spawn (no Java) has said so by now: fail before touching the environment.
    dynamo.throwIfFailedToSpawn();
    const devCallers = createDevCallers();
    const env = configureHandlers(origins, dynamo.endpoint, aws.endpoint, devCallers);
    const jwt = await createDevJwt({ issuer: `${origins.url}/__dev`, audience: JWT_AUDIENCE, accountClaim: LOCAL_ACCOUNT_CLAIM, keyFile: dataDir && join(dataDir, 'dev-jwt-key.json') });
    // What the Lambda bundler does at build time: the OpenAPI handler's document (lambdas/contract/openapi.ts).
    installOpenApiDocument();
    const modules = await importHandlerModules(REPOSITORY_ROOT);
    // The table must exist before the first request; the imports above overlapped the JVM start.
    const dynamoDb = await createServiceTable(dynamo.ready, progress);
    reportHandlerModules(modules, progress);
    seedAppCredentials(aws.secretsManager, progress);
    const invokers = localInvokers(modules);
    const polling = pollNotificationQueue(modules, aws.sqs, notifications, options.notificationPollIntervalMs ?? NOTIFICATION_POLL_INTERVAL_MS, log, stoppers);
    const api = serveApi({ origins, modules, invokers, polling, jwt, aws, sandbox, devCallers, notifications, dynamoEndpoint: dynamo.endpoint, log });
    progress(devCallerLine(devCallers.caller, origins.url));
    startSweepTimer(options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, invokers, stoppers, log, progress);

    const startupMs = Date.now() - started;
    log(`Ready in ${seconds(startupMs)}: API and Venue Settings ${origins.url}/ · Amazon sandbox ${origins.sandboxUrl}/ · dev controls ${origins.url}/__dev`);

    let stopping: Promise<void> | undefined;
    return {
      url: origins.url,
      sandboxUrl: origins.sandboxUrl,
      dynamoDbEndpoint: dynamoDb.endpoint,
      awsEndpoint: aws.endpoint,
      tableName: LOCAL_NAMES.tableName,
      env,
      startupMs,
      secretsManager: aws.secretsManager,
      eventBridge: aws.eventBridge,
      sandbox,
      jwt,
      api,
      devCallers,
      runSweep: invokers.runSweep,
      runHealthCheck: invokers.runHealthCheck,
      sqs: aws.sqs,
      notificationQueues: notifications.names,
      pollNotifications: polling.poll,
      invoke: invokers.invoke,
      stop: () => (stopping ??= stoppers.stopAll()),
    };
  } catch (error) {
    await stoppers.stopAll();
    throw error;
  }
}

/** What to stop, in the order it was started; stopped last first, each failure ignored. */
class Stoppers {
  private readonly stops: (() => Promise<void>)[] = [];

  add(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  async stopAll(): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) await stop().catch(() => undefined);
  }
}

/** A server whose listener is set later: until then every request gets `whileStarting`. */
interface GatedServer {
  readonly server: Server;
  open(listener: RequestListener): void;
}

function gatedServer(whileStarting: (res: ServerResponse) => void): GatedServer {
  let listener: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (listener) return listener(req, res);
    req.resume();
    whileStarting(res);
  });
  return { server, open: (l) => (listener = l) };
}

interface PublicOrigins {
  readonly url: string;
  readonly sandboxUrl: string;
  readonly api: GatedServer;
  readonly sandbox: GatedServer;
}

/**
 * Both public origins are bound first: each needs the other's URL, and a taken port is
 * best found before a JVM is started. Requests arriving before the handlers are loaded get a
 * 503 instead of a half-wired stack.
 */
async function bindPublicOrigins(options: LocalStackOptions, stoppers: Stoppers): Promise<PublicOrigins> {
  const api = gatedServer((res) =>
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ message: 'The local stack is starting.' })),
  );
  const port = await listenOrExplain(api.server, options.port ?? DEFAULT_PORT);
  stoppers.add(() => closeServer(api.server));
  const sandbox = gatedServer((res) => res.writeHead(503).end());
  const sandboxPort = await listenOrExplain(sandbox.server, options.sandboxPort ?? (options.port === 0 ? 0 : port + 1));
  stoppers.add(() => closeServer(sandbox.server));
  return { url: loopbackUrl(port), sandboxUrl: loopbackUrl(sandboxPort), api, sandbox };
}

async function listenOrExplain(server: Server, port: number): Promise<number> {
  try {
    return await listen(server, port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port);
    throw error;
  }
}

interface BootingDynamoDb {
  readonly endpoint: string;
  readonly ready: Promise<DynamoDbLocal>;
  throwIfFailedToSpawn(): void;
}

/**
 * DynamoDB Local boots in the background (the JVM is the slow part): its port is chosen
 * now so the handlers' environment can name it before the handler modules are imported.
 */
async function bootDynamoDbLocal(dataDir: string | undefined, stoppers: Stoppers, progress: Progress): Promise<BootingDynamoDb> {
  const dir = dataDir && join(dataDir, 'dynamodb');
  if (dir) killStaleDynamoDb(dir, progress);
  const port = await freePort();
  const ready = startDynamoDbLocal({ dataDir: dir, port, startTimeoutMs: 90_000 });
  stopWithTheProcess(ready, stoppers);
  let failure: unknown;
  ready.catch((error: unknown) => (failure = error));
  const endpoint = loopbackUrl(port);
  progress(`DynamoDB Local starting on ${endpoint} (${dir ? `data in ${dir}` : 'in memory'})`);
  return {
    endpoint,
    ready,
    throwIfFailedToSpawn: () => {
      if (failure) throw failure;
    },
  };
}

/**
 * However this process ends, the JVM must not outlive it: stop() signals the child
 * synchronously, which is all an 'exit' listener can do.
 */
function stopWithTheProcess(starting: Promise<DynamoDbLocal>, stoppers: Stoppers): void {
  let jvm: DynamoDbLocal | undefined;
  const onExit = () => void jvm?.stop();
  starting.then((d) => (jvm = d)).catch(() => undefined);
  process.once('exit', onExit);
  stoppers.add(async () => {
    process.off('exit', onExit);
    await (await starting.catch(() => undefined))?.stop();
  });
}

/** The Secrets Manager, EventBridge and SQS stand-ins on one loopback port. */
async function startStandIns(dataDir: string | undefined, stoppers: Stoppers, log: (line: string) => void, progress: Progress): Promise<AwsStandIns> {
  const aws = await startAwsStandIns({
    clock,
    region: LOCAL_REGION,
    busNames: [LOCAL_NAMES.eventBusName],
    secretsFile: dataDir && join(dataDir, 'secrets.json'),
    log,
  });
  stoppers.add(() => aws.stop());
  progress(`Secrets Manager + EventBridge + SQS stand-ins on ${aws.endpoint}`);
  return aws;
}

interface NotificationQueues {
  readonly names: { readonly queue: string; readonly deadLetterQueue: string };
  readonly arn: string;
}

/** The app-notification queue and its dead-letter queue, as the stateful stack creates them. */
function createNotificationQueues(sqs: SqsStandIn): NotificationQueues {
  const names = { queue: LOCAL_NAMES.notificationQueueName, deadLetterQueue: `${LOCAL_NAMES.notificationQueueName}-dead-letters` };
  sqs.createQueue(names.deadLetterQueue);
  const queue = sqs.createQueue(names.queue, {
    visibilityTimeoutSeconds: NOTIFICATION_VISIBILITY_TIMEOUT_S,
    redrive: { deadLetterQueue: names.deadLetterQueue, maxReceiveCount: NOTIFICATION_MAX_RECEIVE_COUNT },
  });
  return { names, arn: queue.arn };
}

/** The Amazon sandbox behind the sandbox origin, its app registered with the service's Log-in and Redirect URIs. */
function mountAmazonSandbox(origins: PublicOrigins, sqs: SqsStandIn, notificationQueue: string, log: (line: string) => void, progress: Progress): AmazonSandbox {
  const sandbox = createAmazonSandbox({
    clock,
    app: { ...LOCAL_APP, draft: true },
    loginUri: `${origins.url}/v1/amazon/login`,
    redirectUri: `${origins.url}/v1/amazon/callback`,
    publicOrigin: origins.sandboxUrl,
    log,
    // The Developer Console step: Amazon's notifications go to the local queue.
    notifications: { send: (body) => void sqs.send(notificationQueue, body) },
  });
  origins.sandbox.open((req, res) => sandbox.handle(req, res));
  progress(`Amazon sandbox on ${origins.sandboxUrl}`);
  return sandbox;
}

/** The dev callers of the internal access-token route: one on the allow-list, one not. */
function createDevCallers(): LocalStack['devCallers'] {
  return { caller: createDevCaller(LOCAL_REGION, 'aob-local-token-caller'), other: createDevCaller(LOCAL_REGION, 'aob-local-other-service') };
}

/** The handlers' environment (local/environment.ts), set before any handler module is imported. */
function configureHandlers(origins: PublicOrigins, dynamoDbEndpoint: string, awsEndpoint: string, devCallers: LocalStack['devCallers']): Record<string, string> {
  const env = {
    ...localFunctionEnvironment({ api: origins.url, sandbox: origins.sandboxUrl, tokenCallerRoleArn: devCallers.caller.roleArn }, process.env),
    ...localRuntimeEnvironment({ dynamoDb: dynamoDbEndpoint, aws: awsEndpoint }),
  };
  applyHandlerEnvironment(env);
  return env;
}

/** The service's table on DynamoDB Local, once the JVM answers. */
async function createServiceTable(ready: Promise<DynamoDbLocal>, progress: Progress): Promise<DynamoDbLocal> {
  const dynamo = await ready;
  const admin = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const table = await createTable(admin, LOCAL_NAMES.tableName).finally(() => admin.destroy());
  progress(`DynamoDB Local ready; table ${LOCAL_NAMES.tableName} ${table}`);
  return dynamo;
}

function reportHandlerModules(modules: HandlerModules, progress: Progress): void {
  progress(`${FUNCTIONS.length - modules.missing.length}/${FUNCTIONS.length} handler modules loaded (${seconds(Date.now() - modules.importStartedAt)})`);
  for (const line of modules.missing) progress(`  not loaded: ${line}`);
}

/** The app-credentials secret, holding the credentials the sandbox knows (ops fill it in a deployed stage). */
function seedAppCredentials(secretsManager: SecretsManagerStandIn, progress: Progress): void {
  secretsManager.ensure(LOCAL_NAMES.appSecretName, JSON.stringify({ clientId: LOCAL_APP.clientId, clientSecret: LOCAL_APP.clientSecret, applicationId: LOCAL_APP.applicationId }));
  progress(`app credentials seeded in ${LOCAL_NAMES.appSecretName}`);
}

/** The notification queue's event source mapping, as Lambda's poller would run it. */
function pollNotificationQueue(modules: HandlerModules, sqs: SqsStandIn, notifications: NotificationQueues, intervalMs: number, log: (line: string) => void, stoppers: Stoppers): QueuePolling {
  const consumers = (FUNCTIONS as readonly FunctionSpec[]).flatMap((spec) => (spec.trigger?.kind === 'queue' ? [{ spec, batchSize: spec.trigger.batchSize }] : []));
  const sources = consumers.map(({ spec, batchSize }) =>
    createSqsEventSource({
      sqs,
      queueName: notifications.names.queue,
      queueArn: notifications.arn,
      spec,
      handler: () => modules.handlerFor(spec),
      region: LOCAL_REGION,
      batchSize,
      timeoutMs: timeoutMsOf(spec),
    }),
  );
  const polling = startQueuePolling(sources, intervalMs, log);
  stoppers.add(() => polling.stop());
  return polling;
}

interface ApiParts {
  readonly origins: PublicOrigins;
  readonly modules: HandlerModules;
  readonly invokers: LocalInvokers;
  readonly polling: QueuePolling;
  readonly jwt: DevJwt;
  readonly aws: AwsStandIns;
  readonly sandbox: AmazonSandbox;
  readonly devCallers: LocalStack['devCallers'];
  readonly notifications: NotificationQueues;
  readonly dynamoEndpoint: string;
  readonly log: (line: string) => void;
}

/** The API Gateway stand-in, the page and the dev controls behind the API origin. */
function serveApi(parts: ApiParts): ApiGateway {
  const { aws, devCallers, notifications } = parts;
  const api = createApiGateway({
    functions: FUNCTIONS,
    handlerFor: parts.modules.handlerFor,
    authorize: (h) => parts.jwt.authorize(h),
    verifyIam: (request) => verifySigV4(request, [devCallers.caller, devCallers.other]),
    region: LOCAL_REGION,
    log: parts.log,
  });
  const { accessKeyId, secretAccessKey, region } = devCallers.caller;
  parts.origins.api.open(
    createLocalListener({
      api,
      jwt: parts.jwt,
      events: aws.eventBridge,
      sandbox: parts.sandbox,
      clock,
      shiftClock,
      runSweep: parts.invokers.runSweep,
      runHealthCheck: parts.invokers.runHealthCheck,
      callerCredentials: { accessKeyId, secretAccessKey, region },
      webDir: join(REPOSITORY_ROOT, 'local', 'web'),
      log: parts.log,
      ops: {
        pollNotifications: parts.polling.poll,
        invoke: parts.invokers.invoke,
        queues: () => ({
          queue: { name: notifications.names.queue, ...aws.sqs.depth(notifications.names.queue) },
          deadLetterQueue: { name: notifications.names.deadLetterQueue, ...aws.sqs.depth(notifications.names.deadLetterQueue) },
        }),
        sendNotification: (body) => aws.sqs.send(notifications.names.queue, body),
        stack: () => ({
          stage: LOCAL_STAGE,
          region: LOCAL_REGION,
          tableName: LOCAL_NAMES.tableName,
          dynamoDbEndpoint: parts.dynamoEndpoint,
          awsEndpoint: aws.endpoint,
          notificationQueueArn: notifications.arn,
          directFunctions: DIRECT_FUNCTIONS.map((f) => f.id),
        }),
      },
    }),
  );
  return api;
}

function devCallerLine(caller: DevCaller, url: string): string {
  const { accessKeyId, secretAccessKey, region } = caller;
  return `dev caller for POST /internal/v1/amazon/access-tokens (SigV4, service execute-api, region ${region}): accessKeyId ${accessKeyId} secretAccessKey ${secretAccessKey} (also at GET ${url}/__dev/caller-credentials)`;
}

/** The expiry sweep on a timer, as the hourly schedule would run it (0 turns it off); one run at a time. */
function startSweepTimer(intervalMs: number, invokers: LocalInvokers, stoppers: Stoppers, log: (line: string) => void, progress: Progress): void {
  if (!(intervalMs > 0)) return;
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = invokers
      .runSweep()
      .then((summary) => {
        const sent = (summary as { eventsSent?: number } | undefined)?.eventsSent;
        if (sent) log(`sweep: ${sent} event(s) sent`);
      })
      .catch((error: unknown) => log(`sweep failed: ${(error as Error).message}`))
      .finally(() => (sweeping = undefined));
  }, intervalMs);
  timer.unref();
  stoppers.add(async () => {
    clearInterval(timer);
    await sweeping;
  });
  progress(`sweep every ${seconds(intervalMs)}`);
}
