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
};
