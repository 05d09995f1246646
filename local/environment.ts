import { DEFAULT_TUNING, TUNING_VARIABLES, type TuningVariable, functionEnvironment } from '../lambdas/function-environment.js';
import { LOCAL_NAMES, LOCAL_REGION, LOCAL_STAGE } from './stage.js';

/**
 * The handlers' environment on the local stack: the configuration a deployed stage's functions
 * get (built by the same lambdas/function-environment.ts), with local values, and what Lambda's
 * runtime would add, pointed at the stand-ins.
 */

/** The JWT claim carrying the AoB account id, in the dev tokens and in the handlers' configuration. */
export const LOCAL_ACCOUNT_CLAIM = 'custom:accountId';

export interface LocalOrigins {
  /** The API, which is also the frontend (the Venue Settings page). */
  readonly api: string;
  /** The Amazon sandbox. */
  readonly sandbox: string;
  /** The dev caller on the access-token route's allow-list. */
  readonly tokenCallerRoleArn: string;
}

/** Tuning the local stack decides whatever the developer's environment says. */
const LOCAL_DECISIONS: readonly TuningVariable[] = ['CLIENT_SECRET_AUTO_ROTATE', 'CLIENT_SECRET_ROTATE_WITHIN_DAYS'];

/**
 * The functions' configuration: the API's own origin as the frontend (pages `/`, `/connect`,
 * `/complete`), the Amazon sandbox in place of Amazon, a Draft app, and the sweep rotating the
 * client secret by itself (the sandbox accepts rotateApplicationClientSecret) inside the last
 * day (deployed default: 7), so a local walk shows all three warnings before the rotation. The
 * rest of the tuning is the developer's (`ALERT_THRESHOLDS=7d,1h npm start`), else the
 * functions' default.
 */
export function localFunctionEnvironment(origins: LocalOrigins, developerEnv: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const configured = functionEnvironment({
    ...DEFAULT_TUNING,
    clientSecretRotation: { ...DEFAULT_TUNING.clientSecretRotation, auto: true, rotateWithinDays: 1 },
    stage: LOCAL_STAGE,
    resources: LOCAL_NAMES,
    apiBaseUrl: origins.api,
    frontend: { url: origins.api, connectPath: '/connect', completionPath: '/complete', returnPaths: ['/'] },
    jwt: { accountClaim: LOCAL_ACCOUNT_CLAIM },
    draftApp: true,
    tokenCallerRoleArns: [origins.tokenCallerRoleArn],
    amazon: { lwaTokenUrl: `${origins.sandbox}/auth/o2/token`, spApiEndpoint: origins.sandbox, sellerCentralUrlTemplate: `${origins.sandbox}/sellercentral/{marketplace}` },
  });
  return { ...configured, ...developerTuning(developerEnv) };
}

/** The tuning variables the developer's environment sets, except the local stack's own decisions. */
function developerTuning(env: Readonly<Record<string, string | undefined>>): Partial<Record<TuningVariable, string>> {
  const tuned: Partial<Record<TuningVariable, string>> = {};
  for (const name of TUNING_VARIABLES) {
    const value = env[name];
    if (value !== undefined && !LOCAL_DECISIONS.includes(name)) tuned[name] = value;
  }
  return tuned;
}

/** What Lambda's runtime gives a function (region, credentials), and the SDK's standard endpoint variables pointed at the stand-ins. */
export function localRuntimeEnvironment(endpoints: { readonly dynamoDb: string; readonly aws: string }): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.aws,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.aws,
    AWS_ENDPOINT_URL_SQS: endpoints.aws,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // One indented JSON object per log line, for a terminal.
    LOG_PRETTY: 'true',
  };
}

/** Sets the handlers' environment in this process; to be called before any handler module is imported. */
export function applyHandlerEnvironment(env: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(env)) process.env[key] = value;
  // Shared credentials or profiles on the machine must not leak into the local stack.
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}
