// What the benchmark's Node side asks its page for, and what the page reports back (plain JSON both ways).
import type { BackendName } from '../../src/kernels/backend';

/**
 * 'fixture': the golden fixture model (hidden 32); 'default': the bundled model's shape (hidden 128, vocab 8000);
 * 'mini': BERT-Mini's shape (4 layers, hidden 256, vocab 30,522), at seq 128.
 */
export type BenchModelName = 'fixture' | 'default' | 'mini';

/** 'fused': the studio's AdamW kernel (WGSL on WebGPU, one JavaScript pass on wasm); 'tf-ops': AdamW as tf ops. */
export type AdamWForm = 'fused' | 'tf-ops';

/** 'loop': src/kernels/reductions.ts (WebGPU only); 'tfjs': tfjs's own Sum, Mean, Max and Softmax kernels. */
export type ReductionForm = 'loop' | 'tfjs';

/** 'plain': src/kernels/wasmMatMul.ts (transposed operands made plain first; wasm only); 'tfjs': tfjs-wasm's own. */
export type MatMulForm = 'plain' | 'tfjs';

/** Which of the studio's kernels a run uses: on WebGPU AdamW and reductions, on wasm the matMul. */
export interface KernelSet {
  adamw: AdamWForm;
  reductions: ReductionForm;
  /** wasm only. */
  matmul?: MatMulForm;
}

export interface BenchRequest {
  backend: BackendName;
  /** wasm only: its threads (the page is cross-origin isolated); default every core. */
  threads?: number;
  /** Timed steps per kernel set and measurement (after `warmup` untimed ones; see schedule.ts). */
  steps: number;
  warmup: number;
  batchSize: number;
  /** Tokens per example of the fixture and default models (mini takes 128). */
  seqLen: number;
}

export interface ModelShape {
  /** Tokens per example it was timed at. */
  seqLen: number;
  layers: number;
  hidden: number;
  vocab: number;
  parameters: number;
  parameterTensors: number;
}

/** Timings of full training steps (Trainer: forward, backward, clipping, AdamW, the loss readback). */
export interface TrainingRun {
  model: BenchModelName;
  shape: ModelShape;
  kernels: KernelSet;
  stepMs: number[];
  medianMs: number;
  /** tfjs kernel invocations per step (forward, backward and optimizer). */
  kernelsPerStep: number;
  /** WebGPU compute dispatches per step; null on other backends. */
  dispatchesPerStep: number | null;
  /** The most frequent kernels of one step, by count. */
  topKernels: [name: string, perStep: number][];
}

/** Timings of the optimizer alone: AdamW over every parameter of the model, synchronised by a readback. */
export interface OptimizerRun {
  model: BenchModelName;
  adamw: AdamWForm;
  stepMs: number[];
  medianMs: number;
  dispatchesPerStep: number | null;
}

export interface MatmulRun {
  size: number;
  ms: number[];
  /** 2·n³ / median time. */
  gflops: number;
}

export interface BenchReport {
  backend: BackendName;
  adapter: string | null;
  userAgent: string;
  hardwareConcurrency: number;
  /** The threads wasm computed on; null on other backends. */
  threads: number | null;
  request: BenchRequest;
  matmul: MatmulRun;
  training: TrainingRun[];
  optimizer: OptimizerRun[];
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
