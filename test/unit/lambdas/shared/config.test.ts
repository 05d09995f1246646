import { config, parseConfig } from '../../../../lambdas/shared/config.js';
import { ConfigError } from '../../../../lambdas/domain/errors.js';

/** The smallest environment a deployed function needs; everything else has a default. */
const required = {
  STAGE: 'prod',
  TABLE_NAME: 'aob-amazon-connect-prod',
  EVENT_BUS_NAME: 'aob-amazon-connect-prod',
  APP_SECRET_NAME: 'aob-amazon-connect/prod/app',
  GRANT_SECRET_PREFIX: 'aob-amazon-connect/prod/grants/',
  API_BASE_URL: 'https://api.aob.example',
};

const problem = (env: Record<string, string | undefined>) => {
  try {
    parseConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('configuration', () => {
  it('parses a minimal environment with the documented defaults', () => {
    const c = parseConfig(required);

    expect(c).toEqual({
      stage: 'prod',
      tableName: 'aob-amazon-connect-prod',
      eventBusName: 'aob-amazon-connect-prod',
      appSecretName: 'aob-amazon-connect/prod/app',
      grantSecretPrefix: 'aob-amazon-connect/prod/grants/',
      grantSecretKmsKeyId: undefined,
      secretRecoveryDays: 30,
      apiBaseUrl: 'https://api.aob.example',
      redirectUri: 'https://api.aob.example/v1/amazon/callback',
      frontendUrl: undefined,
      frontendConnectPath: '/settings/venues/amazon/connect',
      frontendCompletionPath: '/settings/venues/amazon/complete',
      frontendReturnPaths: ['/settings/venues'],
      accountClaim: 'custom:accountId',
      draftApp: false,
      lwaTokenUrl: 'https://api.amazon.com/auth/o2/token',
      spApiEndpointOverride: undefined,
      sellerCentralUrlOverride: undefined,
      alertThresholds: [
        { label: '30d', beforeExpiryMs: 30 * 86_400_000 },
        { label: '1d', beforeExpiryMs: 86_400_000 },
      ],
      authTtlMs: 600_000,
      logLevel: 'INFO',
    });
  });

  it('is frozen, so nothing can change it after cold start', () => {
    const c = parseConfig(required);

    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.frontendReturnPaths)).toBe(true);
    expect(Object.isFrozen(c.alertThresholds)).toBe(true);
  });

  it('strips a trailing slash from base URLs so paths join cleanly', () => {
    const c = parseConfig({ ...required, API_BASE_URL: 'https://api.aob.example/', FRONTEND_URL: 'https://app.aob.example/' });

    expect(c.apiBaseUrl).toBe('https://api.aob.example');
    expect(c.redirectUri).toBe('https://api.aob.example/v1/amazon/callback');
    expect(c.frontendUrl).toBe('https://app.aob.example');
  });

  it('reads every optional setting', () => {
    const c = parseConfig({
      ...required,
      GRANT_SECRET_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
      SECRET_RECOVERY_DAYS: '7',
      FRONTEND_URL: 'https://app.aob.example',
      FRONTEND_CONNECT_PATH: '/connect',
      FRONTEND_RETURN_PATHS: ' /settings/venues , /onboarding/amazon ,',
      ACCOUNT_CLAIM: 'aob:account',
      DRAFT_APP: 'true',
      LWA_TOKEN_URL: 'http://127.0.0.1:3001/auth/o2/token',
      SPAPI_ENDPOINT_OVERRIDE: 'http://localhost:3001',
      SELLER_CENTRAL_URL_OVERRIDE: 'http://127.0.0.1:3001/sellercentral/{marketplace}',
      ALERT_THRESHOLDS: '60d, 7d, 12h',
      AUTH_TTL_MINUTES: '5',
      LOG_LEVEL: 'DEBUG',
    });

    expect(c).toMatchObject({
      grantSecretKmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
      secretRecoveryDays: 7,
      frontendConnectPath: '/connect',
      frontendReturnPaths: ['/settings/venues', '/onboarding/amazon'],
      accountClaim: 'aob:account',
      draftApp: true,
      lwaTokenUrl: 'http://127.0.0.1:3001/auth/o2/token',
      spApiEndpointOverride: 'http://localhost:3001',
      sellerCentralUrlOverride: 'http://127.0.0.1:3001/sellercentral/{marketplace}',
      authTtlMs: 300_000,
      logLevel: 'DEBUG',
    });
    expect(c.alertThresholds.map((t) => t.label)).toEqual(['60d', '7d', '12h']);
    expect(c.alertThresholds.map((t) => t.beforeExpiryMs)).toEqual([60 * 86_400_000, 7 * 86_400_000, 12 * 3_600_000]);
  });

  it('orders thresholds earliest warning first whatever order they are written in', () => {
    expect(parseConfig({ ...required, ALERT_THRESHOLDS: '1d,30d' }).alertThresholds.map((t) => t.label)).toEqual(['30d', '1d']);
  });

  it.each(['STAGE', 'TABLE_NAME', 'EVENT_BUS_NAME', 'APP_SECRET_NAME', 'GRANT_SECRET_PREFIX', 'API_BASE_URL'])('names the missing variable %s', (name) => {
    const env: Record<string, string | undefined> = { ...required, [name]: undefined };

    expect(problem(env)).toMatch(new RegExp(`^Invalid configuration: .*${name}`));
  });

  it.each([
    ['STAGE', 'Prod_1', 'lowercase'],
    ['GRANT_SECRET_PREFIX', 'aob/grants', 'must end with "/"'],
    ['API_BASE_URL', 'http://api.aob.example', 'https'],
    ['API_BASE_URL', 'not a url', 'API_BASE_URL'],
    ['FRONTEND_URL', 'http://app.aob.example', 'https'],
    ['FRONTEND_CONNECT_PATH', 'settings', 'path'],
    ['FRONTEND_RETURN_PATHS', '/ok,https://evil.tld/x', 'path'],
    ['FRONTEND_RETURN_PATHS', ' , ', 'FRONTEND_RETURN_PATHS'],
    ['DRAFT_APP', 'yes', 'DRAFT_APP'],
    ['SECRET_RECOVERY_DAYS', '0', 'SECRET_RECOVERY_DAYS'],
    ['SECRET_RECOVERY_DAYS', '31', 'SECRET_RECOVERY_DAYS'],
    ['SECRET_RECOVERY_DAYS', 'seven', 'SECRET_RECOVERY_DAYS'],
    ['SECRET_RECOVERY_DAYS', '7.5', 'whole number'],
    ['TABLE_NAME', 'ab', 'at least 3'],
    ['LWA_TOKEN_URL', 'http://evil.tld/token', 'https'],
    ['AUTH_TTL_MINUTES', '11', 'AUTH_TTL_MINUTES'],
    ['SELLER_CENTRAL_URL_OVERRIDE', 'http://127.0.0.1:3001/sellercentral', 'must contain {marketplace}'],
    ['SELLER_CENTRAL_URL_OVERRIDE', 'http://evil.tld/{marketplace}', 'http only on loopback'],
    ['ALERT_THRESHOLDS', '30 days', '"30 days" is not a threshold'],
    ['ALERT_THRESHOLDS', '400d', 'shorter than the 365-day'],
    ['ALERT_THRESHOLDS', '1d,1d', 'listed twice'],
    ['ALERT_THRESHOLDS', ',', 'at least one threshold'],
    ['LOG_LEVEL', 'TRACE', 'LOG_LEVEL'],
  ])('refuses %s=%s, naming the variable and the reason', (name, value, reason) => {
    const message = problem({ ...required, [name]: value });

    expect(message).toMatch(new RegExp(`${name}(\\.\\d+)?:`));
    expect(message).toContain(reason);
  });

  it('lists every problem at once', () => {
    const message = problem({ ...required, STAGE: undefined, LOG_LEVEL: 'LOUD' });

    expect(message).toContain('STAGE');
    expect(message).toContain('LOG_LEVEL');
  });

  it('allows http only on loopback, for the local stack', () => {
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000']) {
      expect(parseConfig({ ...required, API_BASE_URL: `http://${host}` }).apiBaseUrl).toBe(`http://${host}`);
    }
  });

  it('is parsed once per container from the environment', () => {
    const first = config();

    expect(config()).toBe(first);
    expect(first.stage).toBe(process.env.STAGE);
  });
});
