import { type AlertThreshold, parseThresholds } from '../domain/alerts.js';
import { ConfigError } from '../domain/errors.js';
import { DEFAULT_TUNING as TUNED } from '../function-environment.js';
import { isHttpsOrLoopback } from './loopback.js';

/**
 * The service's configuration: every environment variable a function reads, one line each in
 * `ENV` below, parsed once per container (cold start) into a frozen object. Adapters receive what
 * they need from it and never read `process.env` themselves. A bad or missing variable fails fast
 * with its name; every problem is listed at once.
 *
 * A plain parser rather than a schema library: it is in every bundle and runs at every cold start,
 * and zod classic alone was 90 KiB of each bundle for these few checks (README, "Performance").
 * To add a variable: one line in `ENV`, one field in `Config`, one in `parseConfig`.
 */

/** Stage names: also the CDK stage context (lib/config.ts) checks them with this pattern. */
export const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/** A frontend path (connect page, return paths); the CDK stage context (lib/config.ts) checks the same. */
export const FRONTEND_PATH_PATTERN = /^\/[A-Za-z0-9\-._~/]*$/;
export const FRONTEND_PATH_MESSAGE = 'must be a path such as /settings/venues';

/** A refused value: its message follows the variable's name in the ConfigError. */
class Invalid extends Error {}

/** Reads one variable: `undefined` when it is not set. Throws `Invalid` with the reason. */
type Rule<T> = (raw: string | undefined) => T;
/** Checks and converts a value that is set. */
type Check<T> = (value: string) => T;

const required =
  <T>(check: Check<T>): Rule<T> =>
  (raw) => {
    if (raw === undefined) throw new Invalid('is required');
    return check(raw);
  };
const optional =
  <T>(check: Check<T>): Rule<T | undefined> =>
  (raw) =>
    raw === undefined ? undefined : check(raw);
/** The default is written as the variable would be, and goes through the same check. */
const withDefault =
  <T>(check: Check<T>, fallback: string): Rule<T> =>
  (raw) =>
    check(raw ?? fallback);

const text =
  (min = 1): Check<string> =>
  (v) => {
    if (v.length < min) throw new Invalid(`must be at least ${min} characters long`);
    return v;
  };
const matching =
  (pattern: RegExp, message: string): Check<string> =>
  (v) => {
    if (!pattern.test(v)) throw new Invalid(message);
    return v;
  };
const integer =
  (min: number, max: number): Check<number> =>
  (v) => {
    const n = Number(v);
    if (!/^\s*-?\d+\s*$/.test(v) || n < min || n > max) throw new Invalid(`must be a whole number from ${min} to ${max}`);
    return n;
  };
const oneOf =
  <const V extends string>(values: readonly V[]): Check<V> =>
  (v) => {
    if (!(values as readonly string[]).includes(v)) throw new Invalid(`must be one of ${values.join(', ')}`);
    return v as V;
  };
const flag: Check<boolean> = (v) => oneOf(['true', 'false'])(v) === 'true';

const HTTPS_ONLY = 'must be an https URL (http is allowed only on loopback, for the local stack)';

function checkHttpsOrLoopback(v: string, message = HTTPS_ONLY): URL {
  if (!URL.canParse(v)) throw new Invalid('must be a URL');
  const u = new URL(v);
  if (!isHttpsOrLoopback(u)) throw new Invalid(message);
  return u;
}
/** An https URL (http only on loopback, for the local stack), without its trailing slash. */
const baseUrl: Check<string> = (v) => {
  checkHttpsOrLoopback(v);
  return v.replace(/\/$/, '');
};
const url: Check<string> = (v) => {
  checkHttpsOrLoopback(v);
  return v;
};
const frontendPath = matching(FRONTEND_PATH_PATTERN, FRONTEND_PATH_MESSAGE);
/** Comma-separated frontend paths, at least one. */
const pathList: Check<string[]> = (v) => {
  const paths = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (paths.length === 0) throw new Invalid('must list at least one path, e.g. /settings/venues');
  paths.forEach((p, i) => {
    if (!FRONTEND_PATH_PATTERN.test(p)) throw new Invalid(`entry ${i + 1} ${FRONTEND_PATH_MESSAGE}`);
  });
  return paths;
};
/** A Seller Central base URL template, e.g. `http://127.0.0.1:3001/sellercentral/{marketplace}`. */
const sellerCentralTemplate: Check<string> = (v) => {
  if (!v.includes('{marketplace}')) throw new Invalid('must contain {marketplace}');
  checkHttpsOrLoopback(v.replace('{marketplace}', 'uk'), 'must be an https URL (http only on loopback)');
  return v;
};
const thresholds: Check<AlertThreshold[]> = (v) => {
  try {
    return parseThresholds(v);
  } catch (e) {
    throw new Invalid((e as Error).message);
  }
};

/** Every variable, one line each. */
const ENV = {
  STAGE: required(matching(STAGE_PATTERN, 'lowercase letters, digits and dashes, e.g. prod')),
  TABLE_NAME: required(text(3)),
  EVENT_BUS_NAME: required(text()),
  /** Secrets Manager secret holding the LWA app credentials (JSON: clientId, clientSecret, applicationId). */
  APP_SECRET_NAME: required(text()),
  /** Every grant's refresh-token secret is named `${GRANT_SECRET_PREFIX}${…}`; IAM is scoped to it. */
  GRANT_SECRET_PREFIX: required(matching(/^[A-Za-z0-9/_+=.@-]+\/$/, 'must end with "/"')),
  /** KMS key for grant secrets (the stack's customer key); unset locally. */
  GRANT_SECRET_KMS_KEY_ID: optional(text()),
  /** Days a deleted grant secret stays recoverable (Secrets Manager allows 7–30). */
  SECRET_RECOVERY_DAYS: withDefault(integer(7, 30), String(TUNED.secretRecoveryDays)),
  /** Public base URL of this API, e.g. https://abc.execute-api.eu-west-1.amazonaws.com. */
  API_BASE_URL: required(baseUrl),
  /** The AoB frontend. When unset, browser flows end on a self-contained HTML page. */
  FRONTEND_URL: optional(baseUrl),
  FRONTEND_CONNECT_PATH: withDefault(frontendPath, '/settings/venues/amazon/connect'),
  /** The frontend page the callback sends the browser to: it posts the completion handle with the seller's JWT. */
  FRONTEND_COMPLETION_PATH: withDefault(frontendPath, '/settings/venues/amazon/complete'),
  /** Paths a flow may return to; the first is the default. */
  FRONTEND_RETURN_PATHS: withDefault(pathList, '/settings/venues'),
  /** The JWT claim carrying the AoB account id. */
  ACCOUNT_CLAIM: withDefault(text(), 'custom:accountId'),
  /** Accept only JWTs whose `token_use` claim is this (Cognito: `id` or `access`); unset: the claim is not checked. */
  JWT_TOKEN_USE: optional(oneOf(['id', 'access'])),
  /** Send `version=beta` on consent URLs: only while the app is a Draft in Amazon's developer console. */
  DRAFT_APP: withDefault(flag, 'false'),
  LWA_TOKEN_URL: withDefault(url, 'https://api.amazon.com/auth/o2/token'),
  /** Local sandbox only: serve every region's SP-API from this origin instead of Amazon's hosts. */
  SPAPI_ENDPOINT_OVERRIDE: optional(url),
  /**
   * Local sandbox only: a Seller Central base URL template replacing Amazon's hosts for the
   * consent page and the `amazon_callback_uri` allow-list, e.g.
   * `http://127.0.0.1:3001/sellercentral/{marketplace}`.
   */
  SELLER_CENTRAL_URL_OVERRIDE: optional(sellerCentralTemplate),
  ALERT_THRESHOLDS: withDefault(thresholds, TUNED.alertThresholds),
  /** Minutes a started authorization (ticket and state) stays usable. */
  AUTH_TTL_MINUTES: withDefault(integer(1, 10), '10'),
  LOG_LEVEL: withDefault(oneOf(['DEBUG', 'INFO', 'WARN', 'ERROR']), TUNED.logLevel),
} satisfies Record<string, Rule<unknown>>;

type Env = { readonly [K in keyof typeof ENV]: ReturnType<(typeof ENV)[K]> };

/** Runs every rule, collecting every problem before failing. */
function readEnv(env: Record<string, string | undefined>): Env {
  return readRules(ENV, env);
}

function readRules<R extends Record<string, Rule<unknown>>>(rules: R, env: Record<string, string | undefined>): { readonly [K in keyof R]: ReturnType<R[K]> } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(rules) as [string, Rule<unknown>][]) {
    try {
      values[name] = rule(env[name]);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      problems.push(`${name}: ${e.message}`);
    }
  }
  if (problems.length) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return values as { readonly [K in keyof R]: ReturnType<R[K]> };
}

export type Config = Readonly<{
  stage: string;
  tableName: string;
  eventBusName: string;
  appSecretName: string;
  grantSecretPrefix: string;
  grantSecretKmsKeyId: string | undefined;
  secretRecoveryDays: number;
  apiBaseUrl: string;
  /** The Redirect URI registered with Amazon and sent with every code exchange. */
  redirectUri: string;
  frontendUrl: string | undefined;
  frontendConnectPath: string;
  frontendCompletionPath: string;
  frontendReturnPaths: readonly string[];
  accountClaim: string;
  jwtTokenUse: 'id' | 'access' | undefined;
  draftApp: boolean;
  lwaTokenUrl: string;
  spApiEndpointOverride: string | undefined;
  sellerCentralUrlOverride: string | undefined;
  alertThresholds: readonly AlertThreshold[];
  authTtlMs: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}>;

export function parseConfig(env: Record<string, string | undefined>): Config {
  const e = readEnv(env);
  return Object.freeze({
    stage: e.STAGE,
    tableName: e.TABLE_NAME,
    eventBusName: e.EVENT_BUS_NAME,
    appSecretName: e.APP_SECRET_NAME,
    grantSecretPrefix: e.GRANT_SECRET_PREFIX,
    grantSecretKmsKeyId: e.GRANT_SECRET_KMS_KEY_ID,
    secretRecoveryDays: e.SECRET_RECOVERY_DAYS,
    apiBaseUrl: e.API_BASE_URL,
    redirectUri: `${e.API_BASE_URL}/v1/amazon/callback`,
    frontendUrl: e.FRONTEND_URL,
    frontendConnectPath: e.FRONTEND_CONNECT_PATH,
    frontendCompletionPath: e.FRONTEND_COMPLETION_PATH,
    frontendReturnPaths: Object.freeze([...e.FRONTEND_RETURN_PATHS]),
    accountClaim: e.ACCOUNT_CLAIM,
    jwtTokenUse: e.JWT_TOKEN_USE,
    draftApp: e.DRAFT_APP,
    lwaTokenUrl: e.LWA_TOKEN_URL,
    spApiEndpointOverride: e.SPAPI_ENDPOINT_OVERRIDE,
    sellerCentralUrlOverride: e.SELLER_CENTRAL_URL_OVERRIDE,
    alertThresholds: Object.freeze(e.ALERT_THRESHOLDS),
    authTtlMs: e.AUTH_TTL_MINUTES * 60_000,
    logLevel: e.LOG_LEVEL,
  });
}

let cached: Config | undefined;

/** The container's configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/**
 * The app client secret's life cycle settings. Read only by the functions that handle it (the
 * notification handler, the sweep, the rotation), at their cold start, so the other bundles do
 * not carry these rules.
 */
export type AppCredentialsConfig = Readonly<{
  /** `Amazon App Credentials Expiring` thresholds before the secret's expiry, earliest first. */
  appSecretAlertThresholds: readonly AlertThreshold[];
  clientSecretRotation: Readonly<{ auto: boolean; withinMs: number; graceMs: number }>;
}>;

export function parseAppCredentialsConfig(env: Record<string, string | undefined>): AppCredentialsConfig {
  const e = readRules(
    {
      /** Warnings before the app's LWA client secret expires, e.g. "30d,7d,1d". */
      APP_SECRET_ALERT_THRESHOLDS: withDefault(thresholds, TUNED.clientSecretRotation.alertThresholds),
      /** Call rotateApplicationClientSecret from the sweep inside the last CLIENT_SECRET_ROTATE_WITHIN_DAYS. */
      CLIENT_SECRET_AUTO_ROTATE: withDefault(flag, String(TUNED.clientSecretRotation.auto)),
      CLIENT_SECRET_ROTATE_WITHIN_DAYS: withDefault(integer(1, 60), String(TUNED.clientSecretRotation.rotateWithinDays)),
      /** Hours a new secret may take to arrive after a rotation before on-call is alarmed. */
      CLIENT_SECRET_ROTATION_GRACE_HOURS: withDefault(integer(1, 72), String(TUNED.clientSecretRotation.graceHours)),
    },
    env,
  );
  return Object.freeze({
    appSecretAlertThresholds: Object.freeze(e.APP_SECRET_ALERT_THRESHOLDS),
    clientSecretRotation: Object.freeze({
      auto: e.CLIENT_SECRET_AUTO_ROTATE,
      withinMs: e.CLIENT_SECRET_ROTATE_WITHIN_DAYS * 86_400_000,
      graceMs: e.CLIENT_SECRET_ROTATION_GRACE_HOURS * 3_600_000,
    }),
  });
}

let cachedAppCredentials: AppCredentialsConfig | undefined;

export function appCredentialsConfig(): AppCredentialsConfig {
  cachedAppCredentials ??= parseAppCredentialsConfig(process.env);
  return cachedAppCredentials;
}
