/**
 * BertModel: embeddings → encoder layers → pooler, as HF's modeling_bert. The heads live in heads.ts.
 *
 * Gradients: call this inside `tf.variableGrads(lossFn, trainable)` (or `tf.grads`) with only the trainable
 * parameters; tfjs then differentiates only along paths from those variables, so frozen parameters cost no
 * gradient work.
 */
import * as tf from '@tensorflow/tfjs';
import { checkBatch, extendedAttentionMask, type BertBatch } from './batch';
import { layerWeightsOf, type BertConfig } from './config';
import { bertEmbeddings } from './embeddings';
import { bertLayer } from './layer';
import { activation, dropout, linear, type DropoutOptions } from '../nn';
import { POOLER_WEIGHT, type BertParams } from './params';
import { recomputed } from '../recompute';

export interface ForwardOptions extends DropoutOptions {
  /** Also return the embedding output and every layer's output. */
  outputHiddenStates?: boolean;
  /** Also return every layer's attention probabilities. */
  outputAttentions?: boolean;
  /**
   * Training only: keep each layer's input alone and recompute its activations in the backward pass
   * (recompute.ts): a layer holds one [tokens, hidden] tensor instead of its activations (memory.ts counts them),
   * for one more forward pass.
   */
  gradientCheckpointing?: boolean;
}

export interface BertOutput {
  /** Last layer's output, [batch, seq, hidden]. */
  sequenceOutput: tf.Tensor3D;
  /** tanh(dense(h[CLS])) (ReLU for DistilBERT), [batch, hidden]; only when the parameters include the pooler. */
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
    // A layer's intermediates that its backward pass does not need are freed as the layer ends, not with the whole
    // forward pass: the gradient tape keeps what it saved for itself.
    const layer = tf.tidy(() => {
      if (opts.gradientCheckpointing && opts.training && !attentions) {
        const block = (x: tf.Tensor2D, [m]: readonly tf.Tensor[]) => bertLayer(params, config, i, x, m as tf.Tensor4D, shape, opts).output;
        return { output: recomputed(block, hidden, [mask], layerWeights(params, config, i)), probs: undefined };
      }
      const { output, probs } = bertLayer(params, config, i, hidden, mask, shape, opts);
      return attentions ? { output, probs } : { output };
    });
    hidden = layer.output;
    hiddenStates?.push(toBatch(hidden));
    if (layer.probs) attentions?.push(layer.probs);
  }
  const sequenceOutput = toBatch(hidden);
  const output: BertOutput = { sequenceOutput };
  if (params.has(POOLER_WEIGHT)) output.pooledOutput = pooler(params, config, sequenceOutput, opts);
  if (hiddenStates) output.hiddenStates = hiddenStates;
  if (attentions) output.attentions = attentions;
  return output;
}

/** Layer `index`'s trainable weights (its own, or ALBERT's shared set): what a recomputed layer needs gradients for. */
function layerWeights(params: BertParams, config: BertConfig, index: number): tf.Variable[] {
  const prefix = `bert.encoder.layer.${layerWeightsOf(config, index)}.`;
  return [...params].filter(([name, p]) => name.startsWith(prefix) && p.trainable).map(([, p]) => p);
}

/**
 * BertPooler: tanh(dense(hidden state of the first token, [CLS])). DistilBERT's pre_classifier takes ReLU instead;
 * ELECTRA's classification head drops [CLS] out first and takes GELU.
 */
function pooler(params: BertParams, config: BertConfig, sequenceOutput: tf.Tensor3D, opts: DropoutOptions): tf.Tensor2D {
  const [batchSize, , hidden] = sequenceOutput.shape;
  const first = tf.reshape(tf.slice(sequenceOutput, [0, 0, 0], [batchSize, 1, hidden]), [batchSize, hidden]) as tf.Tensor2D; // [batch, hidden]
  const input = config.poolerInputDropout ? dropout(first, config.classifierDropout ?? config.hiddenDropoutProb, 'bert.pooler', opts) : first;
  const dense = linear(params, 'bert.pooler.dense', input); // [batch, hidden]
  if (config.poolerAct === 'relu') return tf.relu(dense);
  return config.poolerAct === 'gelu' ? activation('gelu', dense) : tf.tanh(dense);
}
