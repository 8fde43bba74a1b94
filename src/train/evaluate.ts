/** Scoring a model on labelled examples without dropout: the loss and the task's metrics. */
import * as tf from '@tensorflow/tfjs';
import { epochBatches } from '../data/batching';
import type { EncodedExample } from '../data/encode';
import { maskTokens } from '../data/masking';
import { createRng } from '../data/random';
import type { Tokenizer } from '../tokenizer/types';
import { argmaxRows, classificationReport, maskedTokenAccuracy, meanSquaredError, perplexity, type ClassificationReport } from './metrics';
import { taskForward, type Model, type Task } from './objective';

export interface EvalMetrics {
  step: number;
  epoch: number;
  loss: number;
  classification?: ClassificationReport;
  mse?: number;
  maskedAccuracy?: number;
  perplexity?: number;
  isBest: boolean;
}

export interface EvalOptions {
  task: Task;
  regression: boolean;
  numLabels: number;
  tokenizer: Pick<Tokenizer, 'vocabSize' | 'special'>;
  batchSize: number;
  maxLength: number;
  mlmProbability: number;
  wholeWordMasking: boolean;
}

/** A fixed mask for MLM evaluation, so every evaluation scores the same targets. */
const EVAL_MASK_SEED = 0x5eed;

export async function evaluateModel(
  model: Model,
  examples: readonly EncodedExample[],
  options: EvalOptions,
  step = 0,
  epoch = 0,
): Promise<EvalMetrics> {
  const { task, regression, numLabels, tokenizer } = options;
  if (examples.length === 0) throw new Error('there is no data to evaluate on');
  const rng = createRng(EVAL_MASK_SEED);
  let lossSum = 0;
  let weightSum = 0;
  const predictions: number[] = [];
  const targets: number[] = [];
  const batches = epochBatches(examples, {
    batchSize: options.batchSize,
    maxLength: options.maxLength,
    shuffle: false,
    padId: tokenizer.special.pad,
    labelKind: regression ? 'numeric' : 'categorical',
    includeWordIds: task === 'mlm',
  });
  for (const batch of batches) {
    const masked = task === 'mlm'
      ? maskTokens(batch, { tokenizer, rng, probability: options.mlmProbability, wholeWord: options.wholeWordMasking })
      : undefined;
    const [loss, logits] = tf.tidy(() => {
      const output = taskForward(model, task, batch, masked, { training: false });
      return [output.loss, output.logits] as const;
    });
    const [lossValue, logitValues] = await Promise.all([loss.data(), logits.data()]);
    tf.dispose([loss, logits]);
    const width = logits.shape[1];
    const rows = masked ? masked.maskedCount : batch.validRows;
    lossSum += lossValue[0] * rows;
    weightSum += rows;
    predictions.push(...(regression ? logitValues.subarray(0, rows) : argmaxRows(logitValues.subarray(0, rows * width), width)));
    targets.push(...(masked ? masked.maskedLabels.subarray(0, rows) : batch.labels!.subarray(0, rows)));
  }
  const loss = lossSum / weightSum;
  const metrics: EvalMetrics = { step, epoch, loss, isBest: false };
  if (task === 'mlm') {
    metrics.maskedAccuracy = maskedTokenAccuracy(predictions, targets);
    metrics.perplexity = perplexity(loss);
  } else if (regression) {
    metrics.mse = meanSquaredError(predictions, targets);
  } else {
    metrics.classification = classificationReport(predictions, targets, numLabels);
  }
  return metrics;
}
