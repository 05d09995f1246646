import { jest } from '@jest/globals';
import { logger } from '../../lambdas/shared/logger.js';

/**
 * Captures what every test of the calling file (or describe) writes to stdout and stderr, where
 * the logger writes, with the logger at DEBUG so that every line a secret could hide in is
 * written. The returned array is emptied before each test; the streams and the WARN level of the
 * tests are restored after it.
 */
export function captureOutput(): string[] {
  const output: string[] = [];
  beforeEach(() => {
    output.length = 0;
    logger.setLogLevel('DEBUG');
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (output.push(String(chunk)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (output.push(String(chunk)), true));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    logger.setLogLevel('WARN');
  });
  return output;
}
