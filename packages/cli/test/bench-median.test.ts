import { describe, expect, it } from 'vitest';
import { medianLog } from '../../../bench/median.mjs';

const merge = medianLog;

describe('bench/median.mjs: the published log is the median of the full runs', () => {
  it('takes the median of every number, keeping each figure’s format', () => {
    const runs = ['ES256 1,200 µs 0.74× ok', 'ES256 1,800 µs 0.80× ok', 'ES256 1,500 µs 0.91× ok'];
    expect(merge(runs)).toBe('ES256 1,500 µs 0.80× ok');
    expect(merge(['interp 2.24e+5 ns', 'interp 3.00e+5 ns', 'interp 1.00e+5 ns'])).toBe('interp 2.24e+5 ns');
  });

  it('reads a comma after a number as punctuation, not as a thousands separator', () => {
    expect(merge(['sync 3533, async 6431', 'sync 3600, async 6500', 'sync 3400, async 6400'])).toBe('sync 3533, async 6431');
  });

  it('compares words, not the column padding that follows the widths of the numbers', () => {
    expect(merge(['aot   96 ns', 'aot  111 ns', 'aot   94 ns'])).toBe('aot   96 ns');
  });

  it('keeps every run’s version of a line whose words or dates differ', () => {
    const runs = ['goal: met\nstarted 2026-12-07T04:00:00Z', 'goal: MISSED\nstarted 2026-12-07T05:00:00Z', 'goal: met\nstarted 2026-12-07T06:00:00Z'];
    expect(merge(runs).split('\n')).toEqual([
      '[run 1] goal: met',
      '[run 2] goal: MISSED',
      '[run 3] goal: met',
      '[run 1] started 2026-12-07T04:00:00Z',
      '[run 2] started 2026-12-07T05:00:00Z',
      '[run 3] started 2026-12-07T06:00:00Z',
    ]);
  });
});
