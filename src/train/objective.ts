/**
 * What a training step minimises and an evaluation reads: the model's forward pass on one batch, through the
 * task's head, to its loss and logits. Padding rows (fixed batch size) and padding mask targets (fixed mask
 * capacity) carry weight 0, so shapes repeat from batch to batch without changing the loss. Prediction
 * (predict.ts) reads the same heads without a loss.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/batching';
import type { MaskedBatch } from '../data/masking';
import type { BertBatch } from '../model/bert/batch';
import type { BertConfig } from '../model/bert/config';
import { classificationHead, mlmHead, questionAnsweringHead, tokenClassificationHead } from '../model/bert/heads';
import { bertForward, type ForwardOptions } from '../model/bert/model';
import type { BertParams } from '../model/bert/params';
import { crossEntropyLoss, mseLoss, questionAnsweringLoss } from '../model/losses';
import type { Task } from '../model/task';

export type { Task };

export interface Model {
  params: BertParams;
  config: BertConfig;
}

export interface TaskOutput {
  loss: tf.Scalar;
  /**
   * Classification: [batch, labels]; MLM: [mask capacity, vocab]; token classification: [batch * seq, labels];
   * question answering: [batch * seq, 2], each token's start and end logit.
   */
  logits: tf.Tensor2D;
}

/** Which heads to run: the classifier (on the pooled output, or on every token), and the MLM head at these flat [batch * seq] positions. */
export interface HeadRequest {
  classify?: boolean;
  classifyTokens?: boolean;
  /** qa_outputs on every token: answer-start and answer-end logits. */
  answers?: boolean;
  mlmPositions?: Int32Array;
}

export interface HeadLogits {
  /** [batch, labels] */
  classification?: tf.Tensor2D;
  /** [batch * seq, labels] */
  tokens?: tf.Tensor2D;
  /** [batch * seq, 2]: start, end */
  answers?: tf.Tensor2D;
  /** [positions, vocab] */
  mlm?: tf.Tensor2D;
}

/** One forward pass of the encoder, then the heads asked for: their logits, before any loss or softmax. */
export function headLogits(model: Model, batch: BertBatch, heads: HeadRequest, opts: ForwardOptions): HeadLogits {
  const { params, config } = model;
  const output = bertForward(params, config, batch, opts);
  const logits: HeadLogits = {};
  if (heads.classify) {
    if (!output.pooledOutput) throw new Error('classification needs the pooler, which this model lacks');
    logits.classification = classificationHead(params, config, output.pooledOutput, opts); // [batch, labels]
  }
  if (heads.classifyTokens) logits.tokens = tokenClassificationHead(params, config, output.sequenceOutput, opts); // [batch * seq, labels]
  if (heads.answers) logits.answers = questionAnsweringHead(params, config, output.sequenceOutput, opts); // [batch * seq, 2]
  if (heads.mlmPositions) logits.mlm = mlmHead(params, config, output.sequenceOutput, heads.mlmPositions); // [positions, vocab]
  return logits;
}

/** Forward pass and loss; `masked` is required for MLM (the batch's corrupted ids and targets). */
export function taskForward(model: Model, task: Task, batch: Batch, masked: MaskedBatch | undefined, opts: ForwardOptions): TaskOutput {
  if (task === 'mlm') {
    if (!masked) throw new Error('an MLM step needs a masked batch');
    const logits = headLogits(model, { ...batch, inputIds: masked.inputIds }, { mlmPositions: masked.maskedPositions }, opts).mlm!; // [capacity, vocab]
    return { logits, loss: crossEntropyLoss(logits, masked.maskedLabels, masked.maskedWeights) };
  }
  if (task === 'ner') {
    if (!batch.tokenLabels || !batch.tokenWeights) throw new Error('a token-classification batch needs token labels');
    const logits = headLogits(model, batch, { classifyTokens: true }, opts).tokens!; // [batch * seq, labels]
    // The mean over each word's first token (weight 1), as HF's CrossEntropyLoss with -100 on the others.
    return { logits, loss: crossEntropyLoss(logits, batch.tokenLabels, batch.tokenWeights) };
  }
  if (task === 'qa') return answerForward(model, batch, opts);
  const logits = headLogits(model, batch, { classify: true }, opts).classification!; // [batch, labels]
  if (!batch.labels) throw new Error('a classification batch needs labels');
  const loss = batch.labels instanceof Float32Array
    ? mseLoss(logits, batch.labels, batch.weights)
    : crossEntropyLoss(logits, batch.labels, batch.weights);
  return { logits, loss };
}

/** Question answering: qa_outputs' start and end logits, and HF's mean of their cross-entropies (losses.ts). */
function answerForward(model: Model, batch: Batch, opts: ForwardOptions): TaskOutput {
  const { startPositions, endPositions } = batch;
  if (!startPositions || !endPositions) throw new Error('a question-answering batch needs answer positions');
  const logits = headLogits(model, batch, { answers: true }, opts).answers!; // [batch * seq, 2]
  return { logits, loss: questionAnsweringLoss(logits, batch, startPositions, endPositions, batch.weights) };
}
