/** BertLayer: attention, then the feed-forward block (BertIntermediate + BertOutput). */
import * as tf from '@tensorflow/tfjs';
import { selfAttention, selfOutput, type AttentionShape } from './attention';
import { layerWeightsOf, type BertConfig } from './config';
import { activation, dropout, layerNorm, linear, type DropoutOptions } from '../nn';
import type { BertParams } from './params';

/**
 * Layer `index` on [tokens, hidden], with the weights it runs (layerWeightsOf: its own, or ALBERT's shared set) and
 * dropout masks of its own; also returns its attention probabilities [batch, heads, seq, seq].
 */
export function bertLayer(
  params: BertParams,
  config: BertConfig,
  index: number,
  hiddenStates: tf.Tensor2D,
  extendedMask: tf.Tensor4D,
  shape: AttentionShape,
  opts: DropoutOptions,
): { output: tf.Tensor2D; probs: tf.Tensor4D } {
  const prefix = `bert.encoder.layer.${layerWeightsOf(config, index)}`;
  const site = `bert.encoder.layer.${index}`;
  const adapter = { lora: config.lora, opts };
  const { context, probs } = selfAttention(params, config, `${prefix}.attention.self`, hiddenStates, extendedMask, shape, opts, `${site}.attention.self`);
  const attentionOutput = selfOutput(params, config, `${prefix}.attention.output`, context, hiddenStates, opts, `${site}.attention.output`); // [tokens, hidden]

  // BertIntermediate: [tokens, intermediate]
  const inner = activation(config.hiddenAct, linear(params, `${prefix}.intermediate.dense`, attentionOutput, adapter));

  // BertOutput: dense, dropout (not ALBERT's), then LayerNorm of the residual sum
  const projected = linear(params, `${prefix}.output.dense`, inner, adapter); // [tokens, hidden]
  const dropped = config.feedForwardDropout ? dropout(projected, config.hiddenDropoutProb, `${site}.output`, opts) : projected;
  const residual: tf.Tensor2D = tf.add(dropped, attentionOutput);
  return { output: layerNorm(params, `${prefix}.output.LayerNorm`, residual, config.layerNormEps), probs };
}
