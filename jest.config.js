/**
 * `npm test`: the unit, integration and infrastructure suites, one jest project each, so that
 * `npm run test:unit` can select the unit suites alone (no DynamoDB Local, esbuild, server on a
 * port or child process there: they run in seconds). Browser tests live in jest.e2e.config.js,
 * the attack suite in jest.security.config.js; both build on `base`.
 */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }];

/** What every suite of the repository shares. */
export const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testPathIgnorePatterns: ['/node_modules/'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  testTimeout: 30000,
};

const project = (name) => ({ ...base, displayName: name, testMatch: [`<rootDir>/test/${name}/**/*.test.ts`] });

export default {
  projects: [project('integration'), project('infra'), project('unit')],
  // jest reads the test timeout from the root of a multi-project config, not from a project.
  testTimeout: base.testTimeout,
  // One worker per core. jest's default leaves one core to itself, which on a 2-core machine
  // means one worker: measured on this machine, 1 min 35 s with two workers against 2 min 7 s
  // with the default, for the same 1,395 tests.
  maxWorkers: '100%',
};
