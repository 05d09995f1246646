/** The attack suite on the local stack (`npm run test:security`): its figures are printed by test/security/figures.ts. */
import { base } from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/security/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
};
