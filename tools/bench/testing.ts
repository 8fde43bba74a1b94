// Made-up page reports for the unit tests of the summary and the printed tables.
import { SHIPPED, STOCK } from './plan';
import type { BenchConfigName, BenchReport, ConfigRun, KernelSet, TrainingRun } from './protocol';

export function trainingRun(kernels: KernelSet, medianMs: number, dispatchesPerStep: number | null = null): TrainingRun {
  return {
    kernels,
    stepMs: [medianMs - 10, medianMs, medianMs + 20],
    medianMs,
    kernelsPerStep: kernels === SHIPPED ? 1080 : 1589,
    dispatchesPerStep,
    topKernels: [],
    peakBytes: kernels === SHIPPED ? 300 * 2 ** 20 : 400 * 2 ** 20,
  };
}

/** tiny at batch 16 × 128 (3.2 GFLOP a step by flops.ts), shipped and stock steps of the given medians. */
export function configRun(
  config: BenchConfigName,
  shippedMs: number,
  stockMs: number | null,
  options: { dispatches?: [number, number]; wasmHeapBytes?: number; numTensors?: [number, number] } = {},
): ConfigRun {
  const [shippedDispatches, stockDispatches] = options.dispatches ?? [null, null];
  const [start, end] = options.numTensors ?? [60, 60];
  return {
    plan: { config, batchSize: 16, seqLen: 128, warmup: 1, steps: 2 },
    shape: { layers: 2, hidden: 128, heads: 2, intermediate: 512, vocab: 8000, parameters: 1_454_210, parameterTensors: 41 },
    gradientCheckpointing: false,
    stepFlops: 3.2e9,
    inferenceMs: [90, 100, 110],
    inferenceMedianMs: 100,
    training: [trainingRun(SHIPPED, shippedMs, shippedDispatches), ...(stockMs === null ? [] : [trainingRun(STOCK, stockMs, stockDispatches)])],
    numTensors: { start, end },
    wasmHeapBytes: options.wasmHeapBytes ?? null,
  };
}

export function benchReport(backend: BenchReport['backend'], threads: number | null, configs: ConfigRun[], peers = 0): BenchReport {
  const webgpu = backend === 'webgpu';
  return {
    backend,
    adapter: 'google swiftshader',
    softwareAdapter: true,
    userAgent: 'test',
    hardwareConcurrency: 2,
    threads,
    peers,
    request: { backend, configs: configs.map((c) => c.plan.config), steps: 2, warmup: 1, quick: true },
    matmul: [
      { size: 512, kernels: 'shipped', ms: [100], gflops: webgpu ? 2 : 40 },
      { size: 1024, kernels: 'shipped', ms: [800], gflops: webgpu ? 2.5 : 50 },
      ...(webgpu ? [{ size: 512, kernels: 'stock' as const, ms: [1000], gflops: 0.25 }, { size: 1024, kernels: 'stock' as const, ms: [8000], gflops: 0.2 }] : []),
    ],
    configs,
  };
}
