/** BertLayer: attention, then the feed-forward block (BertIntermediate + BertOutput). */
import * as tf from '@tensorflow/tfjs';
import { selfAttention, selfOutput, type AttentionShape } from './attention';
import type { BertConfig } from './config';
import { activation, dropout, layerNorm, linear, type DropoutOptions } from '../nn';
import type { BertParams } from './params';

/** One transformer layer on [tokens, hidden]; also returns its attention probabilities [batch, heads, seq, seq]. */
export function bertLayer(
  params: BertParams,
  config: BertConfig,
  index: number,
  hiddenStates: tf.Tensor2D,
  extendedMask: tf.Tensor4D,
  shape: AttentionShape,
  opts: DropoutOptions,
): { output: tf.Tensor2D; probs: tf.Tensor4D } {
  const prefix = `bert.encoder.layer.${index}`;
  const adapter = { lora: config.lora, opts };
  const { context, probs } = selfAttention(params, config, `${prefix}.attention.self`, hiddenStates, extendedMask, shape, opts);
  const attentionOutput = selfOutput(params, config, `${prefix}.attention.output`, context, hiddenStates, opts); // [tokens, hidden]

  // BertIntermediate: [tokens, intermediate]
  const inner = activation(config.hiddenAct, linear(params, `${prefix}.intermediate.dense`, attentionOutput, adapter));

  // BertOutput: dense, dropout, then LayerNorm of the residual sum
  const projected = linear(params, `${prefix}.output.dense`, inner, adapter); // [tokens, hidden]
  const residual: tf.Tensor2D = tf.add(dropout(projected, config.hiddenDropoutProb, `${prefix}.output`, opts), attentionOutput);
  return { output: layerNorm(params, `${prefix}.output.LayerNorm`, residual, config.layerNormEps), probs };
}
