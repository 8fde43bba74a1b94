/** BertAttention: multi-head self-attention (BertSelfAttention) and its projection + residual (BertSelfOutput). */
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from './config';
import { dropout, dropoutSeed, layerNorm, linear, type DropoutOptions } from '../nn';
import type { BertParams } from './params';
import { attentionContext, attentionProbs, fusedAttentionAvailable } from '../../kernels/webgpuAttention';

export interface AttentionShape {
  batchSize: number;
  seqLen: number;
}

/**
 * Scaled dot-product attention over all heads (eager, as HF's "eager" implementation).
 * extendedMask is [batch, 1, 1, seq]: 0 for keys to attend, float32 min for padding.
 * Returns the context [tokens, hidden] and the attention probabilities [batch, heads, seq, seq].
 * On WebGPU's software adapters the core runs as the studio's fused kernels (webgpuAttention.ts): the same
 * numbers to rounding, and the same dropout masks, in 7 dispatches per layer and step instead of about 27.
 */
export function selfAttention(
  params: BertParams,
  config: BertConfig,
  prefix: string,
  hiddenStates: tf.Tensor2D,
  extendedMask: tf.Tensor4D,
  shape: AttentionShape,
  opts: DropoutOptions,
  site = prefix,
): { context: tf.Tensor2D; probs: tf.Tensor4D } {
  const { batchSize, seqLen } = shape;
  const heads = config.numAttentionHeads;
  const headDim = config.hiddenSize / heads;
  const splitHeads = (x: tf.Tensor2D): tf.Tensor4D =>
    tf.transpose(tf.reshape(x, [batchSize, seqLen, heads, headDim]), [0, 2, 1, 3]); // [batch, heads, seq, headDim]

  const [queryTokens, keyTokens, valueTokens] = ['query', 'key', 'value'].map((name) => linear(params, `${prefix}.${name}`, hiddenStates, { lora: config.lora, opts })); // [tokens, hidden]
  if (fusedAttentionAvailable(headDim)) {
    const layout = { batch: batchSize, seq: seqLen, heads, headDim };
    const probs = attentionProbs(queryTokens, keyTokens, extendedMask, layout); // [batch, heads, seq, seq]
    const rate = config.attentionProbsDropoutProb;
    // The draws tf.dropout makes in nn.ts's dropout for this site: the same seed gives the same mask.
    const dropout = opts.training && rate > 0
      ? { noise: tf.randomUniform(probs.shape, 0, 1, 'float32', dropoutSeed(site, opts)) as tf.Tensor4D, rate }
      : undefined;
    return { context: attentionContext(probs, valueTokens, layout, dropout), probs };
  }
  const [query, key, value] = [queryTokens, keyTokens, valueTokens].map(splitHeads);
  const scores = tf.add(tf.div(tf.matMul(query, key, false, true), Math.sqrt(headDim)), extendedMask); // [batch, heads, seq, seq]
  const probs = tf.softmax(scores) as tf.Tensor4D; // [batch, heads, seq, seq]
  const dropped = dropout(probs, config.attentionProbsDropoutProb, site, opts);
  const context = tf.transpose(tf.matMul(dropped, value), [0, 2, 1, 3]); // [batch, seq, heads, headDim]
  return { context: tf.reshape(context, [batchSize * seqLen, config.hiddenSize]), probs }; // [tokens, hidden]
}

/** BertSelfOutput: dense, dropout, then LayerNorm of the residual sum. */
export function selfOutput(
  params: BertParams,
  config: BertConfig,
  prefix: string,
  context: tf.Tensor2D,
  input: tf.Tensor2D,
  opts: DropoutOptions,
  site = prefix,
): tf.Tensor2D {
  const projected = linear(params, `${prefix}.dense`, context, { lora: config.lora, opts }); // [tokens, hidden]
  const residual: tf.Tensor2D = tf.add(dropout(projected, config.hiddenDropoutProb, site, opts), input);
  return layerNorm(params, `${prefix}.LayerNorm`, residual, config.layerNormEps);
}
