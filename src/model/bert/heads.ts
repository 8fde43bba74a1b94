/** The task heads on top of BertModel: masked-LM (BertOnlyMLMHead), sequence and token classification, question answering. */
import * as tf from '@tensorflow/tfjs';
import { checkIds } from './batch';
import type { BertConfig } from './config';
import { embeddingLookup } from '../embeddingLookup';
import { activation, dropout, layerNorm, linear, type DropoutOptions } from '../nn';
import { param } from '../params';
import { WORD_EMBEDDINGS, type BertParams } from './params';

/**
 * MLM logits at the given positions only: projecting every token onto the vocabulary would cost
 * tokens × vocab × hidden for the few positions that carry a label.
 * positions: flat indices into [batch * seq] (row-major). Returns [positions, vocab].
 */
export function mlmHead(
  params: BertParams,
  config: BertConfig,
  sequenceOutput: tf.Tensor3D,
  positions: Int32Array,
): tf.Tensor2D {
  const [batchSize, seqLen] = sequenceOutput.shape;
  checkIds('positions', positions, positions.length, batchSize * seqLen);
  const selected = embeddingLookup(tokenRows(sequenceOutput), positions); // [positions, hidden]

  // BertPredictionHeadTransform: dense, activation, LayerNorm
  const dense = linear(params, 'cls.predictions.transform.dense', selected); // [positions, hidden]
  const transformed = activation(config.mlmAct, dense);
  const normed = layerNorm(params, 'cls.predictions.transform.LayerNorm', transformed, config.layerNormEps);

  // The decoder is tied to the word embeddings [vocab, hidden], with its own bias.
  const logits = tf.matMul(normed, param(params, WORD_EMBEDDINGS), false, true); // [positions, vocab]
  return tf.add(logits, param(params, 'cls.predictions.bias'));
}

/** BertForSequenceClassification's head: dropout, then the classifier on the pooled output. Returns [batch, labels]. */
export function classificationHead(
  params: BertParams,
  config: BertConfig,
  pooledOutput: tf.Tensor2D,
  opts: DropoutOptions,
): tf.Tensor2D {
  const rate = config.classifierDropout ?? config.hiddenDropoutProb;
  return linear(params, 'classifier', dropout(pooledOutput, rate, 'classifier', opts)); // [batch, labels]
}

/**
 * *ForTokenClassification's head: dropout, then the classifier on every token's hidden state. DistilBERT drops out
 * at its `dropout` (HF's DistilBertForTokenClassification), the others at classifier_dropout or the hidden dropout.
 * Returns [batch * seq, labels], row-major by token, as the per-token labels are laid out.
 */
export function tokenClassificationHead(
  params: BertParams,
  config: BertConfig,
  sequenceOutput: tf.Tensor3D,
  opts: DropoutOptions,
): tf.Tensor2D {
  const rate = config.modelType === 'distilbert' ? config.hiddenDropoutProb : config.classifierDropout ?? config.hiddenDropoutProb;
  return linear(params, 'classifier', dropout(tokenRows(sequenceOutput), rate, 'classifier', opts)); // [tokens, labels]
}

/**
 * *ForQuestionAnswering's head: qa_outputs on every token's hidden state, its two outputs the answer-start and
 * answer-end logits. BERT and ELECTRA apply no dropout here; DistilBERT drops out first (HF's qa_dropout, read as its
 * `dropout`, both 0.1 by default). Returns [batch * seq, 2], row-major by token.
 */
export function questionAnsweringHead(
  params: BertParams,
  config: BertConfig,
  sequenceOutput: tf.Tensor3D,
  opts: DropoutOptions,
): tf.Tensor2D {
  const tokens = tokenRows(sequenceOutput); // [tokens, hidden]
  const input = config.modelType === 'distilbert' ? dropout(tokens, config.hiddenDropoutProb, 'qa_outputs', opts) : tokens;
  return linear(params, 'qa_outputs', input); // [tokens, 2]
}

/** Every token's hidden state as a row: [batch, seq, hidden] → [batch * seq, hidden], row-major by token. */
function tokenRows(sequenceOutput: tf.Tensor3D): tf.Tensor2D {
  const [batchSize, seqLen, hidden] = sequenceOutput.shape;
  return tf.reshape(sequenceOutput, [batchSize * seqLen, hidden]) as tf.Tensor2D; // [tokens, hidden]
}
