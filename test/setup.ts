import 'aws-sdk-client-mock-jest';

/**
 * A complete, valid configuration for unit tests, set before any test module is imported, so
 * handler modules can build their production wiring at import time exactly as in Lambda.
 * Nothing here is reachable: every AWS client is mocked or pointed at a loopback server.
 */
const testEnv: Record<string, string> = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  LOG_PRETTY: 'false',
  LOG_LEVEL: 'WARN',
  STAGE: 'test',
  TABLE_NAME: 'aob-amazon-connect-test',
  EVENT_BUS_NAME: 'aob-amazon-connect-test',
  APP_SECRET_NAME: 'aob-amazon-connect/test/app',
  GRANT_SECRET_PREFIX: 'aob-amazon-connect/test/grants/',
  API_BASE_URL: 'https://api.aob.test',
  FRONTEND_URL: 'https://app.aob.test',
  FRONTEND_CONNECT_PATH: '/settings/venues/amazon/connect',
  FRONTEND_RETURN_PATHS: '/settings/venues,/onboarding/amazon',
  ACCOUNT_CLAIM: 'custom:accountId',
};
for (const [key, value] of Object.entries(testEnv)) process.env[key] ??= value;
