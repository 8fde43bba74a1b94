import { describe, expect, it } from 'vitest';
import { labelNumber, linearAxis, niceStep } from './axis';

const labels = (values: number[], options?: Parameters<typeof linearAxis>[1]) => {
  const axis = linearAxis(values, options)!;
  return axis.ticks.map(axis.format);
};

describe('linearAxis', () => {
  it('never repeats a label on a nearly flat curve (a short run\'s loss)', () => {
    const ticksLabels = labels([0.6875, 0.688, 0.6882, 0.6879]);
    expect(new Set(ticksLabels).size).toBe(ticksLabels.length);
    expect(ticksLabels.length).toBeGreaterThanOrEqual(3);
    expect(ticksLabels).toEqual(['0.6874', '0.6876', '0.6878', '0.688', '0.6882']);
  });

  it('covers the data with nice steps', () => {
    const axis = linearAxis([0.12, 3.7])!;
    expect(axis.domain).toEqual([0, 4]);
    expect(axis.ticks).toEqual([0, 1, 2, 3, 4]);
    expect(linearAxis([1.3, 2.9, 7.6])!.ticks).toEqual([0, 2, 4, 6, 8]);
  });

  it('keeps a share inside 0-100% (one masked-accuracy evaluation once drew up to 400%)', () => {
    const share = (value: number, digits: number) => `${labelNumber(value * 100, digits)}%`;
    const axis = linearAxis([0.04], { bounds: [0, 1], label: share })!;
    expect(axis.domain[0]).toBeGreaterThanOrEqual(0);
    expect(axis.domain[1]).toBeLessThanOrEqual(1);
    expect(axis.ticks.every((t) => t >= 0 && t <= 1)).toBe(true);
    expect(linearAxis([0.93, 0.99, 1], { bounds: [0, 1] })!.domain[1]).toBe(1);
  });

  it('writes every tick exactly: a share\'s 72.5% is not rounded to 73%', () => {
    const share = (value: number, digits: number) => `${labelNumber(value * 100, digits)}%`;
    expect(labels([0.7, 0.79], { bounds: [0, 1], label: share })).toEqual(['70%', '72.5%', '75%', '77.5%', '80%']);
  });

  it('spans at least minSpan, slid inside the bounds', () => {
    const axis = linearAxis([0.771, 0.773], { bounds: [0, 1], minSpan: 0.1 })!;
    expect(axis.domain[1] - axis.domain[0]).toBeGreaterThanOrEqual(0.1);
    expect(axis.domain[0]).toBeLessThanOrEqual(0.771);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(0.773);
    expect(linearAxis([0.995, 0.999], { bounds: [0, 1], minSpan: 0.1 })!.domain).toEqual([0.9, 1]);
  });

  it('centres a constant line in a band, and skips what is not finite', () => {
    expect(linearAxis([2, 2, NaN])!.domain).toEqual([1.8, 2.2]);
    expect(linearAxis([0])!.domain).toEqual([-1, 1]);
    expect(linearAxis([NaN, Infinity])).toBeNull();
    expect(linearAxis([])).toBeNull();
  });

  it('labels tiny learning rates in exponent form, distinct', () => {
    const ticksLabels = labels([1e-5, 2e-5, 3e-5]);
    expect(ticksLabels).toEqual(['1e-5', '1.5e-5', '2e-5', '2.5e-5', '3e-5']);
  });
});

describe('niceStep', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0.7, 1, 1.1, 2.2, 3, 6, 0.013].map(niceStep)).toEqual([1, 1, 2, 2.5, 5, 10, 0.02]);
    expect(() => niceStep(0)).toThrow(RangeError);
  });
});
