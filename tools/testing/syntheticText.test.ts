import { describe, expect, it } from 'vitest';
import { syntheticRows } from './syntheticText';

describe('syntheticRows', () => {
  it('gives the same sentences for the same seed, with every class present', () => {
    const a = syntheticRows({ rows: 300, classes: 3, seed: 1 });
    expect(syntheticRows({ rows: 300, classes: 3, seed: 1 })).toEqual(a);
    expect(syntheticRows({ rows: 300, classes: 3, seed: 2 }).texts).not.toEqual(a.texts);
    expect(new Set(a.targets)).toEqual(new Set([0, 1, 2]));
    for (const text of a.texts) {
      const words = text.split(' ').length;
      expect(words).toBeGreaterThanOrEqual(8);
      expect(words).toBeLessThanOrEqual(30);
    }
  });
});
