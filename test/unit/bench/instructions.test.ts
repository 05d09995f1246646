import { instructionsFrom, instructionsMarkdown } from '../../../bench/instructions.js';

describe('instruction-count bench', () => {
  it("reads cachegrind's total, in millions", () => {
    const stderr = '==3890== Cachegrind, a high-precision tracing profiler\n==3890== \n==3890== I   refs:      683,942,340\n';
    expect(instructionsFrom(stderr)).toBeCloseTo(683.94234);
    expect(() => instructionsFrom('valgrind: not a program')).toThrow('valgrind printed no instruction count');
  });

  it('prints one row per function against its floor, or the empty module without an SDK', () => {
    const table = instructionsMarkdown({
      runs: 1,
      emptyModule: 535,
      measurements: [
        { id: 'ListVenues', function: 690, reference: 675, against: 'floor', ratio: 690 / 675 },
        { id: 'OpenApi', function: 545, reference: 535, against: 'empty', ratio: 545 / 535 },
      ],
    });
    expect(table).toContain('V8 --predictable, median of 1 run); the empty module: 535 M');
    expect(table).toContain('| ListVenues | 690 | 675 | ×1.022 |');
    expect(table).toContain('| OpenApi | 545 | 535 (empty) | ×1.019 |');
  });
});
