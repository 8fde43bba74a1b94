import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelInputError } from './errors';
import { bceWithLogitsLoss, classificationLoss, crossEntropyLoss, maskedLmTargets, mseLoss } from './losses';
import { tinyConfig } from './bert/testing';

const rows = [
  [2, -1, 0.5],
  [0.1, 0.2, 0.3],
  [-3, 4, 1],
];
const logits = (): tf.Tensor2D => tf.tensor2d(rows);

/** -log softmax(row)[label], in float64 JS. */
function crossEntropy(row: number[], label: number): number {
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((sum, v) => sum + Math.exp(v - max), 0)) + max;
  return logSum - row[label];
}

const scalar = async (t: tf.Scalar): Promise<number> => (await t.data())[0];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('crossEntropyLoss', () => {
  it('is the mean of -log softmax at the label', async () => {
    const expected = (crossEntropy(rows[0], 0) + crossEntropy(rows[1], 2) + crossEntropy(rows[2], 0)) / 3;
    expect(await scalar(crossEntropyLoss(logits(), Int32Array.from([0, 2, 0])))).toBeCloseTo(expected, 5);
  });

  it('weights rows: sum(w·loss) / sum(w), ignoring weight-0 rows entirely', async () => {
    const weights = Float32Array.from([1, 3, 0]);
    const expected = (crossEntropy(rows[0], 1) + 3 * crossEntropy(rows[1], 1)) / 4;
    expect(await scalar(crossEntropyLoss(logits(), Int32Array.from([1, 1, 2]), weights))).toBeCloseTo(expected, 5);
    const changedPadding = tf.tensor2d([...rows.slice(0, 2), [50, -50, 9]]);
    expect(await scalar(crossEntropyLoss(changedPadding, Int32Array.from([1, 1, 2]), weights))).toBeCloseTo(expected, 5);
  });

  it('has the gradient (softmax - onehot) / n', async () => {
    const grad = tf.grad((x: tf.Tensor) => crossEntropyLoss(x as tf.Tensor2D, Int32Array.from([0, 2, 1])))(logits());
    const softmax = (await tf.softmax(logits()).array()) as number[][];
    const actual = (await grad.array()) as number[][];
    [0, 2, 1].forEach((label, i) =>
      softmax[i].forEach((p, j) => expect(actual[i][j]).toBeCloseTo((p - (j === label ? 1 : 0)) / 3, 6)),
    );
  });

  it.each([
    ['a label outside the classes', Int32Array.from([0, 3, 1]), undefined, /^labels: value 3/],
    ['a negative label', Int32Array.from([0, -100, 1]), undefined, /^labels: value -100/],
    ['too few labels', Int32Array.from([0, 1]), undefined, /^labels: has 2 values, expected 3/],
    ['weights of the wrong length', Int32Array.from([0, 1, 1]), Float32Array.from([1, 1]), /^weights:/],
    ['a negative weight', Int32Array.from([0, 1, 1]), Float32Array.from([1, -1, 1]), /^weights: value -1/],
    ['all-zero weights', Int32Array.from([0, 1, 1]), new Float32Array(3), /^weights: are all 0/],
  ])('rejects %s', (_, labels, weights, message) => {
    const run = () => crossEntropyLoss(logits(), labels, weights);
    expect(run).toThrow(ModelInputError);
    expect(run).toThrow(message);
  });
});

describe('maskedLmTargets', () => {
  it('keeps the positions whose label is not -100, in order', () => {
    const targets = maskedLmTargets(Int32Array.from([-100, 7, -100, -100, 3, 7]), 10);
    expect(Array.from(targets.positions)).toEqual([1, 4, 5]);
    expect(Array.from(targets.labels)).toEqual([7, 3, 7]);
  });

  it('rejects labels outside the vocabulary and an all -100 batch', () => {
    expect(() => maskedLmTargets(Int32Array.from([-100, 10]), 10)).toThrow(/^labels: value 10 at index 1/);
    expect(() => maskedLmTargets(Int32Array.from([-1]), 10)).toThrow(ModelInputError);
    expect(() => maskedLmTargets(Int32Array.from([-100, -100]), 10)).toThrow(/nothing to predict/);
  });
});

describe('mseLoss and bceWithLogitsLoss', () => {
  const column = (): tf.Tensor2D => tf.tensor2d([[0.5], [-1], [2]]);

  it('mse is the mean squared error, optionally row-weighted', async () => {
    const targets = Float32Array.from([1, 1, 1]);
    expect(await scalar(mseLoss(column(), targets))).toBeCloseTo((0.25 + 4 + 1) / 3, 6);
    expect(await scalar(mseLoss(column(), targets, Float32Array.from([0, 1, 1])))).toBeCloseTo((4 + 1) / 2, 6);
  });

  it('bce matches -[z log σ(x) + (1 - z) log(1 - σ(x))], stable for large logits', async () => {
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const targets = Float32Array.from([1, 0, 0.5, 1, 0, 0, 1, 1, 0]);
    const expected =
      rows.flat().reduce((sum, x, i) => {
        const z = targets[i];
        return sum - (z * Math.log(sigmoid(x)) + (1 - z) * Math.log(1 - sigmoid(x)));
      }, 0) / 9;
    expect(await scalar(bceWithLogitsLoss(logits(), targets))).toBeCloseTo(expected, 5);
    const huge = await scalar(bceWithLogitsLoss(tf.tensor2d([[200, -200]]), Float32Array.from([1, 0])));
    expect(huge).toBe(0);
  });

  it('reject targets of the wrong length, non-finite targets, and BCE targets outside [0, 1]', () => {
    expect(() => mseLoss(column(), Float32Array.from([1, 1]))).toThrow(/^labels: must be a Float32Array of 3 values/);
    expect(() => mseLoss(column(), Float32Array.from([1, NaN, 1]))).toThrow(/not a finite number/);
    expect(() => bceWithLogitsLoss(column(), Float32Array.from([1, 2, 0]))).toThrow(/not in \[0, 1\]/);
  });
});

describe('classificationLoss', () => {
  it('picks the loss from the problem type, as HF', async () => {
    const single = tinyConfig();
    expect(await scalar(classificationLoss(single, logits(), Int32Array.from([0, 2, 0])))).toBeCloseTo(
      await scalar(crossEntropyLoss(logits(), Int32Array.from([0, 2, 0]))),
      6,
    );
    const regression = tinyConfig({ id2label: { 0: 'score' } });
    const column = tf.tensor2d([[1], [2], [3]]);
    expect(await scalar(classificationLoss(regression, column, Float32Array.from([1, 1, 1])))).toBeCloseTo(5 / 3, 6);
    const multi = tinyConfig({ problem_type: 'multi_label_classification' });
    const targets = new Float32Array(9).fill(1);
    expect(await scalar(classificationLoss(multi, logits(), targets))).toBeCloseTo(await scalar(bceWithLogitsLoss(logits(), targets)), 6);
  });

  it('rejects labels of the wrong kind for the problem type', () => {
    expect(() => classificationLoss(tinyConfig(), logits(), new Float32Array(3))).toThrow(/needs class ids/);
    const regression = tinyConfig({ problem_type: 'regression' });
    expect(() => classificationLoss(regression, logits(), new Int32Array(3))).toThrow(/regression needs float targets/);
  });
});
