/** Browser tests (`npm run test:e2e`): Playwright driving Debian's Chromium against the local stack. */
import { base } from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
};
