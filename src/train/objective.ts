/**
 * What a training step minimises and an evaluation reads: the model's forward pass on one batch, through the
 * task's head, to its loss and logits. Padding rows (fixed batch size) and padding mask targets (fixed mask
 * capacity) carry weight 0, so shapes repeat from batch to batch without changing the loss.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/batching';
import type { MaskedBatch } from '../data/masking';
import { bertForward } from '../model/bert';
import type { BertConfig } from '../model/config';
import { classificationHead, mlmHead } from '../model/heads';
import { crossEntropyLoss, mseLoss } from '../model/losses';
import type { ForwardOptions } from '../model/bert';
import type { BertParams } from '../model/params';

export type Task = 'classify' | 'mlm';

export interface Model {
  params: BertParams;
  config: BertConfig;
}

export interface TaskOutput {
  loss: tf.Scalar;
  /** Classification: [batch, labels]; MLM: [mask capacity, vocab]. */
  logits: tf.Tensor2D;
}

/** Forward pass and loss; `masked` is required for MLM (the batch's corrupted ids and targets). */
export function taskForward(model: Model, task: Task, batch: Batch, masked: MaskedBatch | undefined, opts: ForwardOptions): TaskOutput {
  const { params, config } = model;
  if (task === 'mlm') {
    if (!masked) throw new Error('an MLM step needs a masked batch');
    const output = bertForward(params, config, { ...batch, inputIds: masked.inputIds }, opts);
    const logits = mlmHead(params, config, output.sequenceOutput, masked.maskedPositions); // [capacity, vocab]
    return { logits, loss: crossEntropyLoss(logits, masked.maskedLabels, masked.maskedWeights) };
  }
  const output = bertForward(params, config, batch, opts);
  if (!output.pooledOutput) throw new Error('classification needs the pooler, which this model lacks');
  const logits = classificationHead(params, config, output.pooledOutput, opts); // [batch, labels]
  if (!batch.labels) throw new Error('a classification batch needs labels');
  const loss = batch.labels instanceof Float32Array
    ? mseLoss(logits, batch.labels, batch.weights)
    : crossEntropyLoss(logits, batch.labels, batch.weights);
  return { logits, loss };
}
