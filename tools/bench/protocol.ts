// What the benchmark's Node side asks its page for, and what the page reports back (plain JSON both ways).
import type { BackendName } from '../../src/kernels/backend';

/**
 * 'tiny': the bundled model (public/models/bert-tiny-en: 2 layers, hidden 128, vocab 8,000); 'mini': BERT-Mini's
 * shape (4 layers, hidden 256, vocab 30,522); 'base': bert-base's (12 layers, hidden 768). Synthetic weights, seq 128.
 */
export type BenchConfigName = 'tiny' | 'mini' | 'base';

/** The studio's kernels, each behind a tfjs boolean flag that is on by default (src/kernels, plan.ts). */
export type StudioKernel =
  | 'fusedAdamW'
  | 'inPlaceAdamW'
  | 'loopReductions'
  | 'plainMatMul'
  | 'blockedMatMul'
  | 'sharedIdentity'
  | 'fusedLayerNorm'
  | 'fusedGelu'
  | 'fusedBias'
  | 'fusedAttention'
  | 'fusedEmbedding'
  | 'fusedCrossEntropy';

/**
 * Which of the studio's kernels a run switches off: none in the shipped set, all of them in 'stock' (stock tfjs
 * kernels under the studio's model code, which no flag switches off). Flags of another backend's kernels do nothing.
 */
export interface KernelSet {
  name: string;
  off: StudioKernel[];
}

export interface BenchRequest {
  backend: BackendName;
  /** wasm only: its threads (the page is cross-origin isolated); default every core. */
  threads?: number;
  /** wasm only: peer workers computing part of every batch (src/worker/peers.ts); default as many as the studio's runs have. */
  peers?: number;
  configs: BenchConfigName[];
  /** Timed steps per kernel set and measurement (after `warmup` untimed ones; see schedule.ts), unless plan.ts caps them. */
  steps: number;
  warmup: number;
  /** Shipped kernels against stock tfjs only, no intermediate sets (plan.ts). */
  quick: boolean;
}

/** How one config is run on one backend (plan.ts). */
export interface ConfigPlan {
  config: BenchConfigName;
  batchSize: number;
  /** Tokens per example: every example is this long, so a step's tokens are batchSize × seqLen. */
  seqLen: number;
  warmup: number;
  steps: number;
}

export interface ModelShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocab: number;
  parameters: number;
  parameterTensors: number;
}

/** Timings of full training steps (Trainer: forward, backward, clipping, AdamW, the loss readback) with one kernel set. */
export interface TrainingRun {
  kernels: KernelSet;
  stepMs: number[];
  medianMs: number;
  /** tfjs kernel invocations per step (forward, backward and optimizer). */
  kernelsPerStep: number;
  /** WebGPU compute dispatches per step; null on other backends. */
  dispatchesPerStep: number | null;
  /** The most frequent kernels of one step, by count. */
  topKernels: [name: string, perStep: number][];
  /** The most live tensor bytes (tf.memory().numBytes) seen after any kernel of the counted steps. */
  peakBytes: number;
}

/** One config on one backend: its inference latency and its training steps, every kernel set interleaved. */
export interface ConfigRun {
  plan: ConfigPlan;
  shape: ModelShape;
  /** As the studio decides it for this backend, batch and length (src/train/memory.ts planMemory). */
  gradientCheckpointing: boolean;
  /** FLOPs of one training step, counted from the shapes (flops.ts). */
  stepFlops: number;
  /** Forward passes alone (no gradient tape) with the shipped kernels, each ended by reading the logits back. */
  inferenceMs: number[];
  inferenceMedianMs: number;
  /** One run per kernel set, the shipped set first and stock tfjs last. */
  training: TrainingRun[];
  /** tf.memory().numTensors at the first and at the last timed step's callback: equal unless steps leak. */
  numTensors: { start: number; end: number };
  /** wasm: the heap's size after the run, its high-water mark over the page so far (it never shrinks); else null. */
  wasmHeapBytes: number | null;
}

export interface MatmulRun {
  size: number;
  /** The studio's kernels, or stock tfjs's (WebGPU only: the studio's blocked matMul switched off). */
  kernels: 'shipped' | 'stock';
  ms: number[];
  /** 2·n³ / median time. */
  gflops: number;
}

export interface BenchReport {
  backend: BackendName;
  /** The WebGPU adapter's description, whichever backend runs ("google swiftshader" without a GPU); null without one. */
  adapter: string | null;
  softwareAdapter: boolean;
  userAgent: string;
  hardwareConcurrency: number;
  /** The threads wasm computed on; null on other backends. */
  threads: number | null;
  /** The peer workers training steps had (each on one thread). */
  peers: number;
  request: BenchRequest;
  matmul: MatmulRun[];
  configs: ConfigRun[];
}

/** The answer to the accuracy check of the fused AdamW kernel against the tf-ops form. */
export interface AdamWComparison {
  backend: string;
  fusedUsed: boolean;
  steps: number;
  /**
   * Per tensor: max |fused − reference| / max |reference|, for the parameter, its change since the start
   * (the sum of the updates, a stricter test than the parameter itself) and both moments.
   */
  errors: { name: string; kind: 'param' | 'update' | 'm' | 'v'; relError: number }[];
  /** tf.memory().numTensors after each step: flat once the moments exist (no leak per step). */
  tensorCounts: number[];
}

/** The loop reductions against tfjs's WebGPU kernels, case by case (ops, and a gradient through them). */
export interface ReductionComparison {
  backend: string;
  /** Shader keys (up to their shape suffix) dispatched with the replacement on. */
  shaders: string[];
  cases: { name: string; sameShapes: boolean; relError: number }[];
}
