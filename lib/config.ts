import * as z from 'zod';
import { type AlertThreshold, parseThresholds } from '../lambdas/domain/alerts.js';
import { StageConfigError } from '../lambdas/domain/errors.js';
import { DEFAULT_TUNING } from '../lambdas/function-environment.js';
import { FRONTEND_PATH_MESSAGE, FRONTEND_PATH_PATTERN, STAGE_PATTERN } from '../lambdas/shared/config.js';
import { isHttpsOrLoopback } from '../lambdas/shared/loopback.js';
import { ROLE_ARN_PATTERN } from '../lambdas/shared/token-config.js';

/**
 * Per-stage deployment configuration: `context.stages.<stage>` in cdk.json, the stage picked with
 * `-c stage=<name>` (default `dev`). Validated with zod at synth so a typo or a missing value
 * stops the synth with the exact key (`stages.prod.jwt.issuer: …`) instead of deploying a
 * broken stack. The same rules as the functions' own cold-start check (lambdas/shared/config.ts)
 * apply to the values that end up in their environment.
 */

const httpsOrLoopbackUrl = z.url().refine((v) => {
  // zod runs refinements even after z.url() failed; that failure already names the key.
  if (!URL.canParse(v)) return true;
  return isHttpsOrLoopback(new URL(v));
}, 'must be an https URL (http only on loopback, e.g. a frontend running on the developer machine)');

/** A frontend path (connect page, return paths): the functions check the same pattern at cold start. */
const frontendPath = z.string().regex(FRONTEND_PATH_PATTERN, FRONTEND_PATH_MESSAGE);

/** A bare origin: CORS allows exactly this, and redirects land under it. */
const frontendOrigin = httpsOrLoopbackUrl.refine((v) => {
  if (!URL.canParse(v)) return true;
  const u = new URL(v);
  return (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash && !u.username;
}, 'must be an origin such as https://app.aob.com (no path, query or credentials)');

/** EventBridge schedule expressions: `rate(1 hour)`, `rate(15 minutes)`, `cron(0 * * * ? *)`. */
const scheduleExpression = z
  .string()
  .regex(
    /^(rate\((1 (minute|hour|day)|[1-9]\d* (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/,
    'must be an EventBridge schedule expression such as "rate(1 hour)" or "cron(0 * * * ? *)"',
  )
  .refine((v) => !/^rate\(1 (minutes|hours|days)\)$/.test(v), 'a rate of 1 takes the singular unit, e.g. "rate(1 hour)"');

/** Alert thresholds such as "30d,1d" (`d`/`h`), read by the same parser as the functions'. */
const thresholdList = z.string().superRefine((v, ctx) => {
  try {
    parseThresholds(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const positiveInt = z.number().int().positive();

export const stageConfigSchema = z.strictObject({
  /** AWS account and region to deploy to; default: the CLI's current credentials and region. */
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id').optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1').optional(),
  /**
   * The SP-API application id (`amzn1.sp.solution.…`) from Amazon's developer console. Informational:
   * shown in the stack outputs so ops can check it against the app secret, which is where the
   * functions read it from.
   */
  lwaApplicationId: z
    .string()
    .regex(/^amzn1\.sp\.solution\.[0-9a-f-]{36}$/, 'must look like amzn1.sp.solution.<uuid>')
    .optional(),
  /** The app is still a Draft in Amazon's developer console: consent URLs carry `version=beta`. */
  draftApp: z.boolean().default(false),
  frontend: z
    .strictObject({
      /** The AoB frontend origin; without it browser flows end on the service's own HTML page and CORS stays closed. */
      url: frontendOrigin.optional(),
      connectPath: frontendPath.default('/settings/venues/amazon/connect'),
      /** The completion page: posts the callback's completion handle with the seller's JWT. */
      completionPath: frontendPath.default('/settings/venues/amazon/complete'),
      /** Paths a flow may return to; the first is the default. */
      returnPaths: z.array(frontendPath).min(1).default(['/settings/venues']),
    })
    .prefault({}),
  jwt: z.strictObject({
    /** The identity provider's issuer URL exactly as it appears in the tokens' `iss` claim. */
    issuer: z.url().refine((v) => v.startsWith('https://'), 'must be an https URL'),
    audience: z.array(z.string().min(1)).min(1),
    /** The claim carrying the AoB account id. */
    accountClaim: z.string().min(1).default('custom:accountId'),
    /** Accept only this token type (`token_use` claim, Cognito): API Gateway's authorizer does not check it. */
    tokenUse: z.enum(['id', 'access']).optional(),
  }),
  /** Expiry warnings before the 365-day authorization ends, e.g. "30d,1d". */
  alertThresholds: thresholdList.default(DEFAULT_TUNING.alertThresholds),
  sweepSchedule: scheduleExpression.default('rate(1 hour)'),
  /** The app's LWA client secret: expiry warnings and automatic rotation (docs/operations.md). */
  clientSecretRotation: z
    .strictObject({
      /** Call rotateApplicationClientSecret from the sweep inside the last `rotateWithinDays`. Needs the notification queue registered with Amazon first. */
      auto: z.boolean().default(DEFAULT_TUNING.clientSecretRotation.auto),
      rotateWithinDays: z.number().int().min(1).max(60).default(DEFAULT_TUNING.clientSecretRotation.rotateWithinDays),
      /** Hours after a rotation before a missing new secret alarms. */
      graceHours: z.number().int().min(1).max(72).default(DEFAULT_TUNING.clientSecretRotation.graceHours),
      /** `Amazon App Credentials Expiring` thresholds before the secret's expiry. */
      alertThresholds: thresholdList.default(DEFAULT_TUNING.clientSecretRotation.alertThresholds),
    })
    .prefault({}),
  onCallEmail: z.email().optional(),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default(DEFAULT_TUNING.logLevel),
  /** API stage throttling; `browser*` applies to the public routes (ticket, Log-in URI, callback, OpenAPI document). */
  throttling: z
    .strictObject({
      rateLimit: positiveInt.default(50),
      burstLimit: positiveInt.default(100),
      browserRateLimit: positiveInt.default(10),
      browserBurstLimit: positiveInt.default(20),
    })
    .prefault({}),
  logRetentionDays: z
    .number()
    .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`)
    .default(365),
  /** Days a disconnected grant's secret stays recoverable (Secrets Manager allows 7–30). */
  secretRecoveryDays: z.number().int().min(7).max(30).default(DEFAULT_TUNING.secretRecoveryDays),
  /**
   * IAM roles of the AoB services allowed to call `POST /internal/v1/amazon/access-tokens`
   * (SigV4). Each gets `execute-api:Invoke` on that route; the function refuses any other role.
   */
  tokenCallerRoleArns: z.array(z.string().regex(ROLE_ARN_PATTERN, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/orders-service')).default([]),
  /** The token health check: how often it runs, how long a grant may go unconfirmed by Amazon, and how many grants one run checks. */
  healthCheck: z
    .strictObject({
      schedule: scheduleExpression.default('rate(1 hour)'),
      intervalHours: z.number().int().min(1).max(168).default(DEFAULT_TUNING.healthCheck.intervalHours),
      maxPerRun: z.number().int().min(1).max(10_000).default(DEFAULT_TUNING.healthCheck.maxPerRun),
    })
    .prefault({}),
});

export type StageConfigInput = z.input<typeof stageConfigSchema>;

export interface StageConfig extends z.output<typeof stageConfigSchema> {
  readonly stage: string;
  /** Parsed `alertThresholds`, earliest warning first. */
  readonly thresholds: readonly AlertThreshold[];
  /** The most urgent configured warning: the one on-call is paged for. */
  readonly pageThreshold: string;
}

/** Validates one stage's raw context object; errors name the full context key. */
export function parseStageConfig(stage: string, raw: unknown): StageConfig {
  if (!STAGE_PATTERN.test(stage)) {
    throw new StageConfigError(`stage: "${stage}" is not a stage name (lowercase letters, digits and dashes, at most 20, e.g. prod)`);
  }
  const result = stageConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k].join('.')) : [issue.path.join('.')];
      return keys.map((k) => `stages.${stage}${k ? `.${k}` : ''}: ${issue.message}`).join('\n');
    });
    throw new StageConfigError(`Invalid cdk context for stage "${stage}":\n${problems.join('\n')}`);
  }
  const thresholds = parseThresholds(result.data.alertThresholds);
  const pageThreshold = thresholds.at(-1)?.label;
  if (!pageThreshold) throw new StageConfigError(`stages.${stage}.alertThresholds: at least one threshold is required`);
  return Object.freeze({ ...result.data, stage, thresholds, pageThreshold });
}

/** Reads a context value the way `cdk.json`, `cdk.context.json` and `-c key=value` provide it. */
export type ContextReader = (key: string) => unknown;

/** Picks the stage from context (`-c stage=…`, default `dev`) and validates its configuration. */
export function loadStageConfig(context: ContextReader): StageConfig {
  const stage = String(context('stage') ?? 'dev');
  const stages = context('stages');
  if (typeof stages !== 'object' || stages === null || Array.isArray(stages)) {
    throw new StageConfigError('stages: cdk.json needs a "stages" object in its context, one entry per stage (see docs/deploy.md)');
  }
  if (!Object.hasOwn(stages, stage)) {
    throw new StageConfigError(`stage: "${stage}" has no entry under context.stages (configured: ${Object.keys(stages).join(', ') || 'none'})`);
  }
  return parseStageConfig(stage, (stages as Record<string, unknown>)[stage]);
}
