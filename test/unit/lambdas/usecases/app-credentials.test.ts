import { parseThresholds } from '../../../../lambdas/domain/alerts.js';
import { APP_DETAIL_TYPES } from '../../../../lambdas/domain/app-credentials.js';
import { DAY_MS, HOUR_MS } from '../../../../lambdas/domain/time.js';
import { RotationRefusedError } from '../../../../lambdas/ports/failures.js';
import { requestRotation, sweepAppCredentials } from '../../../../lambdas/usecases/app-credentials.js';
import { RotationTooSoonError } from '../../../../lambdas/domain/errors.js';
import { InMemoryStatusStore } from '../../../builders/app-credentials.js';
import { RecordingPublisher } from '../../../builders/publisher.js';
import { FakeClock } from '../../../builders/clock.js';

const START = new Date('2026-05-01T00:00:00.000Z');
const EXPIRES = new Date(START.getTime() + 40 * DAY_MS);

function setUp(options: { auto?: boolean } = {}) {
  const status = new InMemoryStatusStore();
  status.status = { ...status.status, clientSecretExpiresAt: EXPIRES, version: 1 };
  const clock = new FakeClock(START);
  const publisher = new RecordingPublisher();
  const amazon = { calls: 0, fail: undefined as Error | undefined, async rotateClientSecret() {
    this.calls += 1;
    if (this.fail) throw this.fail;
  } };
  const deps = {
    status,
    clock,
    publisher,
    amazon,
    thresholds: parseThresholds('30d,7d,1d'),
    stage: 'test',
    rotation: { auto: options.auto ?? false, withinMs: 7 * DAY_MS, graceMs: 6 * HOUR_MS },
  };
  /** Runs the sweep every hour from now until `until`. */
  const hourly = async (until: Date) => {
    while (clock.now().getTime() < until.getTime()) {
      await sweepAppCredentials(deps);
      clock.advance(HOUR_MS);
    }
  };
  return { status, clock, publisher, amazon, deps, hourly };
}

describe('app credentials in the hourly sweep', () => {
  it('warns at 30, 7 and 1 days before the expiry, exactly once each, and not after the expiry', async () => {
    const { publisher, hourly } = setUp();

    await hourly(new Date(EXPIRES.getTime() + 2 * DAY_MS));

    expect(publisher.published.map((e) => [e.detailType, (e.detail as unknown as { threshold: string }).threshold])).toEqual([
      [APP_DETAIL_TYPES.credentialsExpiring, '30d'],
      [APP_DETAIL_TYPES.credentialsExpiring, '7d'],
      [APP_DETAIL_TYPES.credentialsExpiring, '1d'],
    ]);
    expect(new Set(publisher.published.map((e) => e.detail.eventId)).size).toBe(3);
  });

  it('after missed runs sends only the most urgent warning that applies', async () => {
    const { publisher, clock, deps } = setUp();
    clock.set(new Date(EXPIRES.getTime() - 12 * HOUR_MS));

    await sweepAppCredentials(deps);
    await sweepAppCredentials(deps);

    expect(publisher.published.map((e) => (e.detail as unknown as { threshold: string }).threshold)).toEqual(['1d']);
  });

  it('a refused warning is not recorded, so the next run sends the same event again (same eventId)', async () => {
    const { publisher, clock, deps } = setUp();
    clock.set(new Date(EXPIRES.getTime() - 29 * DAY_MS));
    publisher.refuseNext = 1;

    expect((await sweepAppCredentials(deps)).warningFailed).toBe('30d');
    expect((await sweepAppCredentials(deps)).warned).toBe('30d');
    expect(publisher.published).toHaveLength(1);
  });

  it('with automatic rotation, asks Amazon once inside the last 7 days, and alarms when no new secret came within the grace hours', async () => {
    const { amazon, clock, deps } = setUp({ auto: true });
    clock.set(new Date(EXPIRES.getTime() - 8 * DAY_MS));
    expect((await sweepAppCredentials(deps)).rotationRequested).toBe(false);

    clock.set(new Date(EXPIRES.getTime() - 7 * DAY_MS + HOUR_MS));
    expect((await sweepAppCredentials(deps)).rotationRequested).toBe(true);
    clock.advance(HOUR_MS);
    const later = await sweepAppCredentials(deps);

    expect(amazon.calls).toBe(1);
    expect(later.rotationOverdue).toBe(false);
    clock.advance(6 * HOUR_MS);
    expect((await sweepAppCredentials(deps)).rotationOverdue).toBe(true);
    expect(amazon.calls).toBe(1);
  });

  it('without automatic rotation never calls Amazon', async () => {
    const { amazon, hourly } = setUp({ auto: false });
    await hourly(new Date(EXPIRES.getTime() + DAY_MS));
    expect(amazon.calls).toBe(0);
  });

  it('a refused automatic rotation is reported and taken back, so a later run tries again', async () => {
    const { amazon, clock, deps, status } = setUp({ auto: true });
    clock.set(new Date(EXPIRES.getTime() - 3 * DAY_MS));
    amazon.fail = new RotationRefusedError(400, 'InvalidInput');

    expect((await sweepAppCredentials(deps)).rotationFailed).toBe('RotationRefusedError');
    expect(status.status.rotationRequestedAt).toBeNull();

    amazon.fail = undefined;
    clock.advance(HOUR_MS);
    expect((await sweepAppCredentials(deps)).rotationRequested).toBe(true);
  });

  it("on-call's rotation is refused within a minute of the last one (Amazon allows one a minute)", async () => {
    const { amazon, clock, deps } = setUp();
    await requestRotation(deps);
    clock.advance(30_000);
    await expect(requestRotation(deps)).rejects.toBeInstanceOf(RotationTooSoonError);
    clock.advance(30_000);
    await requestRotation(deps);
    expect(amazon.calls).toBe(2);
  });
});
