import type { LogLevel } from './shared/logger.js';

/**
 * The environment every function of the manifest is configured with, built in one place for the
 * CDK stack (lib/stateless-stack.ts) and the local stack (local/environment.ts), so a deployed
 * function and the same handler module on `npm start` read the same variables. What each one
 * means: lambdas/shared/config.ts (token-config.ts for the token service's). Plain data: no CDK
 * or SDK imports. A per-function binding (GRANT_SECRET_KMS_KEY_ID for the grant-secret writers)
 * is set by the CDK construct that grants the permission, not here.
 */

/** What a stage may tune; `DEFAULT_TUNING` is what a stage that says nothing gets. */
export interface FunctionTuning {
  /** Days a disconnected grant's secret stays recoverable (Secrets Manager allows 7–30). */
  readonly secretRecoveryDays: number;
  /** Expiry warnings before the 365-day authorization ends, e.g. "30d,1d". */
  readonly alertThresholds: string;
  /** The app's LWA client secret: expiry warnings and automatic rotation (docs/operations.md). */
  readonly clientSecretRotation: {
    readonly auto: boolean;
    readonly rotateWithinDays: number;
    readonly graceHours: number;
    readonly alertThresholds: string;
  };
  /** The token health check: how long a grant may go unconfirmed by Amazon, and how many grants one run checks. */
  readonly healthCheck: { readonly intervalHours: number; readonly maxPerRun: number };
  readonly logLevel: LogLevel;
}

/** The defaults of the tuning: what the functions' configuration falls back to (lambdas/shared/config.ts, token-config.ts read it from here), and the stage context's. */
export const DEFAULT_TUNING = {
  secretRecoveryDays: 30,
  alertThresholds: '30d,1d',
  clientSecretRotation: { auto: false, rotateWithinDays: 7, graceHours: 6, alertThresholds: '30d,7d,1d' },
  healthCheck: { intervalHours: 24, maxPerRun: 500 },
  logLevel: 'INFO',
} as const satisfies FunctionTuning;

export interface FunctionSettings extends FunctionTuning {
  readonly stage: string;
  /** The stage's resources, by name. */
  readonly resources: { readonly tableName: string; readonly eventBusName: string; readonly appSecretName: string; readonly grantSecretPrefix: string };
  /** Public base URL of the API: ticket URLs, the Log-in URI and the Redirect URI are built on it. */
  readonly apiBaseUrl: string;
  readonly frontend: { readonly url?: string; readonly connectPath: string; readonly completionPath: string; readonly returnPaths: readonly string[] };
  readonly jwt: { readonly accountClaim: string; readonly tokenUse?: 'id' | 'access' };
  /** The app is still a Draft in Amazon's developer console: consent URLs carry `version=beta`. */
  readonly draftApp: boolean;
  /** IAM roles allowed to call the access-token route. */
  readonly tokenCallerRoleArns: readonly string[];
  /** Where Amazon is, when it is not Amazon: the local stack's sandbox. Deployed stages leave it out. */
  readonly amazon?: { readonly lwaTokenUrl: string; readonly spApiEndpoint: string; readonly sellerCentralUrlTemplate: string };
}

/** The variables `amazon` sets: Amazon's endpoints replaced by the sandbox's. */
export const AMAZON_ENDPOINT_VARIABLES = ['LWA_TOKEN_URL', 'SPAPI_ENDPOINT_OVERRIDE', 'SELLER_CENTRAL_URL_OVERRIDE'] as const;

/** The variables `tuningVariables` writes. */
export const TUNING_VARIABLES = [
  'SECRET_RECOVERY_DAYS',
  'ALERT_THRESHOLDS',
  'APP_SECRET_ALERT_THRESHOLDS',
  'CLIENT_SECRET_AUTO_ROTATE',
  'CLIENT_SECRET_ROTATE_WITHIN_DAYS',
  'CLIENT_SECRET_ROTATION_GRACE_HOURS',
  'HEALTH_CHECK_INTERVAL_HOURS',
  'HEALTH_CHECK_MAX_PER_RUN',
  'LOG_LEVEL',
] as const;

export type TuningVariable = (typeof TUNING_VARIABLES)[number];

/** The configuration every function reads at cold start, as environment variables. */
export function functionEnvironment(settings: FunctionSettings): Record<string, string> {
  return {
    ...resourceVariables(settings),
    ...flowVariables(settings),
    ...(settings.amazon ? amazonVariables(settings.amazon) : {}),
    ...tuningVariables(settings),
  };
}

/** The stage and its resources' names (names grant nothing: IAM comes with the CDK bindings). */
function resourceVariables({ stage, resources }: FunctionSettings): Record<string, string> {
  return {
    STAGE: stage,
    TABLE_NAME: resources.tableName,
    EVENT_BUS_NAME: resources.eventBusName,
    APP_SECRET_NAME: resources.appSecretName,
    GRANT_SECRET_PREFIX: resources.grantSecretPrefix,
  };
}

/** Where the authorization flow sends the browser, whose JWTs and whose SigV4 calls it accepts. */
function flowVariables({ apiBaseUrl, frontend, jwt, draftApp, tokenCallerRoleArns }: FunctionSettings): Record<string, string> {
  return {
    API_BASE_URL: apiBaseUrl,
    ...(frontend.url ? { FRONTEND_URL: frontend.url } : {}),
    FRONTEND_CONNECT_PATH: frontend.connectPath,
    FRONTEND_COMPLETION_PATH: frontend.completionPath,
    FRONTEND_RETURN_PATHS: frontend.returnPaths.join(','),
    ACCOUNT_CLAIM: jwt.accountClaim,
    ...(jwt.tokenUse ? { JWT_TOKEN_USE: jwt.tokenUse } : {}),
    DRAFT_APP: String(draftApp),
    TOKEN_CALLER_ROLE_ARNS: tokenCallerRoleArns.join(','),
  };
}

function amazonVariables(amazon: NonNullable<FunctionSettings['amazon']>): Record<(typeof AMAZON_ENDPOINT_VARIABLES)[number], string> {
  return {
    LWA_TOKEN_URL: amazon.lwaTokenUrl,
    SPAPI_ENDPOINT_OVERRIDE: amazon.spApiEndpoint,
    SELLER_CENTRAL_URL_OVERRIDE: amazon.sellerCentralUrlTemplate,
  };
}

/** The tuning, as the functions read it. */
export function tuningVariables(tuning: FunctionTuning): Record<TuningVariable, string> {
  return {
    SECRET_RECOVERY_DAYS: String(tuning.secretRecoveryDays),
    ALERT_THRESHOLDS: tuning.alertThresholds,
    APP_SECRET_ALERT_THRESHOLDS: tuning.clientSecretRotation.alertThresholds,
    CLIENT_SECRET_AUTO_ROTATE: String(tuning.clientSecretRotation.auto),
    CLIENT_SECRET_ROTATE_WITHIN_DAYS: String(tuning.clientSecretRotation.rotateWithinDays),
    CLIENT_SECRET_ROTATION_GRACE_HOURS: String(tuning.clientSecretRotation.graceHours),
    HEALTH_CHECK_INTERVAL_HOURS: String(tuning.healthCheck.intervalHours),
    HEALTH_CHECK_MAX_PER_RUN: String(tuning.healthCheck.maxPerRun),
    LOG_LEVEL: tuning.logLevel,
  };
}
