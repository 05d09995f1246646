import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { type RequestListener, type Server, createServer } from 'node:http';
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUNCTIONS, type FunctionSpec } from '../lambdas/functions.js';
import { NOTIFICATION_MAX_RECEIVE_COUNT, stageNames } from '../lib/names.js';
import { clock, shiftClock } from '../lambdas/shared/clock.js';
import { type ApiGateway, type LambdaHandler, createApiGateway, lambdaContext } from './api-gateway.js';
import type { EventBridgeStandIn } from './aws/eventbridge.js';
import type { SecretsManagerStandIn } from './aws/secrets-manager.js';
import { type AwsStandIns, closeServer, listen, startAwsStandIns } from './aws/server.js';
import { createTable } from './create-table.js';
import { type DynamoDbLocal, freePort, startDynamoDbLocal } from './dynamodb-local.js';
import { type DevJwt, createDevJwt } from './jwt.js';
import { type AmazonSandbox, createAmazonSandbox } from './sandbox/index.js';
import { type PollSummary, createSqsEventSource } from './event-source.js';
import type { SqsStandIn } from './aws/sqs.js';
import { createLocalListener } from './server.js';
import { createDevCaller, type DevCaller, verifySigV4 } from './sigv4.js';
import { installOpenApiDocument } from '../lambdas/contract/openapi.js';
import { loopbackUrl } from '../lambdas/shared/loopback.js';

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

const STAGE = 'local';
const REGION = 'eu-west-1';
/** The resource names a deployed `local` stage would have. */
const NAMES = stageNames(STAGE);
const ACCOUNT_CLAIM = 'custom:accountId';
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
const SWEEP_TIMEOUT_MS = 300_000;

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is already in use (another \`npm start\`?). Stop it, or pick other ports: PORT=3100 npm start.`);
    this.name = 'PortInUseError';
  }
}

async function listenOrExplain(server: Server, port: number): Promise<number> {
  try {
    return await listen(server, port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port);
    throw error;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const started = options.startedAt ?? Date.now();
  const log = options.log ?? (() => undefined);
  const progress = (line: string) => log(`[${seconds(Date.now() - started)}] ${line}`);
  const dataDir = options.inMemory ? undefined : resolve(options.dataDir ?? join(REPOSITORY_ROOT, '.local'));
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop().catch(() => undefined);
  };

  try {
    assertJavaOnPath();
    // 1. Both public origins are bound first: each needs the other's URL, and a taken port is
    // best found before a JVM is started. Requests arriving before the handlers are loaded get a 503 instead of a half-wired stack.
    const gate: { api?: RequestListener; sandbox?: RequestListener } = {};
    const server = createServer((req, res) => {
      if (gate.api) return gate.api(req, res);
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ message: 'The local stack is starting.' }));
    });
    const port = await listenOrExplain(server, options.port ?? DEFAULT_PORT);
    stoppers.push(() => closeServer(server));
    const url = loopbackUrl(port);
    const sandboxServer = createServer((req, res) => {
      if (gate.sandbox) return gate.sandbox(req, res);
      req.resume();
      res.writeHead(503).end();
    });
    const sandboxPort = await listenOrExplain(sandboxServer, options.sandboxPort ?? (options.port === 0 ? 0 : port + 1));
    stoppers.push(() => closeServer(sandboxServer));
    const sandboxUrl = loopbackUrl(sandboxPort);

    // 2. DynamoDB Local boots in the background (the JVM is the slow part): its port is chosen
    // now so the handlers' environment can name it before the handler modules are imported.
    const dynamoDir = dataDir && join(dataDir, 'dynamodb');
    if (dynamoDir) killStaleDynamoDb(dynamoDir, progress);
    const dynamoPort = await freePort();
    const dynamoStarting = startDynamoDbLocal({ dataDir: dynamoDir, port: dynamoPort, startTimeoutMs: 90_000 });
    // However this process ends, the JVM must not outlive it: stop() signals the child
    // synchronously, which is all an 'exit' listener can do.
    let jvm: DynamoDbLocal | undefined;
    const onExit = () => void jvm?.stop();
    dynamoStarting.then((d) => (jvm = d)).catch(() => undefined);
    process.once('exit', onExit);
    stoppers.push(async () => {
      process.off('exit', onExit);
      await (await dynamoStarting.catch(() => undefined))?.stop();
    });
    let dynamoFailure: unknown;
    dynamoStarting.catch((error: unknown) => (dynamoFailure = error));
    const dynamoEndpoint = loopbackUrl(dynamoPort);
    progress(`DynamoDB Local starting on ${dynamoEndpoint} (${dynamoDir ? `data in ${dynamoDir}` : 'in memory'})`);

    // 3. The AWS stand-ins and the Amazon sandbox.
    const aws: AwsStandIns = await startAwsStandIns({
      clock,
      region: REGION,
      busNames: [NAMES.eventBusName],
      secretsFile: dataDir && join(dataDir, 'secrets.json'),
      log,
    });
    stoppers.push(() => aws.stop());
    progress(`Secrets Manager + EventBridge + SQS stand-ins on ${aws.endpoint}`);
    const notificationQueues = { queue: NAMES.notificationQueueName, deadLetterQueue: `${NAMES.notificationQueueName}-dead-letters` };
    aws.sqs.createQueue(notificationQueues.deadLetterQueue);
    const notificationQueue = aws.sqs.createQueue(notificationQueues.queue, {
      visibilityTimeoutSeconds: NOTIFICATION_VISIBILITY_TIMEOUT_S,
      redrive: { deadLetterQueue: notificationQueues.deadLetterQueue, maxReceiveCount: NOTIFICATION_MAX_RECEIVE_COUNT },
    });

    const sandbox = createAmazonSandbox({
      clock,
      app: { ...LOCAL_APP, draft: true },
      loginUri: `${url}/v1/amazon/login`,
      redirectUri: `${url}/v1/amazon/callback`,
      publicOrigin: sandboxUrl,
      log,
      // The Developer Console step: Amazon's notifications go to the local queue.
      notifications: { send: (body) => void aws.sqs.send(notificationQueues.queue, body) },
    });
    gate.sandbox = (req, res) => sandbox.handle(req, res);
    progress(`Amazon sandbox on ${sandboxUrl}`);

    // 4. The handlers' environment, set before any handler module is imported. A JVM that could
    // not even spawn (no Java) has said so by now: fail before touching the environment.
    if (dynamoFailure) throw dynamoFailure;
    // The dev callers of the internal access-token route: one on the allow-list, one not.
    const devCallers = { caller: createDevCaller(REGION, 'aob-local-token-caller'), other: createDevCaller(REGION, 'aob-local-other-service') };
    const env: Record<string, string> = {
      STAGE,
      TOKEN_CALLER_ROLE_ARNS: devCallers.caller.roleArn,
      TABLE_NAME: NAMES.tableName,
      EVENT_BUS_NAME: NAMES.eventBusName,
      APP_SECRET_NAME: NAMES.appSecretName,
      GRANT_SECRET_PREFIX: NAMES.grantSecretPrefix,
      API_BASE_URL: url,
      FRONTEND_URL: url,
      FRONTEND_CONNECT_PATH: '/connect',
      FRONTEND_COMPLETION_PATH: '/complete',
      FRONTEND_RETURN_PATHS: '/',
      LWA_TOKEN_URL: `${sandboxUrl}/auth/o2/token`,
      SPAPI_ENDPOINT_OVERRIDE: sandboxUrl,
      SELLER_CENTRAL_URL_OVERRIDE: `${sandboxUrl}/sellercentral/{marketplace}`,
      DRAFT_APP: 'true',
      ACCOUNT_CLAIM,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: aws.endpoint,
      AWS_ENDPOINT_URL_SQS: aws.endpoint,
      // The sandbox accepts rotateApplicationClientSecret, so the sweep's automatic rotation runs locally.
      CLIENT_SECRET_AUTO_ROTATE: 'true',
      // Inside the last day (deployed default: 7), so a local walk shows all three warnings before the rotation.
      CLIENT_SECRET_ROTATE_WITHIN_DAYS: '1',
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_DEV: 'true',
    };
    for (const [key, value] of Object.entries(env)) process.env[key] = value;
    // Shared credentials or profiles on the machine must not leak into the local stack.
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    const jwt = await createDevJwt({ issuer: `${url}/__dev`, audience: JWT_AUDIENCE, accountClaim: ACCOUNT_CLAIM, keyFile: dataDir && join(dataDir, 'dev-jwt-key.json') });

    // What the Lambda bundler does at build time: the OpenAPI handler's document (lambdas/contract/openapi.ts).
    installOpenApiDocument();

    // 5. The handler modules, imported once like Lambda's init phase.
    // One after the other: the modules share most of their imports, so the first pays for the
    // rest, and jest's ESM loader fails concurrent imports of a shared dependency.
    const handlers = new Map<string, Promise<LambdaHandler>>();
    const missing: string[] = [];
    const importing = Date.now();
    for (const spec of FUNCTIONS) {
      const loading = import(pathToFileURL(join(REPOSITORY_ROOT, spec.entry)).href).then((module: { handler?: unknown }) => {
        if (typeof module.handler !== 'function') throw new Error(`${spec.entry} does not export a handler function`);
        return module.handler as LambdaHandler;
      });
      loading.catch((error: unknown) => missing.push(`${spec.id} (${spec.entry}): ${(error as Error).message.split('\n')[0]}`));
      handlers.set(spec.id, loading);
      await loading.catch(() => undefined);
    }
    // The table must exist before the first request; the imports above overlapped the JVM start.
    const dynamo: DynamoDbLocal = await dynamoStarting;
    const admin = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const table = await createTable(admin, NAMES.tableName).finally(() => admin.destroy());
    progress(`DynamoDB Local ready; table ${NAMES.tableName} ${table}`);
    progress(`${FUNCTIONS.length - missing.length}/${FUNCTIONS.length} handler modules loaded (${seconds(Date.now() - importing)})`);
    for (const line of missing) progress(`  not loaded: ${line}`);
    const handlerFor = (spec: FunctionSpec) => handlers.get(spec.id) ?? Promise.reject(new Error(`unknown function ${spec.id}`));

    aws.secretsManager.ensure(NAMES.appSecretName, JSON.stringify({ clientId: LOCAL_APP.clientId, clientSecret: LOCAL_APP.clientSecret, applicationId: LOCAL_APP.applicationId }));
    progress(`app credentials seeded in ${NAMES.appSecretName}`);

    // 6. The sweep, as the hourly schedule would call it.
    const sweepSpec = FUNCTIONS.find((f) => f.id === 'Sweep') as FunctionSpec;
    const runSweep = async () => {
      const requestId = randomUUID();
      const now = clock.now();
      const event = {
        version: '0',
        id: requestId,
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '000000000000',
        time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: REGION,
        resources: [`arn:aws:events:${REGION}:000000000000:rule/aob-amazon-connect-local-sweep`],
        detail: {},
      };
      return (await handlerFor(sweepSpec))(event, lambdaContext(sweepSpec, REGION, requestId, SWEEP_TIMEOUT_MS));
    };

    // The token health check, as its schedule would call it (or for one venue, as ops would).
    const healthSpec = FUNCTIONS.find((f) => f.id === 'HealthCheck') as FunctionSpec;
    const runHealthCheck = async (only?: { accountId: string; marketplace: string }) => {
      const requestId = randomUUID();
      const event = { version: '0', id: requestId, 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time: clock.now().toISOString(), region: REGION, resources: [], detail: only ?? {} };
      return (await handlerFor(healthSpec))(event, lambdaContext(healthSpec, REGION, requestId, SWEEP_TIMEOUT_MS));
    };

    // 6b. The notification queue's event source mapping, and direct invokes (the on-call CLI's).
    const queueSpecs = (FUNCTIONS as readonly FunctionSpec[]).flatMap((spec) => (spec.trigger?.kind === 'queue' ? [{ spec, batchSize: spec.trigger.batchSize }] : []));
    const pollers = queueSpecs.map(({ spec, batchSize }) =>
      createSqsEventSource({
        sqs: aws.sqs,
        queueName: notificationQueues.queue,
        queueArn: notificationQueue.arn,
        spec,
        handler: () => handlerFor(spec),
        region: REGION,
        batchSize,
        timeoutMs: (spec.timeoutSeconds ?? 10) * 1000,
      }),
    );
    // Stopping waits for the polls in flight, and later ones do nothing: no handler runs, or
    // logs, after the stack it belongs to has stopped.
    const inFlight = new Set<Promise<unknown>>();
    let pollsStopped = false;
    const pollNotifications = async (): Promise<PollSummary> => {
      if (pollsStopped) return { received: 0, deleted: 0, failed: 0, error: null };
      const all = Promise.all(pollers.map((p) => p.poll()));
      inFlight.add(all);
      try {
        return (await all)[0] ?? { received: 0, deleted: 0, failed: 0, error: null };
      } finally {
        inFlight.delete(all);
      }
    };
    const invoke = async (id: string, payload: unknown = {}) => {
      const spec = FUNCTIONS.find((f) => f.id === id && 'trigger' in f && f.trigger.kind === 'direct') as FunctionSpec | undefined;
      if (!spec) throw new Error(`No directly invoked function ${id}`);
      const requestId = randomUUID();
      return (await handlerFor(spec))(payload, lambdaContext(spec, REGION, requestId, (spec.timeoutSeconds ?? 10) * 1000));
    };
    const pollTimer = setInterval(() => {
      pollNotifications()
        .then((r) => {
          if (r.received) log(`notifications: ${r.received} received, ${r.deleted} done, ${r.failed} failed`);
        })
        .catch((error: unknown) => log(`notification poll failed: ${(error as Error).message}`));
    }, NOTIFICATION_POLL_INTERVAL_MS);
    pollTimer.unref();
    stoppers.push(async () => {
      clearInterval(pollTimer);
      pollsStopped = true;
      await Promise.allSettled([...inFlight]);
    });

    // 7. The HTTP server.
    const api = createApiGateway({
      functions: FUNCTIONS,
      handlerFor,
      authorize: (h) => jwt.authorize(h),
      verifyIam: (request) => verifySigV4(request, [devCallers.caller, devCallers.other]),
      region: REGION,
      log,
    });
    const { accessKeyId, secretAccessKey, region } = devCallers.caller;
    gate.api = createLocalListener({
      api,
      jwt,
      events: aws.eventBridge,
      sandbox,
      clock,
      shiftClock,
      runSweep,
      runHealthCheck,
      callerCredentials: { accessKeyId, secretAccessKey, region },
      webDir: join(REPOSITORY_ROOT, 'local', 'web'),
      log,
      ops: {
        pollNotifications,
        invoke,
        queues: () => ({
          queue: { name: notificationQueues.queue, ...aws.sqs.depth(notificationQueues.queue) },
          deadLetterQueue: { name: notificationQueues.deadLetterQueue, ...aws.sqs.depth(notificationQueues.deadLetterQueue) },
        }),
        sendNotification: (body) => aws.sqs.send(notificationQueues.queue, body),
        stack: () => ({
          stage: STAGE,
          region: REGION,
          tableName: NAMES.tableName,
          dynamoDbEndpoint: dynamoEndpoint,
          awsEndpoint: aws.endpoint,
          notificationQueueArn: notificationQueue.arn,
          directFunctions: FUNCTIONS.filter((f) => 'trigger' in f && f.trigger.kind === 'direct').map((f) => f.id),
        }),
      },
    });
    progress(`dev caller for POST /internal/v1/amazon/access-tokens (SigV4, service execute-api, region ${region}): accessKeyId ${accessKeyId} secretAccessKey ${secretAccessKey} (also at GET ${url}/__dev/caller-credentials)`);

    const interval = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    let sweeping: Promise<void> | undefined;
    if (interval > 0) {
      const timer = setInterval(() => {
        if (sweeping) return;
        sweeping = runSweep()
          .then((summary) => {
            const sent = (summary as { eventsSent?: number } | undefined)?.eventsSent;
            if (sent) log(`sweep: ${sent} event(s) sent`);
          })
          .catch((error: unknown) => log(`sweep failed: ${(error as Error).message}`))
          .finally(() => (sweeping = undefined));
      }, interval);
      timer.unref();
      stoppers.push(async () => {
        clearInterval(timer);
        await sweeping;
      });
      progress(`sweep every ${seconds(interval)}`);
    }

    const startupMs = Date.now() - started;
    log(`Ready in ${seconds(startupMs)}: API and Venue Settings ${url}/ · Amazon sandbox ${sandboxUrl}/ · dev controls ${url}/__dev`);

    let stopping: Promise<void> | undefined;
    return {
      url,
      sandboxUrl,
      dynamoDbEndpoint: dynamo.endpoint,
      awsEndpoint: aws.endpoint,
      tableName: NAMES.tableName,
      env,
      startupMs,
      secretsManager: aws.secretsManager,
      eventBridge: aws.eventBridge,
      sandbox,
      jwt,
      api,
      devCallers,
      runSweep,
      runHealthCheck,
      sqs: aws.sqs,
      notificationQueues,
      pollNotifications,
      invoke,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * A DynamoDB Local left running by a stack that was killed outright (SIGKILL leaves no chance to
 * stop the JVM) would hold the data folder's database; only a JVM serving this very folder is
 * ended. Linux only (reads /proc); elsewhere nothing happens.
 */
function killStaleDynamoDb(dir: string, progress: (line: string) => void): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of pids) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const jar = args.some((a) => a.endsWith('DynamoDBLocal.jar'));
    const path = args[args.indexOf('-dbPath') + 1];
    if (jar && args.includes('-dbPath') && path && resolve(path) === resolve(dir)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
        progress(`ended a DynamoDB Local (pid ${pid}) left over from an earlier run on ${dir}`);
      } catch {
        // Already gone, or not ours to end.
      }
    }
  }
}

export class JavaMissingError extends Error {
  constructor() {
    super('DynamoDB Local needs Java 17 or newer, and no `java` was found on PATH. Install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and check with `java -version`.');
    this.name = 'JavaMissingError';
  }
}

/** Checked before anything starts, so a missing Java is one clear message and nothing to clean up. */
function assertJavaOnPath(): void {
  const names = process.platform === 'win32' ? ['java.exe'] : ['java'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return;
      } catch {
        // Not in this folder.
      }
    }
  }
  throw new JavaMissingError();
}
