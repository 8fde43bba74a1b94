import { describe, expect, it } from 'vitest';
import { sliderPosition, sliderValue, type SliderRange } from './sliderScale';

describe('linear slider', () => {
  const range: SliderRange = { min: 0, max: 1, step: 0.1, scale: 'linear' };
  it('passes values through, clamped and snapped to the step', () => {
    expect(sliderPosition(0.5, range)).toEqual({ min: 0, max: 1, step: 0.1, value: 0.5 });
    expect(sliderPosition(3, range).value).toBe(1);
    expect(sliderValue(0.30000000000000004, range)).toBe(0.3);
    expect(sliderValue(0.34, range)).toBe(0.3);
    expect(sliderValue(-2, range)).toBe(0);
  });
});

describe('log slider', () => {
  const range: SliderRange = { min: 1e-6, max: 1e-3, step: 20, scale: 'log' };
  it('gives whole positions, step per decade', () => {
    const position = sliderPosition(3e-5, range);
    expect(position.min).toBe(-120);
    expect(position.max).toBe(-60);
    expect(position.step).toBe(1);
    expect(position.value).toBe(Math.round(Math.log10(3e-5) * 20));
  });
  it('round-trips to 2 significant digits', () => {
    for (const value of [1e-6, 2e-5, 3e-5, 5e-5, 1e-4, 1e-3]) {
      const back = sliderValue(sliderPosition(value, range).value, range);
      expect(Math.abs(back - value) / value).toBeLessThan(0.07);
      expect(Number(back.toPrecision(2))).toBe(back);
    }
    expect(sliderValue(-100, range)).toBe(1e-5);
  });
  it('clamps to the range', () => {
    expect(sliderValue(0, range)).toBe(1e-3);
    expect(sliderValue(-500, range)).toBe(1e-6);
  });
  it('rejects a range a logarithm cannot cover', () => {
    expect(() => sliderPosition(1, { min: 0, max: 1, step: 10, scale: 'log' })).toThrow(/0 < min < max/);
    expect(() => sliderValue(1, { min: 1, max: 0.5, step: 10, scale: 'log' })).toThrow(RangeError);
  });
});
