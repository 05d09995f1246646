import * as z from 'zod';
import { type AlertThreshold, parseThresholds } from '../domain/alerts.js';

/**
 * The service's configuration: one zod schema over the environment, parsed once per container
 * (cold start) into a frozen object. Adapters receive what they need from it and never read
 * `process.env` themselves. A bad or missing variable fails fast with its name.
 */

const boolFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Stage names: also the CDK stage context (lib/config.ts) checks them with this pattern. */
export const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/** Hosts on which plain http is acceptable: the local stack and a developer's own frontend. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

const httpsOrLoopbackUrl = z.url().refine((v) => {
  // zod runs refinements even after z.url() failed; that failure already names the variable.
  if (!URL.canParse(v)) return true;
  const u = new URL(v);
  return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOSTS.includes(u.hostname));
}, 'must be an https URL (http is allowed only on loopback, for the local stack)');

/** A frontend path (connect page, return paths); the CDK stage context uses the same schema. */
export const frontendPath = z.string().regex(/^\/[A-Za-z0-9\-._~/]*$/, 'must be a path such as /settings/venues');

const pathList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(frontendPath).min(1));

const envSchema = z.object({
  STAGE: z.string().regex(STAGE_PATTERN, 'lowercase letters, digits and dashes, e.g. prod'),
  TABLE_NAME: z.string().min(3),
  EVENT_BUS_NAME: z.string().min(1),
  /** Secrets Manager secret holding the LWA app credentials (JSON: clientId, clientSecret, applicationId). */
  APP_SECRET_NAME: z.string().min(1),
  /** Every grant's refresh-token secret is named `${GRANT_SECRET_PREFIX}${…}`; IAM is scoped to it. */
  GRANT_SECRET_PREFIX: z.string().regex(/^[A-Za-z0-9/_+=.@-]+\/$/, 'must end with "/"'),
  /** KMS key for grant secrets (the stack's customer key); unset locally. */
  GRANT_SECRET_KMS_KEY_ID: z.string().min(1).optional(),
  /** Days a deleted grant secret stays recoverable (Secrets Manager allows 7–30). */
  SECRET_RECOVERY_DAYS: z.coerce.number().int().min(7).max(30).default(30),
  /** Public base URL of this API, e.g. https://abc.execute-api.eu-west-1.amazonaws.com. */
  API_BASE_URL: httpsOrLoopbackUrl.transform((v) => v.replace(/\/$/, '')),
  /** The AoB frontend. When unset, browser flows end on a self-contained HTML page. */
  FRONTEND_URL: httpsOrLoopbackUrl.transform((v) => v.replace(/\/$/, '')).optional(),
  FRONTEND_CONNECT_PATH: frontendPath.default('/settings/venues/amazon/connect'),
  /** Paths a flow may return to; the first is the default. */
  FRONTEND_RETURN_PATHS: pathList.default(['/settings/venues']),
  /** The JWT claim carrying the AoB account id. */
  ACCOUNT_CLAIM: z.string().min(1).default('custom:accountId'),
  /** Send `version=beta` on consent URLs: only while the app is a Draft in Amazon's developer console. */
  DRAFT_APP: boolFlag.default(false),
  LWA_TOKEN_URL: httpsOrLoopbackUrl.default('https://api.amazon.com/auth/o2/token'),
  /** Local sandbox only: serve every region's SP-API from this origin instead of Amazon's hosts. */
  SPAPI_ENDPOINT_OVERRIDE: httpsOrLoopbackUrl.optional(),
  /**
   * Local sandbox only: a Seller Central base URL template replacing Amazon's hosts for the
   * consent page and the `amazon_callback_uri` allow-list, e.g.
   * `http://127.0.0.1:3001/sellercentral/{marketplace}`.
   */
  SELLER_CENTRAL_URL_OVERRIDE: z
    .string()
    .refine((v) => v.includes('{marketplace}'), 'must contain {marketplace}')
    .refine((v) => httpsOrLoopbackUrl.safeParse(v.replace('{marketplace}', 'uk')).success, 'must be an https URL (http only on loopback)')
    .optional(),
  ALERT_THRESHOLDS: z
    .string()
    .default('30d,1d')
    .transform((v, ctx): AlertThreshold[] => {
      try {
        return parseThresholds(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
  /** Warnings before the app's LWA client secret expires, e.g. "30d,7d,1d" (`Amazon App Credentials Expiring`). */
  APP_SECRET_ALERT_THRESHOLDS: z
    .string()
    .default('30d,7d,1d')
    .transform((v, ctx): AlertThreshold[] => {
      try {
        return parseThresholds(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
  /** Call rotateApplicationClientSecret automatically inside the last CLIENT_SECRET_ROTATE_WITHIN_DAYS. */
  CLIENT_SECRET_AUTO_ROTATE: boolFlag.default(false),
  CLIENT_SECRET_ROTATE_WITHIN_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /** Hours a new secret may take to arrive after a rotation before on-call is alarmed. */
  CLIENT_SECRET_ROTATION_GRACE_HOURS: z.coerce.number().int().min(1).max(72).default(6),
  /** Minutes a started authorization (ticket and state) stays usable. */
  AUTH_TTL_MINUTES: z.coerce.number().int().min(1).max(10).default(10),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
});

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
  frontendReturnPaths: readonly string[];
  accountClaim: string;
  draftApp: boolean;
  lwaTokenUrl: string;
  spApiEndpointOverride: string | undefined;
  sellerCentralUrlOverride: string | undefined;
  alertThresholds: readonly AlertThreshold[];
  appSecretAlertThresholds: readonly AlertThreshold[];
  clientSecretRotation: Readonly<{ auto: boolean; withinMs: number; graceMs: number }>;
  authTtlMs: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = result.data;
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
    frontendReturnPaths: Object.freeze([...e.FRONTEND_RETURN_PATHS]),
    accountClaim: e.ACCOUNT_CLAIM,
    draftApp: e.DRAFT_APP,
    lwaTokenUrl: e.LWA_TOKEN_URL,
    spApiEndpointOverride: e.SPAPI_ENDPOINT_OVERRIDE,
    sellerCentralUrlOverride: e.SELLER_CENTRAL_URL_OVERRIDE,
    alertThresholds: Object.freeze(e.ALERT_THRESHOLDS),
    appSecretAlertThresholds: Object.freeze(e.APP_SECRET_ALERT_THRESHOLDS),
    clientSecretRotation: Object.freeze({
      auto: e.CLIENT_SECRET_AUTO_ROTATE,
      withinMs: e.CLIENT_SECRET_ROTATE_WITHIN_DAYS * 86_400_000,
      graceMs: e.CLIENT_SECRET_ROTATION_GRACE_HOURS * 3_600_000,
    }),
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
