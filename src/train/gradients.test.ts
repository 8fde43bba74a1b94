import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainInputError } from './errors';
import { clipScale, globalNorm, GradAccumulator, gradsByName } from './gradients';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function grads(entries: Record<string, number[]>): Map<string, tf.Tensor> {
  return new Map(Object.entries(entries).map(([name, values]) => [name, tf.tensor(values)]));
}

function values(map: Map<string, tf.Tensor>): Record<string, number[]> {
  return Object.fromEntries([...map].map(([name, t]) => [name, Array.from(t.dataSync())]));
}

function expectValues(map: Map<string, tf.Tensor>, expected: Record<string, number[]>): void {
  const actual = values(map);
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, want] of Object.entries(expected)) {
    want.forEach((value, i) => expect(actual[name][i], `${name}[${i}]`).toBeCloseTo(value, 6));
  }
}

describe('gradsByName', () => {
  it('differentiates the named parameters only and keys the result by parameter name', () => {
    const params = new Map([
      ['bert.pooler.dense.weight', tf.variable(tf.tensor([1, 2]), true)],
      ['classifier.weight', tf.variable(tf.tensor([3]), true)],
    ]);
    const [pooler, classifier] = params.values();
    // loss = Σ pooler² + 5 · Σ classifier → d/dpooler = 2 · pooler, d/dclassifier = 5
    const lossFn = (): tf.Scalar => tf.add(pooler.square().sum(), classifier.sum().mul(5));
    const both = gradsByName(lossFn, params, ['classifier.weight', 'bert.pooler.dense.weight']);
    expect(both.loss.dataSync()[0]).toBe(20);
    expectValues(both.grads, { 'bert.pooler.dense.weight': [2, 4], 'classifier.weight': [5] });
    const headOnly = gradsByName(lossFn, params, ['classifier.weight']);
    expect([...headOnly.grads.keys()]).toEqual(['classifier.weight']);
    tf.dispose([both.loss, headOnly.loss, ...both.grads.values(), ...headOnly.grads.values(), ...params.values()]);
  });

  it('rejects unknown and empty name lists', () => {
    const params = new Map([['w', tf.variable(tf.scalar(1), true)]]);
    const lossFn = (): tf.Scalar => params.get('w')!.mul(2) as tf.Scalar;
    expect(() => gradsByName(lossFn, params, ['v'])).toThrow(/no parameter named v/);
    expect(() => gradsByName(lossFn, params, [])).toThrow(/no parameters/);
    params.get('w')!.dispose();
  });
});

describe('globalNorm and clipScale', () => {
  it('scale every gradient by maxNorm / (norm + 1e-6) when the norm is larger, as clip_grad_norm_ does', () => {
    const input = grads({ a: [3, 0], b: [0, 4] }); // global norm 5
    const norm = globalNorm(input);
    expect(norm.dataSync()[0]).toBeCloseTo(5, 6);
    expect(clipScale(5, 1)).toBe(1 / (5 + 1e-6));
    tf.dispose([...input.values(), norm]);
  });

  it('leave gradients below the limit as they are', () => {
    expect(clipScale(3, 10)).toBe(1);
    expect(clipScale(0, 1)).toBe(1);
  });

  it('handle many tensors, no tensors, and leak nothing', () => {
    const before = tf.memory().numTensors;
    const many = new Map(Array.from({ length: 40 }, (_, i) => [`g${i}`, tf.fill([2], 0.5)]));
    const norm = globalNorm(many);
    expect(norm.dataSync()[0]).toBeCloseTo(Math.sqrt(80 * 0.25), 5);
    tf.dispose([...many.values(), norm]);
    const empty = globalNorm(new Map());
    expect(empty.dataSync()[0]).toBe(0);
    empty.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('hold one squared gradient at a time, not a copy of them all', async () => {
    const many = new Map(Array.from({ length: 8 }, (_, i) => [`g${i}`, tf.fill([1000], 0.5)]));
    const before = tf.memory().numBytes;
    let norm: tf.Scalar | undefined;
    const { peakBytes } = await tf.profile(() => {
      norm = globalNorm(many);
    });
    expect(peakBytes - before).toBeLessThan(2 * 1000 * 4 + 1000); // one square and its sum, with room for scalars
    tf.dispose([...many.values(), norm!]);
  });

  it('reject a bad limit', () => {
    expect(() => clipScale(1, 0)).toThrow(/maxGradNorm must be a number > 0/);
    expect(() => clipScale(1, Number.POSITIVE_INFINITY)).toThrow(TrainInputError);
  });
});

describe('GradAccumulator', () => {
  it('averages micro-batches, weighted by their size', () => {
    const accumulator = new GradAccumulator();
    const first = grads({ w: [1, 2], b: [3] });
    const second = grads({ w: [4, 8], b: [0] });
    accumulator.add(first, 2);
    accumulator.add(second, 1);
    expect(accumulator.count).toBe(2);
    const mean = accumulator.mean();
    expectValues(mean, { w: [(2 * 1 + 4) / 3, (2 * 2 + 8) / 3], b: [6 / 3] });
    tf.dispose([...first.values(), ...second.values(), ...mean.values()]);
    accumulator.dispose();
  });

  it('starts afresh after reset, keeps its buffers, and follows a growing set of names', () => {
    const accumulator = new GradAccumulator();
    const step = (entries: Record<string, number[]>[]): Record<string, number[]> => {
      accumulator.reset();
      for (const entry of entries) {
        const micro = grads(entry);
        accumulator.add(micro);
        tf.dispose([...micro.values()]);
      }
      const mean = accumulator.mean();
      const out = values(mean);
      tf.dispose([...mean.values()]);
      return out;
    };
    expect(step([{ w: [2] }, { w: [4] }])).toEqual({ w: [3] });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) step([{ w: [i] }, { w: [i] }]);
    expect(tf.memory().numTensors).toBe(before);
    expect(step([{ w: [1] }, { w: [1] }, { w: [4] }])).toEqual({ w: [2] });
    // Unfreezing between optimizer steps adds names; the old buffer's stale contents must not leak in.
    expect(step([{ w: [10], b: [1] }])).toEqual({ w: [10], b: [1] });
    accumulator.dispose();
  });

  it('rejects inconsistent micro-batches and reading before adding', () => {
    const accumulator = new GradAccumulator();
    expect(() => accumulator.mean()).toThrow(/no gradients have been added/);
    const first = grads({ w: [1, 2] });
    accumulator.add(first);
    const otherNames = grads({ b: [1, 2] });
    const otherShape = grads({ w: [1, 2, 3] });
    expect(() => accumulator.add(otherNames)).toThrow(/same parameters/);
    expect(() => accumulator.add(otherShape)).toThrow(/shape \[3\], earlier ones \[2\]/);
    expect(() => accumulator.add(first, 0)).toThrow(/weight must be > 0/);
    expect(accumulator.count).toBe(1);
    tf.dispose([...first.values(), ...otherNames.values(), ...otherShape.values()]);
    accumulator.dispose();
  });
});
