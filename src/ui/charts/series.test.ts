import { describe, expect, it } from 'vitest';
import type { EvalMetrics, StepMetrics } from '../../worker/protocol';
import { downsample, etaSeconds, evalMetricSeries, lossSeries, lrGroups, stepSeries, type Point } from './series';

const step = (n: number, overrides: Partial<StepMetrics> = {}): StepMetrics => ({
  step: n,
  totalSteps: 10,
  epoch: n / 4,
  loss: 1 / n,
  lrs: { head: 1e-4, 'layer.1': 3e-5, 'layer.0': 2e-5, embeddings: 1e-5 },
  gradNorm: n,
  examplesPerSec: 8,
  tokensPerSec: 100,
  numTensors: 50,
  numBytes: 2 ** 20,
  frozen: [],
  ...overrides,
});

const evaluation = (n: number, overrides: Partial<EvalMetrics> = {}): EvalMetrics => ({ step: n, epoch: 1, loss: 0.5, isBest: true, ...overrides });

describe('lossSeries', () => {
  const steps = [step(1), step(2), step(3), step(4)];
  it('puts each validation loss on the step the evaluation followed', () => {
    const points = lossSeries(steps, [evaluation(2, { loss: 0.7 }), evaluation(4, { loss: 0.4 })], 'step', 0);
    expect(points.map((p) => p.x)).toEqual([1, 2, 3, 4]);
    expect(points.map((p) => p.valLoss)).toEqual([undefined, 0.7, undefined, 0.4]);
    expect(points.map((p) => p.smoothed)).toEqual(points.map((p) => p.loss));
  });

  it('uses fractional epochs on the epoch axis, for evaluations too', () => {
    const points = lossSeries(steps, [evaluation(4, { epoch: 1 })], 'epoch', 0.6);
    expect(points.map((p) => p.x)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(points[3].valLoss).toBe(0.5);
    expect(points[3].smoothed).not.toBe(points[3].loss);
  });

  it('adds evaluations of steps it has no training point for, in order', () => {
    const points = lossSeries([step(3)], [evaluation(1)], 'step', 0);
    expect(points).toEqual([{ x: 1, valLoss: 0.5 }, { x: 3, loss: 1 / 3, smoothed: 1 / 3 }]);
  });
});

describe('evalMetricSeries', () => {
  it('plots accuracy and macro-F1 for classification', () => {
    const classification = { accuracy: 0.8, macroF1: 0.75, perClass: [], confusion: [] };
    const { points, keys, secondary } = evalMetricSeries([step(4)], [evaluation(4, { classification })], 'epoch');
    expect(keys.map((k) => k.key)).toEqual(['accuracy', 'macroF1']);
    expect(secondary).toBeNull();
    expect(points[0]).toMatchObject({ x: 1, accuracy: 0.8, macroF1: 0.75 });
  });

  it('plots masked accuracy with perplexity on a second axis for MLM, and MSE for regression', () => {
    const mlm = evalMetricSeries([], [evaluation(2, { maskedAccuracy: 0.3, perplexity: 40 })], 'step');
    expect(mlm.keys).toEqual([{ key: 'maskedAccuracy', label: 'Masked accuracy' }]);
    expect(mlm.secondary).toEqual({ key: 'perplexity', label: 'Perplexity' });
    expect(mlm.points[0]).toMatchObject({ x: 2, perplexity: 40 });
    expect(evalMetricSeries([], [evaluation(2, { mse: 0.1 })], 'step').keys).toEqual([{ key: 'mse', label: 'MSE' }]);
  });

  it('plots exact match and F1 for question answering', () => {
    const qa = evalMetricSeries([], [evaluation(2, { answers: { exactMatch: 0.4, f1: 0.55, questions: 10, unanswerable: 0 } })], 'step');
    expect(qa.keys.map((k) => k.key)).toEqual(['exactMatch', 'f1']);
    expect(qa.points[0]).toMatchObject({ x: 2, exactMatch: 0.4, f1: 0.55 });
  });
});

describe('lrGroups', () => {
  it('picks head, top and bottom layers and embeddings', () => {
    expect(lrGroups(step(1)).map((g) => g.label)).toEqual(['Head', 'Layer 1', 'Layer 0', 'Embeddings']);
    expect(lrGroups(undefined)).toEqual([]);
  });

  it('adds the middle layer of deep models and skips groups the run does not report', () => {
    const lrs = Object.fromEntries([...Array.from({ length: 12 }, (_, i) => [`layer.${i}`, 1e-5]), ['head', 1e-4], ['pooler', 1e-5]]);
    expect(lrGroups(step(1, { lrs })).map((g) => g.key)).toEqual(['head', 'layer.11', 'layer.6', 'layer.0']);
  });
});

describe('stepSeries', () => {
  it('picks readings per step and keeps x authoritative', () => {
    expect(stepSeries([step(2)], 'step', (s) => ({ gradNorm: s.gradNorm, x: 99 }))).toEqual([{ gradNorm: 2, x: 2 }]);
  });
});

describe('downsample', () => {
  const points: Point[] = Array.from({ length: 10 }, (_, i) => ({ x: i }));
  it('keeps short series whole', () => {
    expect(downsample(points, 10)).toEqual(points);
  });

  it('strides long series and keeps the newest point and the marked ones', () => {
    expect(downsample(points, 4).map((p) => p.x)).toEqual([0, 3, 6, 9]);
    expect(downsample(points, 4, (p) => p.x === 5).map((p) => p.x)).toEqual([0, 3, 5, 6, 9]);
  });

  it('rejects a max below 2', () => {
    expect(() => downsample(points, 1)).toThrow(RangeError);
  });
});

describe('etaSeconds', () => {
  it('multiplies the steps left by the median recent interval', () => {
    expect(etaSeconds([0, 1000, 2000, 3000], 4, 10)).toBe(6);
  });

  it('ignores a long pause between two steps', () => {
    expect(etaSeconds([0, 1000, 61_000, 62_000, 63_000], 5, 10)).toBe(5);
  });

  it('needs two steps and never goes negative', () => {
    expect(etaSeconds([5], 1, 10)).toBeNull();
    expect(etaSeconds([0, 500], 12, 10)).toBe(0);
  });
});
