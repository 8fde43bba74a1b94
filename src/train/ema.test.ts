import { describe, expect, it } from 'vitest';
import { ema } from './ema';

describe('ema', () => {
  it('returns the values unchanged at weight 0', () => {
    expect(ema([3, 1, 2], 0)).toEqual([3, 1, 2]);
  });

  it('debiases, so a constant series stays constant from the first point', () => {
    for (const value of ema([2, 2, 2, 2], 0.9)) expect(value).toBeCloseTo(2, 12);
  });

  it('follows a step change gradually', () => {
    const smoothed = ema([0, 0, 10, 10], 0.5);
    expect(smoothed[0]).toBe(0);
    expect(smoothed[2]).toBeCloseTo(5 / 0.875, 12);
    expect(smoothed[3]).toBeGreaterThan(smoothed[2]);
    expect(smoothed[3]).toBeLessThan(10);
  });

  it('carries non-finite values without poisoning the average', () => {
    const smoothed = ema([1, Number.NaN, 1], 0.5);
    expect(smoothed[1]).toBeNaN();
    expect(smoothed[2]).toBeCloseTo(1, 12);
  });

  it('rejects weights outside [0, 1)', () => {
    expect(() => ema([1], 1)).toThrow(RangeError);
    expect(() => ema([1], -0.1)).toThrow(/\[0, 1\)/);
  });
});
