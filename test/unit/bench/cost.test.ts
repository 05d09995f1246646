import { ASSUMPTIONS, costMarkdown, costModel, PRICES } from '../../../bench/cost.js';
import type { ColdStartReport } from '../../../bench/cold-start.js';

const withInit = (cpuMs: number[]): ColdStartReport =>
  ({ node: 'v20', platform: 'linux-x64', rounds: 10, measurements: cpuMs.map((median) => ({ cpuMs: { function: { median, p25: median, p75: median } } })) }) as unknown as ColdStartReport;

describe('the cost model', () => {
  it('charges one secret per grant plus the app secret, and adds its lines up', () => {
    const model = costModel();
    const secrets = model.lines.find((l) => l.item.startsWith('Secrets Manager: one secret'))!;

    expect(secrets.usd).toBeCloseTo((ASSUMPTIONS.accounts * ASSUMPTIONS.grantsPerAccount + 1) * PRICES.secretPerMonth, 6);
    expect(model.totalUsd).toBeCloseTo(model.lines.reduce((s, l) => s + l.usd, 0), 9);
    expect(model.initSource).toMatch(/default/);
  });

  it('takes the init time from the bench: the median function, scaled to the vCPU share of 256 MB', () => {
    const slow = costModel(withInit([50, 60, 300]));
    const fast = costModel(withInit([20, 30, 40]));
    const init = (m: typeof slow) => m.lines.find((l) => l.item.startsWith('Lambda init'))!;

    expect(slow.initCpuMs).toBe(60);
    expect(init(slow).usage).toContain(`× ${(0.06 / ASSUMPTIONS.cpuShare).toFixed(2)} s`);
    expect(init(slow).usd).toBeCloseTo(init(fast).usd * 2, 9);
    expect(costMarkdown(slow)).toContain('| **total** |');
  });
});
