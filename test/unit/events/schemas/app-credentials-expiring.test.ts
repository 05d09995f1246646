import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as fc from 'fast-check';
import { parseThresholds } from '../../../../lambdas/domain/alerts.js';
import { EMPTY_STATUS, appCredentialsExpiringEvent } from '../../../../lambdas/domain/app-credentials.js';
import { DAY_MS } from '../../../../lambdas/domain/time.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addFormat('date-time', { type: 'string', validate: (v: string) => ISO_UTC.test(v) && !Number.isNaN(Date.parse(v)) });
const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../../events/schemas/app-credentials-expiring.json', import.meta.url), 'utf8')));

describe('Amazon App Credentials Expiring: events/schemas/app-credentials-expiring.json', () => {
  it('every event the domain builds validates, for any threshold and time before the expiry', () => {
    fc.assert(
      fc.property(fc.constantFrom('30d', '7d', '1d', '12h'), fc.integer({ min: 0, max: 180 * DAY_MS - 1 }), fc.boolean(), (threshold, beforeMs, auto) => {
        const expiresAt = new Date('2026-07-01T00:00:00.000Z');
        const event = appCredentialsExpiringEvent({ ...EMPTY_STATUS, clientSecretExpiresAt: expiresAt }, threshold, new Date(expiresAt.getTime() - beforeMs), { stage: 'prod', autoRotation: auto });
        expect(validate(event.detail) ? [] : validate.errors).toEqual([]);
        expect(event.detailType).toBe('Amazon App Credentials Expiring');
      }),
    );
  });

  it('the same stage, threshold and expiry always get the same eventId; another expiry another one', () => {
    const status = { ...EMPTY_STATUS, clientSecretExpiresAt: new Date('2026-07-01T00:00:00.000Z') };
    const a = appCredentialsExpiringEvent(status, '7d', new Date('2026-06-24T01:00:00.000Z'), { stage: 'prod', autoRotation: false });
    const b = appCredentialsExpiringEvent(status, '7d', new Date('2026-06-24T05:00:00.000Z'), { stage: 'prod', autoRotation: true });
    const c = appCredentialsExpiringEvent({ ...status, clientSecretExpiresAt: new Date('2026-12-28T00:00:00.000Z') }, '7d', new Date('2026-12-21T05:00:00.000Z'), { stage: 'prod', autoRotation: true });
    expect(a.detail.eventId).toBe(b.detail.eventId);
    expect(c.detail.eventId).not.toBe(a.detail.eventId);
    expect(parseThresholds('30d,7d,1d').map((t) => t.label)).toEqual(['30d', '7d', '1d']);
  });
});
