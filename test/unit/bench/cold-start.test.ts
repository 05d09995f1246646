import fc from 'fast-check';
import { coldStartMarkdown, type ColdStartMeasurement, floorNoise, floorSource, medianInterval, quantile, spread, verdict } from '../../../bench/cold-start.js';

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
      targetInterval: { low: 1.03, high: 1.08 },
      decided: true,
    };
    const openApi: ColdStartMeasurement = { ...m, id: 'OpenApi', clients: [], rounds: 30, target: { against: 'empty', max: 1.3 }, withinTarget: false, targetInterval: { low: 1.25, high: 1.36 }, decided: false };
    const table = coldStartMarkdown({ node: 'v24.0.0', platform: 'linux-arm64', rounds: 10, maxRounds: 30, confidence: 1 - 0.05 / 3, measurements: [m, openApi] });

    expect(table).toContain('| ListVenues | 250.0 | dynamodb, doc (205) | 25 / 50 / 53 | ×1.06 (1.02–1.09) | ×2.12 (2.12–2.12) | ≤ ×1.1 floor met (1.03–1.08) | 10 | ×1.04 | ×1.05 (1.05–1.05) |');
    expect(table).toContain('Cold import, 10 rounds (up to 30 for a function whose verdict was undecided)');
    expect(table).toContain("decided when the median's 98.3% confidence interval (shown; 95% over every look at the data)");
    expect(table).toContain('Floor CPU moved by up to ×1.00 (p75 ÷ p25)');
    expect(table).toContain('| OpenApi | 250.0 | none |');
    expect(table).toContain('≤ ×1.3 empty **missed**, undecided (1.25–1.36) | 30 |');
  });

  it("bounds the median by order statistics: the 6th and 15th of 20 values, the 2nd and 9th of 10, the whole range below 6", () => {
    const twenty = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 … 1, unsorted on purpose

    expect(medianInterval(twenty)).toEqual({ low: 6, high: 15 });
    expect(medianInterval([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toEqual({ low: 2, high: 9 });
    expect(medianInterval([3, 1, 2, 5, 4])).toEqual({ low: 1, high: 5 });
    expect(medianInterval([])).toEqual({ low: Number.NaN, high: Number.NaN });
  });

  it('gives an interval that holds the median and narrows as rounds are added', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 1, maxLength: 200 }), (values) => {
        const { low, high } = medianInterval(values);
        const median = quantile(values, 0.5);
        expect(low).toBeLessThanOrEqual(median);
        expect(high).toBeGreaterThanOrEqual(median);
        const doubled = medianInterval([...values, ...values]);
        expect(doubled.low).toBeGreaterThanOrEqual(low);
        expect(doubled.high).toBeLessThanOrEqual(high);
      }),
    );
  });

  it('decides a verdict only when the interval is on one side of the line', () => {
    const around = (centre: number, n: number) => Array.from({ length: n }, (_, i) => centre + ((i % 10) - 4.5) * 0.01);

    expect(verdict(around(1.05, 20), 1.1)).toMatchObject({ withinTarget: true, decided: true });
    expect(verdict(around(1.15, 20), 1.1)).toMatchObject({ withinTarget: false, decided: true });
    expect(verdict(around(1.09, 20), 1.1)).toMatchObject({ withinTarget: true, decided: false });
    expect(verdict(around(1.11, 20), 1.1)).toMatchObject({ withinTarget: false, decided: false });
    // A stricter interval is wider: 20 rounds at 99% are the 4th and 17th values, not the 6th and 15th.
    expect(medianInterval(Array.from({ length: 20 }, (_, i) => i + 1), 0.99)).toEqual({ low: 4, high: 17 });
  });

  it("reports the noisiest floor's spread, from the empty module for a function without an SDK", () => {
    const base = { clients: ['@aws-sdk/client-dynamodb'], cpuMs: { empty: s(20), floor: { median: 50, p25: 40, p75: 60 }, function: s(53), withSourceMaps: s(60) } };
    const noSdk = { clients: [], cpuMs: { empty: { median: 20, p25: 10, p75: 40 }, floor: s(20), function: s(25), withSourceMaps: s(30) } };
    const report = (...measurements: object[]) => ({ node: 'v24', platform: 'linux-arm64', rounds: 10, maxRounds: 30, confidence: 0.95, measurements }) as unknown as Parameters<typeof floorNoise>[0];

    expect(floorNoise(report(base))).toBe(1.5);
    expect(floorNoise(report(base, noSdk))).toBe(4);
  });
});
