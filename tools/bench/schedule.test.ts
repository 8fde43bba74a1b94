import { describe, expect, it } from 'vitest';
import { countedSet, setAt, totalSteps } from './schedule';

describe('interleaving schedule', () => {
  it('runs the first set through warmup, then each set for blocks of two steps', () => {
    const sets = Array.from({ length: 14 }, (_, i) => setAt(i + 1, 2, 3));
    expect(sets).toEqual([0, 0, 0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2]);
  });

  it('counts the second step of each block, giving every set the requested samples', () => {
    const total = totalSteps(2, 2, 3);
    expect(total).toBe(14);
    const counted = Array.from({ length: total }, (_, i) => countedSet(i + 1, 2, 3));
    expect(counted).toEqual([null, null, null, 0, null, 1, null, 2, null, 0, null, 1, null, 2]);
  });

  it('counts every step after warmup when there is one set', () => {
    expect(totalSteps(3, 1, 1)).toBe(4);
    expect([1, 2, 3, 4].map((step) => countedSet(step, 1, 1))).toEqual([null, 0, 0, 0]);
  });
});
