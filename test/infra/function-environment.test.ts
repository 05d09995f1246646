import { jest } from '@jest/globals';
import { AMAZON_ENDPOINT_VARIABLES, DEFAULT_TUNING, tuningVariables } from '../../lambdas/function-environment.js';
import { FUNCTIONS } from '../../lambdas/functions.js';
import { parseAppCredentialsConfig, parseConfig } from '../../lambdas/shared/config.js';
import { Logger } from '../../lambdas/shared/logger.js';
import { parseTokenConfig } from '../../lambdas/shared/token-config.js';
import { localFunctionEnvironment } from '../../local/environment.js';
import { describeWithHandlers, functionLogicalId, type Resources, synthesize } from './support.js';

/**
 * lambdas/function-environment.ts builds the functions' configuration for the CDK stack and the
 * local stack alike: the same handler module must read the same variables in both.
 */

const ORIGINS = { api: 'http://127.0.0.1:3000', sandbox: 'http://127.0.0.1:3001', tokenCallerRoleArn: 'arn:aws:iam::000000000000:role/aob-local-token-caller' };
/** Bound by the CDK construct that grants the permission, to the grant-secret writers only; the local stack has no KMS. */
const PER_FUNCTION_BINDINGS = ['GRANT_SECRET_KMS_KEY_ID'];

describeWithHandlers('the functions\' environment, deployed and local', () => {
  const synth = synthesize({ bundle: false });
  afterAll(() => synth.dispose());
  const resources = synth.statelessTemplate.toJSON().Resources as Resources;
  const deployedNames = (id: string): string[] => {
    const spec = FUNCTIONS.find((f) => f.id === id);
    if (!spec) throw new Error(`no function ${id}`);
    const env = resources[functionLogicalId(synth.statelessTemplate, spec, synth.config.stage)]?.Properties?.Environment as { Variables: Record<string, unknown> };
    return Object.keys(env.Variables).filter((name) => !PER_FUNCTION_BINDINGS.includes(name)).sort();
  };
  const localNames = Object.keys(localFunctionEnvironment(ORIGINS, {})).sort();

  it.each(FUNCTIONS.map((f) => [f.id]))('%s gets the same variable names from CDK as on the local stack, which adds only the sandbox\'s Amazon endpoints', (id) => {
    expect(localNames).toEqual([...deployedNames(id), ...AMAZON_ENDPOINT_VARIABLES].sort());
  });
});

describe('the local stack\'s function environment', () => {
  it('passes the functions\' own configuration checks', () => {
    const env = localFunctionEnvironment(ORIGINS, {});

    expect(() => parseConfig(env)).not.toThrow();
    expect(() => parseTokenConfig(env)).not.toThrow();
    expect(() => parseAppCredentialsConfig(env)).not.toThrow();
    expect(parseConfig(env)).toMatchObject({ stage: 'local', apiBaseUrl: ORIGINS.api, frontendUrl: ORIGINS.api, lwaTokenUrl: `${ORIGINS.sandbox}/auth/o2/token`, draftApp: true });
    expect(parseTokenConfig(env).tokenCallerRoleArns).toEqual([ORIGINS.tokenCallerRoleArn]);
  });

  it('takes the tuning from the developer\'s environment, except the client-secret rotation it decides itself', () => {
    const env = localFunctionEnvironment(ORIGINS, { ALERT_THRESHOLDS: '7d,1h', HEALTH_CHECK_MAX_PER_RUN: '5', CLIENT_SECRET_AUTO_ROTATE: 'false', CLIENT_SECRET_ROTATE_WITHIN_DAYS: '7', STAGE: 'prod' });

    expect(env).toMatchObject({ ALERT_THRESHOLDS: '7d,1h', HEALTH_CHECK_MAX_PER_RUN: '5', CLIENT_SECRET_AUTO_ROTATE: 'true', CLIENT_SECRET_ROTATE_WITHIN_DAYS: '1', STAGE: 'local' });
  });

  /** The lowest level a logger built from `env` writes. */
  const levelOf = (env: Record<string, string | undefined>): string | undefined => {
    const logger = new Logger(env);
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      for (const level of ['debug', 'info', 'warn', 'error'] as const) {
        logger[level](`probe ${level}`);
        if (written.length) return level.toUpperCase();
      }
      return undefined;
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  };

  const developers: Record<string, string>[] = [{}, { LOG_LEVEL: 'DEBUG' }, { LOG_LEVEL: 'WARN' }, { LOG_LEVEL: 'ERROR' }];
  it.each(developers)(
    'logs at the level the developer\'s environment %j alone gives the handlers\' logger',
    (developer) => {
      const env = { ...developer, ...localFunctionEnvironment(ORIGINS, developer) };

      expect(levelOf(env)).toBe(levelOf(developer));
      expect(() => parseConfig(env)).not.toThrow();
    },
  );

  it("a log level the functions do not know stops the local stack's configuration, naming it", () => {
    expect(() => parseConfig(localFunctionEnvironment(ORIGINS, { LOG_LEVEL: 'LOUD' }))).toThrow('LOG_LEVEL: must be one of DEBUG, INFO, WARN, ERROR');
  });
});

describe('the default tuning', () => {
  // The local stack sets it explicitly where it used to leave the variables unset: that must change nothing.
  const required = { STAGE: 'local', TABLE_NAME: 'aob-amazon-connect-local', EVENT_BUS_NAME: 'bus', APP_SECRET_NAME: 'app', GRANT_SECRET_PREFIX: 'grants/', API_BASE_URL: 'https://api.aob.example' };

  it('is what the functions assume when the variables are not set', () => {
    const tuned = { ...required, ...tuningVariables(DEFAULT_TUNING) };

    expect(parseConfig(tuned)).toEqual(parseConfig(required));
    expect(parseTokenConfig(tuned)).toEqual(parseTokenConfig(required));
    expect(parseAppCredentialsConfig(tuned)).toEqual(parseAppCredentialsConfig(required));
  });
});
