/**
 * The memory fine-tuning needs at its peak, in float32 bytes: weights, AdamW's two moment tensors, gradients, and
 * the activations the backward pass keeps. The activation terms are counted from what tfjs 4.22's tape keeps for
 * one BERT layer with this studio's kernels, and checked against the peak of live tfjs bytes measured in training
 * steps of bert-base-shaped models on wasm (docs/PERFORMANCE.md, "Memory"): per token, a layer keeps about
 * 40·hidden + 3·intermediate + 8·heads·seq floats (its inputs, Q/K/V and their per-head copies, the attention
 * scores, softmax and dropout masks, LayerNorm and GELU inputs), and the embeddings and the backward pass's
 * working set about 32·hidden more. With gradient checkpointing a layer keeps only its input, and one layer's
 * activations exist again while it is recomputed. The sum of the parts sits a few percent above the measured
 * peaks (the gradients of the lower layers do not yet exist when the upper layers' activations are largest).
 */
import type { Task } from '../model/task';

const FLOAT_BYTES = 4;

export interface MemoryEstimate {
  weights: number;
  /** AdamW first and second moments: two tensors per trainable weight. */
  optimizer: number;
  gradients: number;
  activations: number;
  /** The engine's peak: the parts above added up. */
  total: number;
  /** Whether the activations are those of gradient checkpointing (each layer's input, one layer recomputed). */
  gradientCheckpointing: boolean;
  /** Each peer worker's peak (weights, gradients, its part's activations); 0 without peers (parallel.ts). */
  perPeer: number;
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

/**
 * `parts`: the batch is computed in this many parts at once, one by the engine and one by each peer worker
 * (parallel.ts): each keeps its part's activations, and the engine sums the parts' gradients into a buffer of its
 * own, whose mean the optimizer then takes, two weight-sized copies.
 */
export function estimateMemory(
  summary: ArchitectureSizes,
  batch: number,
  seqLen: number,
  task: Task = 'classify',
  gradientCheckpointing = false,
  parts = 1,
): MemoryEstimate {
  for (const [name, value] of [['batch', batch], ['sequence length', seqLen]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number >= 1, got ${value}`);
  }
  const { numLayers, hiddenSize: h, numHeads: heads, intermediateSize: inter, vocabSize, numParams } = summary;
  const weights = numParams * FLOAT_BYTES;
  const tokens = Math.ceil(batch / parts) * seqLen;
  const perLayer = 40 * h + 3 * inter + 8 * heads * seqLen;
  const embeddings = 32 * h;
  const head = task === 'mlm' ? 2 * h + 2 * vocabSize : 0; // transform + LayerNorm, logits + softmax
  const perToken = gradientCheckpointing ? numLayers * h + perLayer + embeddings + head : numLayers * perLayer + embeddings + head;
  const activations = tokens * perToken * FLOAT_BYTES;
  const optimizer = 2 * weights;
  const gradients = parts > 1 ? 2 * weights : weights;
  const perPeer = parts > 1 ? 2 * weights + activations : 0;
  return { weights, optimizer, gradients, activations, total: weights + optimizer + gradients + activations, gradientCheckpointing, perPeer };
}

/**
 * The estimated peak a backend can hold, or null where no fixed bound is known (WebGPU: the adapter and driver
 * decide; cpu: the JavaScript heap). wasm's heap is 32-bit, 4 GiB; tfjs-wasm's allocator needed up to 1.29× the
 * peak of live tensors in the runs measured (fragmentation), so 3 GiB of estimated peak is what a run may plan.
 */
export function memoryBudget(backend: string): number | null {
  return backend === 'wasm' ? 3 * 2 ** 30 : null;
}

export interface MemoryPlan {
  gradientCheckpointing: boolean;
  estimate: MemoryEstimate;
  /** Why gradient checkpointing was turned on, for the user; null when the settings stand as given. */
  note: string | null;
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`;

/** The largest batch whose estimate fits `budget` at this length, with checkpointing on; 0 if none does. */
export function largestBatch(sizes: ArchitectureSizes, seqLen: number, task: Task, budget: number, parts = 1): number {
  const fixed = estimateMemory(sizes, 1, seqLen, task, true, parts);
  const perExample = fixed.activations;
  const room = budget - (fixed.total - perExample);
  // Each part holds a share of the batch: the engine's part may grow to the room left, the others with it.
  return room < perExample ? 0 : Math.floor(room / perExample) * parts;
}

/**
 * How a run fits the backend: as asked where it fits (or where the backend states no bound), with gradient
 * checkpointing where only that fits, and otherwise an error naming the largest batch that would.
 */
export function planMemory(
  sizes: ArchitectureSizes,
  batch: number,
  seqLen: number,
  task: Task,
  backend: string,
  gradientCheckpointing: boolean,
  parts = 1,
): MemoryPlan {
  // Each worker has a heap of its own; the engine's, holding AdamW's moments too, is the fullest.
  const asked = estimateMemory(sizes, batch, seqLen, task, gradientCheckpointing, parts);
  const budget = memoryBudget(backend);
  if (budget === null || asked.total <= budget) return { gradientCheckpointing, estimate: asked, note: null };
  const checkpointed = estimateMemory(sizes, batch, seqLen, task, true, parts);
  if (checkpointed.total <= budget) {
    return {
      gradientCheckpointing: true,
      estimate: checkpointed,
      note:
        `Gradient checkpointing is on: at batch ${batch} × ${seqLen} tokens this run needs about ${mb(asked.total)}, more than ` +
        `${backend}'s ${mb(budget)}; recomputing each layer in the backward pass brings it to ${mb(checkpointed.total)}, ` +
        'for about a third more time per step.',
    };
  }
  const largest = largestBatch(sizes, seqLen, task, budget, parts);
  throw new MemoryError(
    `At batch ${batch} × ${seqLen} tokens this run needs about ${mb(checkpointed.total)} even with gradient checkpointing, more ` +
      `than ${backend}'s ${mb(budget)}. ` +
      (largest > 0
        ? `The largest batch that fits at ${seqLen} tokens is ${largest} (use gradient accumulation for a larger effective batch), `
        : `No batch fits at ${seqLen} tokens; `) +
      'or switch to WebGPU on a GPU.',
  );
}

/** A run that cannot fit the backend's memory, said before anything is allocated. */
export class MemoryError extends Error {
  readonly code = 'too-large';
  override name = 'MemoryError';
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
