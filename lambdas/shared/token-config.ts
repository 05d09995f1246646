import { ConfigError } from '../domain/errors.js';
import { DEFAULT_TUNING } from '../function-environment.js';

/**
 * The token service's own configuration (the access-token route and the health check), apart
 * from `config.ts` so that no other function's bundle carries it. Same rules: parsed once per
 * container, a bad value fails the cold start with its name, every problem listed at once.
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `TOKEN_CALLER_ROLE_ARNS` | IAM role ARNs (comma-separated) allowed to call the access-token route | none |
 * | `HEALTH_CHECK_INTERVAL_HOURS` | a grant Amazon has not confirmed for this long is refreshed by the health check (1–168) | `24` |
 * | `HEALTH_CHECK_MAX_PER_RUN` | at most this many grants per run (1–10000) | `500` |
 */
export interface TokenConfig {
  readonly tokenCallerRoleArns: readonly string[];
  readonly healthCheckIntervalMs: number;
  readonly healthCheckMaxPerRun: number;
}

/** IAM role ARNs, e.g. `arn:aws:iam::123456789012:role/orders-service` (a path is allowed). */
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export function parseTokenConfig(env: Record<string, string | undefined>): TokenConfig {
  const problems: string[] = [];
  const roles = (env.TOKEN_CALLER_ROLE_ARNS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (roles.some((arn) => !ROLE_ARN_PATTERN.test(arn))) problems.push('TOKEN_CALLER_ROLE_ARNS: must be IAM role ARNs such as arn:aws:iam::123456789012:role/orders-service, comma-separated');
  const whole = (name: string, fallback: string, min: number, max: number): number => {
    const raw = env[name] ?? fallback;
    const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) problems.push(`${name}: must be a whole number from ${min} to ${max}`);
    return n;
  };
  const hours = whole('HEALTH_CHECK_INTERVAL_HOURS', String(DEFAULT_TUNING.healthCheck.intervalHours), 1, 168);
  const maxPerRun = whole('HEALTH_CHECK_MAX_PER_RUN', String(DEFAULT_TUNING.healthCheck.maxPerRun), 1, 10_000);
  if (problems.length) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return Object.freeze({ tokenCallerRoleArns: Object.freeze(roles), healthCheckIntervalMs: hours * 3_600_000, healthCheckMaxPerRun: maxPerRun });
}

let cached: TokenConfig | undefined;

/** The container's token-service configuration, parsed on first use. */
export function tokenConfig(): TokenConfig {
  cached ??= parseTokenConfig(process.env);
  return cached;
}
