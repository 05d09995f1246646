import { coldStartMarkdown, type ColdStartMeasurement, floorNoise, floorSource, quantile, spread } from '../../../bench/cold-start.js';

const s = (median: number) => ({ median, p25: median, p75: median });

describe('cold-start bench arithmetic', () => {
  it('takes medians and quartiles by linear interpolation, whatever the order', () => {
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(spread([10, 40, 20, 30, 50])).toEqual({ median: 30, p25: 20, p75: 40 });
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('builds a floor that constructs exactly the clients a function bundles, the DynamoDB one as a document client', async () => {
    const source = await floorSource(['@aws-sdk/client-dynamodb', '@aws-sdk/client-eventbridge', '@aws-sdk/lib-dynamodb']);

    expect(source).toContain("import { DynamoDBClient as C0 } from '@aws-sdk/client-dynamodb';");
    expect(source).toContain('DynamoDBDocumentClient.from(new C0({}))');
    expect(source).toContain("import { EventBridgeClient as C1 } from '@aws-sdk/client-eventbridge';");
    expect(source).not.toContain('SecretsManager');
    expect(await floorSource([])).toBe('export const handler = async () => ({});');
  });

  it('prints one row per function with its ratios and whether it met its target', () => {
    const m: ColdStartMeasurement = {
      id: 'ListVenues',
      bytes: 250 * 1024,
      clients: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
      floorBytes: 205 * 1024,
      rounds: 10,
      cpuMs: { empty: s(25), floor: s(50), function: s(53), withSourceMaps: s(60) },
      wallMs: { empty: s(30), floor: s(60), function: s(63), withSourceMaps: s(70) },
      vsFloor: { median: 1.06, p25: 1.02, p75: 1.09 },
      vsEmpty: s(2.12),
      sourceMapsCost: s(1.13),
      wallVsFloor: s(1.05),
      fastestVsReference: 1.04,
      target: { against: 'floor', max: 1.1 },
      withinTarget: true,
    };
    const table = coldStartMarkdown({ node: 'v24.0.0', platform: 'linux-arm64', rounds: 10, measurements: [m, { ...m, id: 'OpenApi', clients: [], target: { against: 'empty', max: 1.3 }, withinTarget: false }] });

    expect(table).toContain('| ListVenues | 250.0 | dynamodb, doc (205) | 25 / 50 / 53 | ×1.06 (1.02–1.09) | ×2.12 (2.12–2.12) | ≤ ×1.1 floor met | ×1.04 | ×1.05 (1.05–1.05) |');
    expect(table).toContain('Floor CPU moved by up to ×1.00 (p75 ÷ p25)');
    expect(table).toContain('| OpenApi | 250.0 | none |');
    expect(table).toContain('≤ ×1.3 empty **missed**');
  });

  it("reports the noisiest floor's spread, from the empty module for a function without an SDK", () => {
    const base = { clients: ['@aws-sdk/client-dynamodb'], cpuMs: { empty: s(20), floor: { median: 50, p25: 40, p75: 60 }, function: s(53), withSourceMaps: s(60) } };
    const noSdk = { clients: [], cpuMs: { empty: { median: 20, p25: 10, p75: 40 }, floor: s(20), function: s(25), withSourceMaps: s(30) } };
    const report = (...measurements: object[]) => ({ node: 'v24', platform: 'linux-arm64', rounds: 10, measurements }) as unknown as Parameters<typeof floorNoise>[0];

    expect(floorNoise(report(base))).toBe(1.5);
    expect(floorNoise(report(base, noSdk))).toBe(4);
  });
});
