import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as fc from 'fast-check';
import { parseThresholds } from '../../../lambdas/domain/alerts.js';
import {
  DETAIL_TYPES,
  type DetailType,
  type DomainEvent,
  disconnectedEvent,
  expiredEvent,
  expiringEvent,
  grantedEvent,
  revokedEvent,
} from '../../../lambdas/domain/events.js';
import { expiryFor, grantKeyFor, type Grant } from '../../../lambdas/domain/grant.js';
import { MARKETPLACES, type MarketplaceCode, marketplace, REGIONS } from '../../../lambdas/domain/marketplaces.js';
import { DAY_MS, HOUR_MS } from '../../../lambdas/domain/time.js';
import { aGrant } from '../../builders/grants.js';
import { InMemoryGrantTable, aSweep, authorizedGrants } from '../../builders/sweep.js';
import { FakeClock } from '../../builders/clock.js';
import { RecordingPublisher } from '../../builders/publisher.js';

/**
 * The JSON Schemas in events/schemas are the published contract of every event's `detail`. What
 * the domain builders (and so the sweep and every other emitter) produce must validate against
 * them, and the schemas must leave no room for a token.
 */

const SCHEMA_FILES: Record<DetailType, string> = {
  [DETAIL_TYPES.granted]: 'granted.json',
  [DETAIL_TYPES.expiring]: 'expiring.json',
  [DETAIL_TYPES.expired]: 'expired.json',
  [DETAIL_TYPES.revoked]: 'revoked.json',
  [DETAIL_TYPES.disconnected]: 'disconnected.json',
};

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addFormat('date-time', { type: 'string', validate: (v: string) => ISO_UTC.test(v) && !Number.isNaN(Date.parse(v)) });

const schemas = Object.fromEntries(
  Object.entries(SCHEMA_FILES).map(([type, file]) => [type, JSON.parse(readFileSync(new URL(`../../../events/schemas/${file}`, import.meta.url), 'utf8')) as SchemaDoc]),
) as Record<DetailType, SchemaDoc>;
const validators = Object.fromEntries(Object.entries(schemas).map(([type, schema]) => [type, ajv.compile(schema)])) as Record<DetailType, ValidateFunction>;

interface SchemaDoc {
  $schema: string;
  properties: Record<string, { type?: string; enum?: unknown[]; const?: unknown }>;
  required: string[];
  additionalProperties: boolean;
}

function expectValid(event: DomainEvent): void {
  const validate = validators[event.detailType];
  const ok = validate(event.detail);
  expect(ok ? [] : validate.errors).toEqual([]);
}

const TOKEN_MARKERS = ['Atzr|', 'Atza|'];
const NOW = new Date('2026-06-01T12:00:00.000Z');

/** A grant of every shape: NA/EU (whole region) and FE (one marketplace). */
const grants = (): Grant[] => [
  aGrant({ region: 'NA' }),
  aGrant({ region: 'EU', accountId: 'org:42@aob.example' }),
  aGrant({ region: 'FE', marketplaces: ['JP'] }),
  aGrant({ region: 'FE', marketplaces: ['SG'], sellingPartnerId: 'A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6' }),
];

/** Every event a builder can produce for `grant`. */
const everyEvent = (grant: Grant): DomainEvent[] => [
  grantedEvent(grant, false),
  grantedEvent(grant, true),
  expiringEvent(grant, '30d', new Date(grant.expiresAt.getTime() - 30 * DAY_MS)),
  expiringEvent(grant, '1d', new Date(grant.expiresAt.getTime() - 23 * HOUR_MS - 1)),
  expiringEvent(grant, '12h', new Date(grant.expiresAt.getTime() - 1)),
  expiredEvent(grant),
  revokedEvent(grant, NOW),
  disconnectedEvent(grant, NOW),
];

describe('event detail schemas', () => {
  it('are JSON Schema draft 2020-12, one per detail-type, closed to extra properties', () => {
    expect(Object.keys(schemas).sort()).toEqual(Object.values(DETAIL_TYPES).sort());
    for (const schema of Object.values(schemas)) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.additionalProperties).toBe(false);
      expect(schema.required).toEqual(expect.arrayContaining(['eventId', 'version', 'accountId', 'region', 'sellingPartnerId', 'marketplaces', 'generatedAt', 'expiresAt']));
    }
  });

  it.each(grants().map((g) => [g.grantKey, g] as const))('accept every event the domain builds for grant %s', (_key, grant) => {
    for (const event of everyEvent(grant)) expectValid(event);
  });

  it('require exactly the properties the builders set', () => {
    for (const event of everyEvent(aGrant())) {
      expect(Object.keys(event.detail).sort()).toEqual(Object.keys(schemas[event.detailType].properties).sort());
      // sellingMarketplaces is the one optional property: grants stored before it was recorded lack it.
      expect(schemas[event.detailType].required.sort()).toEqual(Object.keys(event.detail).filter((k) => k !== 'sellingMarketplaces').sort());
    }
  });

  it('tell the covered marketplaces and the ones the seller sells on apart, and stay valid for grants that predate the list', () => {
    const grant = aGrant({ region: 'EU', sellingMarketplaces: ['UK', 'FR'] });
    for (const event of everyEvent(grant)) {
      expect(event.detail.marketplaces).toHaveLength(16);
      expect(event.detail.sellingMarketplaces).toEqual(['UK', 'FR']);
      expectValid(event);
    }
    for (const event of everyEvent(aGrant({ sellingMarketplaces: null }))) {
      expect(event.detail).not.toHaveProperty('sellingMarketplaces');
      expectValid(event);
    }
  });

  it('accept everything the sweep emits over a whole range of due grants', async () => {
    // Prepare: warnings due, expiries, and missed runs, with the 12h threshold too.
    const thresholds = parseThresholds('30d,1d,12h');
    const table = new InMemoryGrantTable(authorizedGrants(40, NOW, (i) => (i - 5) * 19 * HOUR_MS));
    const bus = new RecordingPublisher();

    // Act
    await aSweep({ store: table, publisher: bus, clock: new FakeClock(NOW), thresholds }).run();

    // Assess
    expect(new Set(bus.published.map((e) => e.detailType))).toEqual(new Set([DETAIL_TYPES.expiring, DETAIL_TYPES.expired]));
    for (const event of bus.published) expectValid(event);
  });

  it.each([
    ['an extra property', (d: Record<string, unknown>) => ({ ...d, refreshToken: 'Atzr|IwEBIexample' })],
    ['a missing eventId', ({ eventId: _e, ...d }: Record<string, unknown>) => d],
    ['an unknown region', (d: Record<string, unknown>) => ({ ...d, region: 'XX' })],
    ['an unknown marketplace', (d: Record<string, unknown>) => ({ ...d, marketplaces: ['ZZ'] })],
    ['a local-time date', (d: Record<string, unknown>) => ({ ...d, expiresAt: '2027-06-01T12:00:00+02:00' })],
    ['another version', (d: Record<string, unknown>) => ({ ...d, version: '2' })],
    ['a fractional day count', (d: Record<string, unknown>) => ({ ...d, daysRemaining: 1.5 })],
  ])('reject a detail with %s', (_name, mutate) => {
    const detail = expiringEvent(aGrant(), '1d', new Date(aGrant().expiresAt.getTime() - DAY_MS)).detail as unknown as Record<string, unknown>;
    expect(validators[DETAIL_TYPES.expiring](mutate(detail))).toBe(false);
  });
});

describe('no token can appear in an event detail (S11)', () => {
  it.each(Object.values(DETAIL_TYPES))('the %s schema refuses a token in every string property', (type) => {
    const event = everyEvent(aGrant()).find((e) => e.detailType === type)!;
    const detail = event.detail as unknown as Record<string, unknown>;
    const stringProps = Object.keys(detail).filter((k) => typeof detail[k] === 'string');
    expect(stringProps.length).toBeGreaterThan(5);
    for (const prop of stringProps) {
      for (const marker of TOKEN_MARKERS) {
        expect(validators[type]({ ...detail, [prop]: `${marker}IwEBIexample` })).toBe(false);
      }
    }
    for (const marker of TOKEN_MARKERS) expect(validators[type]({ ...detail, marketplaces: [`${marker}x`] })).toBe(false);
  });

  it('builders never put a token-like value in a detail, whatever the grant', () => {
    const accountId = fc.stringMatching(/^[A-Za-z0-9._:@-]{1,128}$/);
    const sellingPartnerId = fc.stringMatching(/^[A-Z0-9]{6,32}$/);
    const code = fc.constantFrom(...MARKETPLACES.map((m) => m.code));
    const generatedAt = fc.date({ min: new Date('2020-01-01T00:00:00.000Z'), max: new Date('2040-01-01T00:00:00.000Z'), noInvalidDate: true });
    fc.assert(
      fc.property(accountId, sellingPartnerId, code, generatedAt, fc.boolean(), (account, spid, first: MarketplaceCode, at, reauth) => {
        const region = marketplace(first).region;
        const marketplaces = REGIONS[region].perMarketplaceGrant ? [first] : MARKETPLACES.filter((m) => m.region === region).map((m) => m.code);
        const grant = aGrant({ accountId: account, sellingPartnerId: spid, region, marketplaces, grantKey: grantKeyFor(region, spid, first), generatedAt: at, expiresAt: expiryFor(at) });
        for (const event of [...everyEvent(grant), grantedEvent(grant, reauth)]) {
          const json = JSON.stringify(event.detail);
          for (const marker of TOKEN_MARKERS) expect(json).not.toContain(marker);
          expectValid(event);
        }
      }),
      { numRuns: 100 },
    );
  });
});
