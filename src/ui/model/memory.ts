/**
 * Rough GPU memory of fine-tuning, in float32 bytes: weights, AdamW's two moment tensors, gradients, and the
 * activations the backward pass keeps. Per layer and token the forward pass keeps about
 * 13·hidden + 2·intermediate floats (layer input, Q, K, V, context, attention output, dropout and
 * LayerNorm inputs/outputs, GELU input and output) plus 3·heads·seq for the attention scores, their softmax
 * and its dropout, as in Korthikanti et al. 2022 ("Reducing Activation Recomputation"), counted in float32.
 * The MLM head adds logits and softmax over the vocabulary for every token. tfjs's buffer pool keeps
 * freed buffers, so real use sits above this estimate.
 */
import type { ModelSummary, Task } from '../../worker/protocol';

const FLOAT_BYTES = 4;

export interface MemoryEstimate {
  weights: number;
  /** AdamW first and second moments: two tensors per trainable weight. */
  optimizer: number;
  gradients: number;
  activations: number;
  total: number;
}

export type ArchitectureSizes = Pick<ModelSummary, 'numLayers' | 'hiddenSize' | 'numHeads' | 'intermediateSize' | 'vocabSize' | 'numParams'>;

export function estimateMemory(summary: ArchitectureSizes, batch: number, seqLen: number, task: Task = 'classify'): MemoryEstimate {
  for (const [name, value] of [['batch', batch], ['sequence length', seqLen]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number >= 1, got ${value}`);
  }
  const { numLayers, hiddenSize: h, numHeads: heads, intermediateSize: inter, vocabSize, numParams } = summary;
  const weights = numParams * FLOAT_BYTES;
  const tokens = batch * seqLen;
  const perLayerPerToken = 13 * h + 2 * inter + 3 * heads * seqLen;
  const embeddings = 4 * h; // sum of the three embeddings, LayerNorm output, dropout
  const head = task === 'mlm' ? 2 * h + 2 * vocabSize : 0; // transform + LayerNorm, logits + softmax
  const activations = tokens * (numLayers * perLayerPerToken + embeddings + head) * FLOAT_BYTES;
  const optimizer = 2 * weights;
  const gradients = weights;
  return { weights, optimizer, gradients, activations, total: weights + optimizer + gradients + activations };
}
