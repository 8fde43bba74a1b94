import { describe, expect, it } from 'vitest';
import { analyzeSweep, LR_SWEEP, sweepLrAt } from '../../train/lrFinder';
import type { LrSweepResult } from '../../worker/protocol';
import { applyLabel, decadeTicks, LR_FINDER_HELP, sweepChart, sweepSummary } from './lrFinderView';

/** A loss that falls around 1e-5 and blows up at the 80th and last step (6.1e-3). */
const points = Array.from({ length: 80 }, (_, i) => {
  const lr = sweepLrAt(i, LR_SWEEP);
  return { lr, loss: i < 79 ? 0.5 + 1.5 / (1 + (lr / 1e-5) ** 3) : 40 };
});

function result(overrides: Partial<LrSweepResult> = {}): LrSweepResult {
  return { settings: LR_SWEEP, points, outcome: 'diverged', ...analyzeSweep(points), ...overrides };
}

describe('decadeTicks', () => {
  it('lists the powers of ten inside the range', () => {
    expect(decadeTicks(1e-7, 1e-1)).toEqual([1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
    expect(decadeTicks(3e-6, 5e-4)).toEqual([1e-5, 1e-4]);
  });
});

describe('sweepChart', () => {
  it('smooths a sweep in progress as the engine does', () => {
    const chart = sweepChart(points.slice(0, 10), null);
    expect(chart.points.map((p) => p.smoothed)).toEqual(analyzeSweep(points.slice(0, 10)).smoothed);
    expect(chart.suggestion).toBeNull();
    expect(chart.xDomain).toEqual([1e-7, 1e-1]);
  });

  it('puts the suggestion on the smoothed curve and spans the y axis over its fall, not the whole rise', () => {
    const done = result();
    const chart = sweepChart(points, done);
    expect(chart.suggestion!.lr).toBe(done.suggestion!.lr);
    const smoothed = chart.points.map((p) => p.smoothed!);
    expect(smoothed).toContain(chart.suggestion!.loss);
    // From the start (2) down to the low (0.5) fits, with half the fall again above; the final rise leaves the plot.
    expect(chart.yDomain[0]).toBeLessThan(Math.min(...smoothed));
    expect(chart.yDomain[1]).toBeGreaterThan(smoothed[0]);
    expect(chart.yDomain[1]).toBeCloseTo(2.75, 0);
    expect(Math.max(...smoothed)).toBeGreaterThan(chart.yDomain[1]);
    expect(chart.divergedLr).toBe(done.divergedLr);
  });

  it('fits a curve that never rises', () => {
    const falling = points.slice(0, 40);
    const chart = sweepChart(falling, null);
    const smoothed = chart.points.map((p) => p.smoothed!);
    expect(chart.yDomain[0]).toBeLessThan(Math.min(...smoothed));
    expect(chart.yDomain[1]).toBeGreaterThan(Math.max(...smoothed));
    expect(chart.yDomain[1]).toBeLessThan(Math.max(...smoothed) * 1.1);
  });

  it('leaves out a non-finite loss instead of breaking the axis', () => {
    const chart = sweepChart([{ lr: 1e-7, loss: 1 }, { lr: 2e-7, loss: Infinity }], null);
    expect(chart.points[1]).toEqual({ lr: 2e-7, loss: undefined, smoothed: undefined });
    expect(chart.yDomain.every(Number.isFinite)).toBe(true);
    expect(sweepChart([], null).yDomain).toEqual([0, 1]);
  });
});

describe('sweepSummary', () => {
  it('names the suggestion, why, and where the loss diverged', () => {
    const done = result();
    expect(done.divergedLr).not.toBeNull();
    expect(sweepSummary(done)).toMatch(/^Suggested [\d.e-]+: where the smoothed loss falls fastest\. The loss diverged at [\d.e-]+\.$/);
    expect(sweepSummary(result({ suggestion: { lr: 1e-3, index: 40, capped: true } }))).toMatch(/1\/10 of the rate where the loss diverged/);
  });

  it('says why there is no suggestion', () => {
    expect(sweepSummary(result({ suggestion: null, problem: 'The loss did not fall.', divergedLr: null }))).toBe(
      'The loss did not fall. The loss did not diverge up to 0.00614.',
    );
    expect(sweepSummary(result({ outcome: 'stopped', suggestion: null, problem: 'The sweep was cancelled.' }))).toBe('The sweep was cancelled.');
  });
});

describe('applyLabel and help', () => {
  it('shows the rate as the field will', () => {
    expect(applyLabel(3.2e-4)).toBe('Use 3.2e-4');
    expect(applyLabel(0.019)).toBe('Use 0.019');
  });

  it('states the range, the steps, the smoothing, the divergence rule and the cap', () => {
    expect(LR_FINDER_HELP).toContain('1e-7 to 0.1');
    expect(LR_FINDER_HELP).toContain('100 steps');
    expect(LR_FINDER_HELP).toContain('weight 0.9');
    expect(LR_FINDER_HELP).toContain('4×');
    expect(LR_FINDER_HELP).toContain('1/10');
  });
});
