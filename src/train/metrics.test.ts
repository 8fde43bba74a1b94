import { describe, expect, it } from 'vitest';
import { TrainInputError } from './errors';
import {
  accuracy,
  argmaxRows,
  classificationReport,
  EarlyStopping,
  maskedTokenAccuracy,
  meanSquaredError,
  pearsonCorrelation,
  spearmanCorrelation,
  averageRanks,
  perplexity,
} from './metrics';

describe('classification metrics', () => {
  const labels = [0, 0, 0, 1, 1, 2, 2, 2, 2, 0];
  const predictions = [0, 0, 1, 1, 2, 2, 2, 0, 2, 0];

  it('builds the confusion matrix and per-class scores', () => {
    const report = classificationReport(predictions, labels, 3);
    expect(report.confusion).toEqual([
      [3, 1, 0],
      [0, 1, 1],
      [1, 0, 3],
    ]);
    expect(report.accuracy).toBeCloseTo(0.7, 12);
    expect(report.perClass[0]).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
    expect(report.perClass[1]).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(report.perClass[2]).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
    expect(report.macroF1).toBeCloseTo(2 / 3, 12);
  });

  it('leaves absent classes out of macro-F1 and scores never-labelled predictions as 0', () => {
    const withUnused = classificationReport(predictions, labels, 4);
    expect(withUnused.perClass[3]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(withUnused.macroF1).toBeCloseTo(2 / 3, 12);
    const spurious = classificationReport([0, 1], [0, 0], 2);
    expect(spurious.perClass[0]).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(spurious.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(spurious.macroF1).toBeCloseTo(1 / 3, 12);
  });

  it('takes the argmax of logit rows, first maximum on ties', () => {
    expect(Array.from(argmaxRows(new Float32Array([0.1, 2, -1, 5, 5, 0]), 3))).toEqual([1, 0]);
    expect(accuracy(argmaxRows([1, 0, 0, 1], 2), [0, 0])).toBe(0.5);
  });

  it('rejects mismatched or out-of-range input', () => {
    expect(() => accuracy([1, 2], [1])).toThrow(/2 predictions for 1 labels/);
    expect(() => accuracy([], [])).toThrow(/no examples/);
    expect(() => classificationReport([0, 3], [0, 1], 3)).toThrow(/prediction 3 at index 1 is not a class id in \[0, 3\)/);
    expect(() => classificationReport([0, 1], [0, -1], 3)).toThrow(/label -1 at index 1/);
    expect(() => classificationReport([0], [0], 0)).toThrow(TrainInputError);
    expect(() => argmaxRows([1, 2, 3], 2)).toThrow(/do not split into rows of 2/);
  });
});

describe('regression and MLM metrics', () => {
  it('computes the mean squared error', () => {
    expect(meanSquaredError([1, 2, 3], [1, 0, 6])).toBeCloseTo((0 + 4 + 9) / 3, 12);
    expect(() => meanSquaredError([1], [1, 2])).toThrow(TrainInputError);
  });

  it('computes Pearson\'s r, NaN when either side is constant (as scipy)', () => {
    // scipy.stats.pearsonr([1, 2, 3, 4], [1, 3, 2, 5])[0]
    expect(pearsonCorrelation([1, 2, 3, 4], [1, 3, 2, 5])).toBeCloseTo(0.8315218406202999, 12);
    expect(pearsonCorrelation([2, 4, 6], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearsonCorrelation([0.1, 0.1, 0.1], [1, 2, 3])).toBeNaN();
    expect(pearsonCorrelation([1, 2, 3], [5, 5, 5])).toBeNaN();
    expect(() => pearsonCorrelation([], [])).toThrow(TrainInputError);
  });

  it("computes Spearman's rho on average ranks of ties, NaN when either side is constant (as scipy)", () => {
    // scipy.stats.spearmanr([0.1, 0.4, 0.35, 0.8, 0.8, 1.2], [1, 2, 2, 3, 5, 4]).statistic
    expect(spearmanCorrelation([0.1, 0.4, 0.35, 0.8, 0.8, 1.2], [1, 2, 2, 3, 5, 4])).toBeCloseTo(0.8823529411764706, 12);
    expect(Array.from(averageRanks([0.1, 0.4, 0.35, 0.8, 0.8, 1.2]))).toEqual([1, 3, 2, 4.5, 4.5, 6]);
    // Any increasing map of the targets is a perfect rank correlation, which Pearson's r does not see.
    expect(spearmanCorrelation([1, 2, 3, 4], [1, 10, 100, 1000])).toBeCloseTo(1, 12);
    expect(pearsonCorrelation([1, 2, 3, 4], [1, 10, 100, 1000])).toBeLessThan(0.9);
    expect(spearmanCorrelation([3, 3, 3], [1, 2, 3])).toBeNaN();
  });

  it('scores masked tokens only', () => {
    expect(maskedTokenAccuracy([5, 9, 7, 1], [5, -100, 8, 1])).toBeCloseTo(2 / 3, 12);
    expect(() => maskedTokenAccuracy([1, 2], [-100, -100])).toThrow(/no masked tokens/);
  });

  it('takes the perplexity as exp of the mean cross-entropy', () => {
    expect(perplexity(0)).toBe(1);
    expect(perplexity(Math.log(30522))).toBeCloseTo(30522, 6);
    expect(() => perplexity(Number.NaN)).toThrow(/finite number >= 0/);
    expect(() => perplexity(-0.5)).toThrow(TrainInputError);
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` evaluations without improvement and remembers the best step (min mode)', () => {
    const stopper = new EarlyStopping({ patience: 2, mode: 'min' });
    expect(stopper.update(1.0, 100)).toMatchObject({ stop: false, improved: true, bestStep: 100 });
    expect(stopper.update(0.8, 200)).toMatchObject({ stop: false, improved: true, bestStep: 200 });
    expect(stopper.update(0.9, 300)).toMatchObject({ stop: false, improved: false, bestStep: 200, sinceBest: 1 });
    expect(stopper.update(0.7, 400)).toMatchObject({ stop: false, improved: true, bestStep: 400, sinceBest: 0 });
    expect(stopper.update(0.75, 500).stop).toBe(false);
    expect(stopper.update(0.71, 600)).toEqual({ stop: true, improved: false, bestStep: 400, bestValue: 0.7, sinceBest: 2 });
  });

  it('needs an improvement of more than minDelta (max mode) and never counts NaN', () => {
    const stopper = new EarlyStopping({ patience: 3, minDelta: 0.01, mode: 'max' });
    expect(stopper.update(Number.NaN, 1)).toMatchObject({ improved: false, bestStep: -1, sinceBest: 1 });
    expect(stopper.update(0.5, 2)).toMatchObject({ improved: true, bestStep: 2 });
    expect(stopper.update(0.505, 3)).toMatchObject({ improved: false, bestStep: 2 });
    expect(stopper.update(Number.NaN, 4)).toMatchObject({ improved: false, sinceBest: 2 });
    expect(stopper.update(0.52, 5)).toMatchObject({ improved: true, bestStep: 5, bestValue: 0.52 });
  });

  it('rejects bad options', () => {
    expect(() => new EarlyStopping({ patience: 0, mode: 'min' })).toThrow(/patience must be a whole number >= 1/);
    expect(() => new EarlyStopping({ patience: 1, minDelta: -1, mode: 'min' })).toThrow(/minDelta/);
    expect(() => new EarlyStopping({ patience: 1, mode: 'up' as 'min' })).toThrow(/mode must be/);
  });
});
