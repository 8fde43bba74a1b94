/**
 * BertModel: embeddings → encoder layers → pooler, as HF's modeling_bert. The heads live in heads.ts.
 *
 * Gradients: call this inside `tf.variableGrads(lossFn, trainable)` (or `tf.grads`) with only the trainable
 * parameters; tfjs then differentiates only along paths from those variables, so frozen parameters cost no
 * gradient work.
 */
import * as tf from '@tensorflow/tfjs';
import { checkBatch, extendedAttentionMask, type BertBatch } from './batch';
import type { BertConfig } from './config';
import { bertEmbeddings } from './embeddings';
import { bertLayer } from './layer';
import { linear, type DropoutOptions } from './nn';
import { POOLER_WEIGHT, type BertParams } from './params';

export interface ForwardOptions extends DropoutOptions {
  /** Also return the embedding output and every layer's output. */
  outputHiddenStates?: boolean;
  /** Also return every layer's attention probabilities. */
  outputAttentions?: boolean;
}

export interface BertOutput {
  /** Last layer's output, [batch, seq, hidden]. */
  sequenceOutput: tf.Tensor3D;
  /** tanh(dense(h[CLS])), [batch, hidden]; only when the parameters include the pooler. */
  pooledOutput?: tf.Tensor2D;
  /** numHiddenLayers + 1 tensors [batch, seq, hidden]: the embeddings, then each layer (HF's hidden_states). */
  hiddenStates?: tf.Tensor3D[];
  /** numHiddenLayers tensors [batch, heads, seq, seq] (HF's attentions). */
  attentions?: tf.Tensor4D[];
}

/** Runs the encoder on a checked batch. Dropout is active only with opts.training. */
export function bertForward(params: BertParams, config: BertConfig, batch: BertBatch, opts: ForwardOptions): BertOutput {
  checkBatch(batch, config);
  const { batchSize, seqLen } = batch;
  const shape = { batchSize, seqLen };
  const toBatch = (x: tf.Tensor2D): tf.Tensor3D => tf.reshape(x, [batchSize, seqLen, config.hiddenSize]); // [batch, seq, hidden]
  const mask = tf.tensor4d(extendedAttentionMask(batch), [batchSize, 1, 1, seqLen]); // [batch, 1, 1, seq]

  let hidden = bertEmbeddings(params, config, batch, opts); // [tokens, hidden]
  const hiddenStates = opts.outputHiddenStates ? [toBatch(hidden)] : undefined;
  const attentions: tf.Tensor4D[] | undefined = opts.outputAttentions ? [] : undefined;
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const layer = bertLayer(params, config, i, hidden, mask, shape, opts);
    hidden = layer.output;
    hiddenStates?.push(toBatch(hidden));
    attentions?.push(layer.probs);
  }
  const sequenceOutput = toBatch(hidden);
  const output: BertOutput = { sequenceOutput };
  if (params.has(POOLER_WEIGHT)) output.pooledOutput = pooler(params, sequenceOutput);
  if (hiddenStates) output.hiddenStates = hiddenStates;
  if (attentions) output.attentions = attentions;
  return output;
}

/** BertPooler: tanh(dense(hidden state of the first token, [CLS])). */
function pooler(params: BertParams, sequenceOutput: tf.Tensor3D): tf.Tensor2D {
  const [batchSize, , hidden] = sequenceOutput.shape;
  const first = tf.slice(sequenceOutput, [0, 0, 0], [batchSize, 1, hidden]); // [batch, 1, hidden]
  return tf.tanh(linear(params, 'bert.pooler.dense', tf.reshape(first, [batchSize, hidden]))); // [batch, hidden]
}
