/**
 * Rough GPU memory of fine-tuning, in float32 bytes: weights, AdamW's two moment tensors, gradients, and the
 * activations the backward pass keeps. Per layer and token the forward pass keeps about
 * 13·hidden + 2·intermediate floats (layer input, Q, K, V, context, attention output, dropout and
 * LayerNorm inputs/outputs, GELU input and output) plus 3·heads·seq for the attention scores, their softmax
 * and its dropout, as in Korthikanti et al. 2022 ("Reducing Activation Recomputation"), counted in float32.
 * The MLM head adds logits and softmax over the vocabulary for every token. tfjs's buffer pool keeps
 * freed buffers, so real use sits above this estimate.
 */
import type { Task } from './objective';

const FLOAT_BYTES = 4;

export interface MemoryEstimate {
  weights: number;
  /** AdamW first and second moments: two tensors per trainable weight. */
  optimizer: number;
  gradients: number;
  activations: number;
  total: number;
}

/** The sizes the estimate reads (the worker's ModelSummary has them all). */
export interface ArchitectureSizes {
  numLayers: number;
  hiddenSize: number;
  numHeads: number;
  intermediateSize: number;
  vocabSize: number;
  numParams: number;
}

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

/** Errors that mean an allocation failed: WebGPU and wasm phrase them differently, V8 too. */
const OUT_OF_MEMORY = /out of memory|allocation fail|failed to allocate|memory access out of bounds|array buffer allocation|\boom\b/i;

export function isOutOfMemory(err: unknown): boolean {
  return err instanceof Error && OUT_OF_MEMORY.test(err.message);
}

/**
 * What to tell a user whose run ran out of memory: the estimate for the settings that failed, and the changes
 * that shrink it most (activations scale with batch × length; freezing removes gradients and moments).
 */
export function outOfMemoryAdvice(sizes: ArchitectureSizes, batch: number, seqLen: number, task: Task): string {
  const estimate = estimateMemory(sizes, batch, seqLen, task);
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`;
  const tries: string[] = [];
  if (batch > 1) tries.push(`batch size ${Math.max(1, Math.floor(batch / 2))} (with gradient accumulation 2 for the same effective batch)`);
  if (seqLen > 32) tries.push(`max length ${Math.max(16, Math.floor(seqLen / 2))} if the token-length histogram allows it`);
  tries.push('freezing the embeddings and lower layers (no gradients or AdamW moments for them)');
  return (
    `The run ran out of memory. At batch ${batch} × ${seqLen} tokens it needs about ${mb(estimate.total)} ` +
    `(weights ${mb(estimate.weights)}, AdamW ${mb(estimate.optimizer)}, gradients ${mb(estimate.gradients)}, activations ${mb(estimate.activations)}). ` +
    `Try ${tries.join('; or ')}.`
  );
}
