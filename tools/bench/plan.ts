// What each backend runs: the kernel sets compared and, per config, the batch and step counts.
import type { BackendName } from '../../src/kernels/backend';
import type { BenchConfigName, ConfigPlan, KernelSet, StudioKernel } from './protocol';

export const STUDIO_KERNELS: readonly StudioKernel[] = [
  'fusedAdamW',
  'inPlaceAdamW',
  'loopReductions',
  'plainMatMul',
  'blockedMatMul',
  'sharedIdentity',
  'fusedLayerNorm',
  'fusedGelu',
  'fusedBias',
  'fusedAttention',
  'fusedEmbedding',
  'fusedCrossEntropy',
];

export const SHIPPED: KernelSet = { name: 'shipped', off: [] };
export const STOCK: KernelSet = { name: 'stock', off: [...STUDIO_KERNELS] };
/** The shipped set but AdamW as ~14 tf ops per parameter: what the fused kernel alone is worth. */
const TF_OPS_ADAMW: KernelSet = { name: 'tf-ops-adamw', off: ['fusedAdamW', 'inPlaceAdamW'] };

export const isShipped = (kernels: KernelSet): boolean => kernels.off.length === 0;
export const isStock = (kernels: KernelSet): boolean => STUDIO_KERNELS.every((k) => kernels.off.includes(k));

/**
 * The sets a backend's training steps are timed with, interleaved (schedule.ts), the shipped set first and stock
 * tfjs last. None of the studio's kernels runs on cpu, so there it has one set.
 */
export function kernelSets(backend: BackendName, quick: boolean): KernelSet[] {
  if (backend === 'cpu') return [SHIPPED];
  return quick ? [SHIPPED, STOCK] : [SHIPPED, TF_OPS_ADAMW, STOCK];
}

/** Every config at the sequence length BERT fine-tuning usually takes. */
export const SEQ_LEN = 128;

const BATCH: Record<BenchConfigName, number> = { tiny: 16, mini: 16, base: 8 };

/**
 * WebGPU on a software adapter (SwiftShader): a stock-tfjs step of mini at batch 16 takes minutes there, so mini
 * and base run at smaller batches; tokens/s stay comparable, and the batch is recorded with every result.
 */
const SOFTWARE_WEBGPU_BATCH: Record<BenchConfigName, number> = { tiny: 16, mini: 4, base: 2 };

/**
 * How `config` runs on `backend`. bert-base is capped at one warmup step and two timed steps per kernel set (one on
 * SwiftShader): a step takes ~40 s on one wasm thread.
 */
export function planConfig(
  config: BenchConfigName,
  backend: BackendName,
  softwareAdapter: boolean,
  counts: { warmup: number; steps: number },
): ConfigPlan {
  const software = backend === 'webgpu' && softwareAdapter;
  const batchSize = (software ? SOFTWARE_WEBGPU_BATCH : BATCH)[config];
  const { warmup, steps } = config === 'base' ? { warmup: 1, steps: Math.min(counts.steps, software ? 1 : 2) } : counts;
  return { config, batchSize, seqLen: SEQ_LEN, warmup, steps };
}
