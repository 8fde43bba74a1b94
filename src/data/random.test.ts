import { describe, expect, it } from 'vitest';
import { createRng } from './random';

function draws(seed: number, n: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
}

describe('createRng', () => {
  it('is deterministic for a seed and differs between neighbouring seeds', () => {
    expect(draws(42, 20)).toEqual(draws(42, 20));
    expect(draws(1, 20)).not.toEqual(draws(2, 20));
    expect(draws(0, 5)).not.toEqual(draws(1, 5));
  });

  it('gives floats in [0, 1) with a uniform-looking mean and spread', () => {
    const xs = draws(7, 20_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeCloseTo(0.5, 1);
    // 10 equal bins, each within 10% of the expected 2000.
    const bins = new Array<number>(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    for (const b of bins) expect(Math.abs(b - 2000)).toBeLessThan(200);
  });

  it('int covers [0, n) and rejects bad bounds', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = rng.int(6);
      expect(Number.isInteger(v) && v >= 0 && v < 6).toBe(true);
      seen.add(v);
    }
    expect(seen.size).toBe(6);
    const big = rng.int(2 ** 40);
    expect(big).toBeGreaterThanOrEqual(0);
    expect(big).toBeLessThan(2 ** 40);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(-2)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
    expect(() => rng.int(Number.NaN)).toThrow(RangeError);
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
    expect(() => createRng(Infinity)).toThrow(RangeError);
  });

  it('shuffles in place into a permutation, reproducibly', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const out = createRng(9).shuffle(a);
    expect(out).toBe(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(createRng(9).shuffle(Array.from({ length: 50 }, (_, i) => i))).toEqual(a);
    expect(createRng(1).shuffle([])).toEqual([]);
  });

  it('fork is deterministic, label-dependent, and independent of draws on the parent', () => {
    const parent = createRng(5);
    const f1 = parent.fork('split').next();
    parent.next();
    parent.next();
    expect(parent.fork('split').next()).toBe(f1);
    expect(createRng(5).fork('split').next()).toBe(f1);
    expect(createRng(5).fork('mask').next()).not.toBe(f1);
    expect(createRng(6).fork('split').next()).not.toBe(f1);
    // Forks of forks are distinct streams too.
    expect(createRng(5).fork('split').fork('split').next()).not.toBe(f1);
    // A fork does not replay the parent's stream.
    expect(createRng(5).fork('').next()).not.toBe(createRng(5).next());
  });
});
