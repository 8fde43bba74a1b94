/**
 * The training losses, as HF's BertForMaskedLM / BertForSequenceClassification compute them. Labels pick
 * their logit through a one-hot product, never a `gather`, so no gradient goes through `unsortedSegmentSum`.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedCrossEntropy, fusedCrossEntropyAvailable } from '../kernels/webgpuCrossEntropy';
import { checkIds } from './bert/batch';
import { resolveProblemType, type BertConfig } from './bert/config';
import { ModelInputError } from './errors';
import { oneHotFloat } from './nn';

/** HF's ignore_index: positions labelled -100 carry no MLM loss. */
export const IGNORE_INDEX = -100;

export interface MaskedLmTargets {
  /** Flat indices into [batch * seq] of the labelled positions, for mlmHead. */
  positions: Int32Array;
  /** The token id to predict at each of those positions. */
  labels: Int32Array;
}

/** Splits HF-style MLM labels ([batch * seq], -100 where unlabelled) into positions and their targets. */
export function maskedLmTargets(labels: Int32Array, vocabSize: number): MaskedLmTargets {
  const positions: number[] = [];
  labels.forEach((label, i) => {
    if (label === IGNORE_INDEX) return;
    if (!Number.isInteger(label) || label < 0 || label >= vocabSize) {
      throw new ModelInputError('labels', `value ${label} at index ${i} is neither ${IGNORE_INDEX} nor in [0, ${vocabSize})`);
    }
    positions.push(i);
  });
  if (positions.length === 0) throw new ModelInputError('labels', `every label is ${IGNORE_INDEX}: nothing to predict`);
  return { positions: Int32Array.from(positions), labels: Int32Array.from(positions, (i) => labels[i]) };
}

/**
 * Softmax cross-entropy of logits [n, classes] against class ids [n], averaged over rows. With mlmHead's
 * logits at maskedLmTargets' positions this is HF's masked-LM loss. `weights` [n] makes it the weighted mean
 * sum(w·loss) / sum(w), so padding rows (weight 0) can fill a fixed-size batch without changing the loss.
 * Where the fused WebGPU kernels are registered, two dispatches forward and one backward instead, keeping no
 * [n, classes] tensor but the logits for the backward pass (webgpuCrossEntropy.ts).
 */
export function crossEntropyLoss(logits: tf.Tensor2D, labels: Int32Array, weights?: Float32Array): tf.Scalar {
  const [n, classes] = logits.shape;
  checkIds('labels', labels, n, classes);
  if (fusedCrossEntropyAvailable() && logits.dtype === 'float32') {
    const total = weights === undefined ? n : weightTotal(weights, n);
    return fusedCrossEntropy(logits, labels, weights ?? new Float32Array(n).fill(1), 1 / total);
  }
  const targets = oneHotFloat(labels, classes); // [n, classes]
  const perRow = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), -1)); // [n]
  return rowMean(perRow, weights);
}

/** Squared error of logits [n, outputs] against targets [n * outputs] (regression: HF's MSE for num_labels 1). */
export function mseLoss(logits: tf.Tensor2D, targets: Float32Array, weights?: Float32Array): tf.Scalar {
  checkTargets(logits, targets);
  const perRow = tf.mean(tf.squaredDifference(logits, tf.tensor2d(targets, logits.shape)), -1); // [n]
  return rowMean(perRow, weights);
}

/** Binary cross-entropy with logits (multi-label): targets [n * labels] in [0, 1]. */
export function bceWithLogitsLoss(logits: tf.Tensor2D, targets: Float32Array, weights?: Float32Array): tf.Scalar {
  checkTargets(logits, targets);
  const bad = targets.findIndex((t) => t < 0 || t > 1);
  if (bad !== -1) throw new ModelInputError('labels', `value ${targets[bad]} at index ${bad} is not in [0, 1]`);
  const z = tf.tensor2d(targets, logits.shape);
  // max(x, 0) - x z + log(1 + exp(-|x|)): the stable form, as PyTorch.
  const perLabel = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, z)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))); // [n, labels]
  return rowMean(tf.mean(perLabel, -1), weights);
}

/**
 * The sequence-classification loss for the config's problem type: cross-entropy on class ids (Int32Array),
 * MSE for regression and BCE for multi-label on float targets (Float32Array, [batch * numLabels]).
 */
export function classificationLoss(
  config: BertConfig,
  logits: tf.Tensor2D,
  labels: Int32Array | Float32Array,
  weights?: Float32Array,
): tf.Scalar {
  const problemType = resolveProblemType(config);
  if (problemType === 'single_label_classification') {
    if (!(labels instanceof Int32Array)) {
      throw new ModelInputError('labels', 'single-label classification needs class ids (Int32Array)');
    }
    return crossEntropyLoss(logits, labels, weights);
  }
  if (!(labels instanceof Float32Array)) throw new ModelInputError('labels', `${problemType} needs float targets (Float32Array)`);
  return problemType === 'regression' ? mseLoss(logits, labels, weights) : bceWithLogitsLoss(logits, labels, weights);
}

/**
 * *ForQuestionAnswering's loss: qa_outputs' logits [batch * seq, 2] split into start and end logits [batch, seq], the
 * cross-entropy of each against the answer's start and end token over the sequence, and the mean of the two.
 * HF clamps positions into [0, seq] and ignores `seq`; here every position must lie in the sequence (a window
 * without the answer points at [CLS]). `weights` [batch] as in crossEntropyLoss (0 on padding rows).
 */
export function questionAnsweringLoss(
  logits: tf.Tensor2D,
  shape: { batchSize: number; seqLen: number },
  startPositions: Int32Array,
  endPositions: Int32Array,
  weights?: Float32Array,
): tf.Scalar {
  const { batchSize, seqLen } = shape;
  const [start, end] = tf.unstack(tf.reshape(logits, [batchSize, seqLen, 2]), 2) as [tf.Tensor2D, tf.Tensor2D]; // [batch, seq] each
  return tf.div(tf.add(crossEntropyLoss(start, startPositions, weights), crossEntropyLoss(end, endPositions, weights)), 2);
}

/** Mean of per-row losses [n], or their weighted mean sum(w·loss) / sum(w). */
function rowMean(perRow: tf.Tensor, weights: Float32Array | undefined): tf.Scalar {
  if (weights === undefined) return tf.mean(perRow);
  const total = weightTotal(weights, perRow.shape[0]!);
  return tf.div(tf.sum(tf.mul(perRow, tf.tensor1d(weights))), total);
}

/** The sum of the n row weights, once each is checked to be finite and non-negative and not all are 0. */
function weightTotal(weights: Float32Array, n: number): number {
  if (!(weights instanceof Float32Array) || weights.length !== n) {
    throw new ModelInputError('weights', `must be a Float32Array of ${n} values`);
  }
  let total = 0;
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0) throw new ModelInputError('weights', `value ${w} is not a finite non-negative number`);
    total += w;
  }
  if (total === 0) throw new ModelInputError('weights', 'are all 0: no row carries loss');
  return total;
}

function checkTargets(logits: tf.Tensor2D, targets: Float32Array): void {
  if (!(targets instanceof Float32Array) || targets.length !== logits.size) {
    throw new ModelInputError('labels', `must be a Float32Array of ${logits.size} values (shape [${logits.shape.join(', ')}])`);
  }
  const bad = targets.findIndex((t) => !Number.isFinite(t));
  if (bad !== -1) throw new ModelInputError('labels', `value ${targets[bad]} at index ${bad} is not a finite number`);
}
