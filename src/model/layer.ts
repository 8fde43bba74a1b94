/** BertLayer: attention, then the feed-forward block (BertIntermediate + BertOutput). */
import * as tf from '@tensorflow/tfjs';
import { selfAttention, selfOutput, type AttentionShape } from './attention';
import type { BertConfig } from './config';
import { activation, dropout, layerNorm, linear, type DropoutOptions } from './nn';
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
  const attention = selfAttention(params, config, `${prefix}.attention.self`, hiddenStates, extendedMask, shape, opts);
  const attentionOutput = selfOutput(params, config, `${prefix}.attention.output`, attention.context, hiddenStates, opts); // [tokens, hidden]
  const intermediate = activation(config.hiddenAct, linear(params, `${prefix}.intermediate.dense`, attentionOutput)); // [tokens, intermediate]
  const projected = dropout(linear(params, `${prefix}.output.dense`, intermediate), config.hiddenDropoutProb, `${prefix}.output`, opts); // [tokens, hidden]
  const output = layerNorm(params, `${prefix}.output.LayerNorm`, tf.add(projected, attentionOutput), config.layerNormEps);
  return { output, probs: attention.probs };
}
