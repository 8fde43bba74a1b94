import { describe, expect, it } from 'vitest';
import { sliderPosition, sliderValue } from '../common/sliderScale';
import { bandFractions, epochsAdvice, inLrBand, logFraction, LR_SLIDER, lrAdvice } from './learningRateScale';

describe('logFraction', () => {
  it('places decades evenly and clamps outside the axis', () => {
    expect(logFraction(1e-6, 1e-6, 1e-2)).toBe(0);
    expect(logFraction(1e-4, 1e-6, 1e-2)).toBeCloseTo(0.5, 12);
    expect(logFraction(1e-2, 1e-6, 1e-2)).toBe(1);
    expect(logFraction(1e-9, 1e-6, 1e-2)).toBe(0);
    expect(logFraction(5, 1e-6, 1e-2)).toBe(1);
    expect(logFraction(0, 1e-6, 1e-2)).toBe(0);
    expect(logFraction(-1, 1e-6, 1e-2)).toBe(0);
  });

  it('rejects an axis that is not a positive increasing range', () => {
    expect(() => logFraction(1, 0, 1)).toThrow(RangeError);
    expect(() => logFraction(1, 1e-2, 1e-6)).toThrow(/0 < min < max/);
  });
});

describe('the learning-rate slider', () => {
  it('marks the 2e-5–5e-5 band between the 1e-5 and 1e-4 ticks', () => {
    const [start, end] = bandFractions();
    expect(start).toBeCloseTo((Math.log10(2e-5) + 6) / 4, 12);
    expect(end).toBeCloseTo((Math.log10(5e-5) + 6) / 4, 12);
    expect(start).toBeGreaterThan(0.25);
    expect(end).toBeLessThan(0.5);
  });

  it('reaches both band edges and both ends exactly', () => {
    for (const lr of [1e-6, 2e-5, 5e-5, 1e-2]) expect(sliderValue(sliderPosition(lr, LR_SLIDER).value, LR_SLIDER)).toBe(lr);
  });
});

describe('lrAdvice', () => {
  it('is silent inside the band, edges included', () => {
    for (const lr of [2e-5, 3e-5, 5e-5]) {
      expect(inLrBand(lr)).toBe(true);
      expect(lrAdvice(lr, false)).toBeNull();
    }
  });

  it('explains rates below and above the band', () => {
    expect(lrAdvice(1e-6, false)).toMatch(/1e-6 is below the recommended 2e-5–5e-5/);
    expect(lrAdvice(1e-3, false)).toMatch(/above the recommended 2e-5–5e-5: fine-tuning may diverge/);
  });

  it('allows high rates when only the head trains', () => {
    expect(lrAdvice(1e-3, true)).toMatch(/suits training only the head/);
    expect(lrAdvice(3e-4, false, { min: 1e-4, max: 1e-3 })).toBeNull();
    expect(lrAdvice(3e-5, false, { min: 1e-4, max: 1e-3 })).toMatch(/below the recommended 1e-4–0.001/);
  });

  it('rejects rates that are not positive numbers', () => {
    for (const lr of [0, -1, Number.NaN, Infinity]) expect(lrAdvice(lr, false)).toMatch(/must be a number above 0/);
  });
});

describe('epochsAdvice', () => {
  it('is silent for 2 to 4 epochs and explains the rest', () => {
    expect([2, 3, 4].map((epochs) => epochsAdvice(epochs))).toEqual([null, null, null]);
    expect(epochsAdvice(1)).toMatch(/1 epoch may underfit/);
    expect(epochsAdvice(10)).toMatch(/10 epochs risk overfitting/);
  });

  it('follows the loaded model’s band', () => {
    const tiny = { min: 4, max: 20 };
    expect(epochsAdvice(17, tiny)).toBeNull();
    expect(epochsAdvice(3, tiny)).toMatch(/3 epochs may underfit: 4–20 are recommended for this model/);
    expect(epochsAdvice(25, tiny)).toMatch(/4–20/);
  });
});
