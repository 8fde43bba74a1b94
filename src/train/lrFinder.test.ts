import { describe, expect, it } from 'vitest';
import { TrainInputError } from './errors';
import {
  analyzeSweep,
  checkSweep,
  DIVERGENCE_MARGIN,
  divergenceIndex,
  LR_SWEEP,
  roundLr,
  SKIP_START,
  sweepLrAt,
  type LrSweepPoint,
} from './lrFinder';

/** A sweep of the default range with `lossAt(lr)` as the loss of each step, cut where it first exceeds `stopAbove`. */
function sweep(lossAt: (lr: number) => number, stopAbove = Infinity): LrSweepPoint[] {
  const points: LrSweepPoint[] = [];
  for (let i = 0; i < LR_SWEEP.steps; i++) {
    const lr = sweepLrAt(i, LR_SWEEP);
    points.push({ lr, loss: lossAt(lr) });
    if (points.at(-1)!.loss > stopAbove) break;
  }
  return points;
}

/** A loss that falls from 2 to 0.5 around `centre` (a logistic in log10(lr)), steepest exactly at `centre`. */
const fallAt = (centre: number) => (lr: number): number => 0.5 + 1.5 / (1 + Math.exp(3 * Math.log(lr / centre)));

/** Deterministic noise in [-amplitude, amplitude] (an LCG from `seed`, so the test is the same every run). */
function noise(amplitude: number, seed = 12345): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return amplitude * (2 * (state / 2 ** 31) - 1);
  };
}

describe('sweepLrAt', () => {
  it('goes exponentially from minLr at the first step to maxLr at the last', () => {
    expect(sweepLrAt(0, LR_SWEEP)).toBeCloseTo(1e-7, 20);
    expect(sweepLrAt(99, LR_SWEEP)).toBeCloseTo(1e-1, 15);
    const ratio = sweepLrAt(1, LR_SWEEP) / sweepLrAt(0, LR_SWEEP);
    expect(sweepLrAt(51, LR_SWEEP) / sweepLrAt(50, LR_SWEEP)).toBeCloseTo(ratio, 12);
    expect(ratio).toBeCloseTo(10 ** (6 / 99), 12);
  });

  it('rejects a range or a length that makes no sweep', () => {
    expect(() => checkSweep({ minLr: 1e-3, maxLr: 1e-4, steps: 10 })).toThrow(TrainInputError);
    expect(() => checkSweep({ minLr: 0, maxLr: 1e-4, steps: 10 })).toThrow(/0 < minLr < maxLr/);
    expect(() => checkSweep({ minLr: 1e-7, maxLr: 1e-1, steps: 1 })).toThrow(/at least 2 steps/);
    expect(() => checkSweep(LR_SWEEP)).not.toThrow();
  });
});

describe('divergenceIndex', () => {
  it('finds the first value above 4× the lowest before it', () => {
    expect(divergenceIndex([2, 1, 1.5, 3.9, 4.1, 9])).toBe(4);
    expect(divergenceIndex([2, 1, 3])).toBeNull();
  });

  it('treats a non-finite value as divergence', () => {
    expect(divergenceIndex([1, 0.9, Number.NaN])).toBe(2);
    expect(divergenceIndex([1, Infinity])).toBe(1);
  });

  it('never counts the first value, which has nothing before it', () => {
    expect(divergenceIndex([100, 90])).toBeNull();
  });
});

describe('roundLr', () => {
  it('keeps two significant digits', () => {
    expect(roundLr(3.1623e-4)).toBe(3.2e-4);
    expect(roundLr(0.0196)).toBe(0.02);
    expect(roundLr(1e-5)).toBe(1e-5);
  });
});

describe('analyzeSweep', () => {
  it('suggests a rate at the steepest descent of the smoothed loss, which trails the raw curve', () => {
    const result = analyzeSweep(sweep(fallAt(1e-4)));
    expect(result.divergedLr).toBeNull();
    expect(result.problem).toBeNull();
    // The moving average trails the raw losses by about (weight / (1 − weight)) = 9 steps, half a decade.
    expect(result.suggestion!.lr).toBeGreaterThanOrEqual(1e-4);
    expect(result.suggestion!.lr).toBeLessThanOrEqual(10 ** -3.5);
    expect(result.suggestion!.capped).toBe(false);
  });

  it('finds the same rate through per-step noise', () => {
    const jitter = noise(0.05);
    const clean = analyzeSweep(sweep(fallAt(1e-4))).suggestion!.lr;
    const noisy = analyzeSweep(sweep((lr) => fallAt(1e-4)(lr) + jitter())).suggestion!.lr;
    expect(Math.abs(Math.log10(noisy / clean))).toBeLessThan(0.25);
  });

  it('finds a shallow dip in a noisy, nearly flat curve rather than a noisy first step', () => {
    // The shape of the bundled model's sweep on the sentiment sample (batch 8): ±0.03 of noise per batch around 0.70,
    // a fall of 0.04 around 5e-4, then a rise. Several noise draws, since one could be lucky.
    for (const seed of [1, 2, 3, 99, 777, 4242]) {
      const jitter = noise(0.03, seed);
      const curve = (lr: number) => 0.7 - 0.04 / (1 + (5e-4 / lr) ** 3) + 0.6 * (lr / 0.05) ** 2 + jitter();
      const { suggestion } = analyzeSweep(sweep(curve));
      expect(suggestion!.lr, `seed ${seed}`).toBeGreaterThan(2e-4);
      expect(suggestion!.lr, `seed ${seed}`).toBeLessThan(2e-3);
    }
  });

  it('stops at divergence and searches only below it', () => {
    // Falls around 1e-5, bottoms out, then explodes from 1e-2: the sweep stops where the smoothed loss passes 4× its low.
    const explode = (lr: number) => fallAt(1e-5)(lr) + (lr > 1e-2 ? 50 * (lr / 1e-2) ** 4 : 0);
    const points = sweep(explode, 100);
    const result = analyzeSweep(points);
    expect(result.divergedLr).not.toBeNull();
    expect(result.divergedLr!).toBeGreaterThan(1e-2);
    expect(result.suggestion!.lr).toBeLessThan(result.divergedLr! / DIVERGENCE_MARGIN);
    expect(result.suggestion!.lr).toBeGreaterThanOrEqual(1e-5);
    expect(result.smoothed).toHaveLength(points.length);
  });

  it('caps the suggestion a decade below the divergence when the loss falls fastest just before it', () => {
    // The loss falls steeply right up to 3e-3 and diverges soon after: the steepest descent is too close to the edge.
    const cliff = (lr: number) => (lr < 3e-3 ? fallAt(2e-3)(lr) : 0.5 + 200 * (lr / 3e-3 - 1));
    const result = analyzeSweep(sweep(cliff, 1e3));
    expect(result.divergedLr).not.toBeNull();
    expect(result.suggestion!.capped).toBe(true);
    expect(result.suggestion!.lr).toBe(roundLr(result.divergedLr! / DIVERGENCE_MARGIN));
  });

  it('gives no suggestion when the loss never falls', () => {
    const result = analyzeSweep(sweep(() => 0.69));
    expect(result.suggestion).toBeNull();
    expect(result.problem).toMatch(/did not fall/);
    const rising = analyzeSweep(sweep((lr) => 1 + lr));
    expect(rising.suggestion).toBeNull();
  });

  it('gives no suggestion when the loss diverges at once', () => {
    const points = [1, 1, 1, 1000].map((loss, i) => ({ lr: sweepLrAt(i, LR_SWEEP), loss }));
    const result = analyzeSweep(points);
    expect(result.divergedLr).toBe(points[3].lr);
    expect(result.suggestion).toBeNull();
    expect(result.problem).toMatch(/diverged within the first steps/);
  });

  it('needs more points than it skips at the start', () => {
    const points = Array.from({ length: SKIP_START + 1 }, (_, i) => ({ lr: sweepLrAt(i, LR_SWEEP), loss: 2 - i * 0.1 }));
    expect(analyzeSweep(points).suggestion).toBeNull();
    expect(analyzeSweep([]).suggestion).toBeNull();
  });
});
