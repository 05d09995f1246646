import { parseAppCredentialsConfig } from '../../../../lambdas/shared/config.js';
import { ConfigError } from '../../../../lambdas/domain/errors.js';

describe('app-credentials configuration (the functions that handle the client secret)', () => {
  it('defaults: warnings at 30, 7 and 1 days, no automatic rotation, a 7-day window and 6 grace hours', () => {
    const c = parseAppCredentialsConfig({});
    expect(c.appSecretAlertThresholds.map((t) => t.label)).toEqual(['30d', '7d', '1d']);
    expect(c.clientSecretRotation).toEqual({ auto: false, withinMs: 7 * 86_400_000, graceMs: 6 * 3_600_000 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads the thresholds, the switch, the window and the grace hours', () => {
    const c = parseAppCredentialsConfig({ APP_SECRET_ALERT_THRESHOLDS: '14d,2d', CLIENT_SECRET_AUTO_ROTATE: 'true', CLIENT_SECRET_ROTATE_WITHIN_DAYS: '10', CLIENT_SECRET_ROTATION_GRACE_HOURS: '12' });
    expect(c.appSecretAlertThresholds.map((t) => t.label)).toEqual(['14d', '2d']);
    expect(c.clientSecretRotation).toEqual({ auto: true, withinMs: 10 * 86_400_000, graceMs: 12 * 3_600_000 });
  });

  it('names every bad variable', () => {
    expect(() => parseAppCredentialsConfig({ APP_SECRET_ALERT_THRESHOLDS: 'soon', CLIENT_SECRET_AUTO_ROTATE: 'yes', CLIENT_SECRET_ROTATE_WITHIN_DAYS: '0' })).toThrow(ConfigError);
    expect(() => parseAppCredentialsConfig({ CLIENT_SECRET_AUTO_ROTATE: 'yes', CLIENT_SECRET_ROTATE_WITHIN_DAYS: '0' })).toThrow(/CLIENT_SECRET_AUTO_ROTATE.*CLIENT_SECRET_ROTATE_WITHIN_DAYS/);
  });
});
