import { jest } from '@jest/globals';
import { makeRotateClientSecretHandler } from '../../../../lambdas/handlers/rotate-client-secret.js';
import { AmazonTransientError, RotationRefusedError } from '../../../../lambdas/ports/failures.js';
import { InMemoryStatusStore } from '../../../builders/app-credentials.js';
import { FakeClock } from '../../../builders/clock.js';

/** The RotateClientSecret handler the ops CLI invokes. */

const NOW = new Date('2026-06-01T12:00:00.000Z');
const logger = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() });

describe('RotateClientSecret handler (invoked by the ops CLI)', () => {
  const run = async (fail?: Error) => {
    const status = new InMemoryStatusStore();
    const handler = makeRotateClientSecretHandler({
      status,
      clock: new FakeClock(NOW),
      amazon: { rotateClientSecret: async () => { if (fail) throw fail; } },
      logger: logger(),
    });
    return handler();
  };

  it.each([
    [undefined, 'requested', /Amazon accepted the rotation/],
    [new RotationRefusedError(400, 'InvalidInput'), 'refused', /not enrolled.*notification queue/],
    [new RotationRefusedError(429, 'QuotaExceeded'), 'refused', /throttled/],
    [new AmazonTransientError('rotateApplicationClientSecret (HTTP 503)'), 'amazon-unavailable', /check Amazon's status/],
  ])('maps %s to %s with a sentence saying what to do', async (error, outcome, message) => {
    expect(await run(error)).toMatchObject({ outcome, message: expect.stringMatching(message) });
  });
});
