import { describe, expect, it } from 'vitest';
import type { AdamWForm, BenchReport, TrainingRun } from './protocol';
import { estimateFineTune, formatReport, resultFileName, threadSpeedup } from './report';

function run(model: TrainingRun['model'], adamw: AdamWForm, medianMs: number): TrainingRun {
  return {
    model,
    shape: { seqLen: 32, layers: 2, hidden: model === 'default' ? 128 : 32, vocab: 8000, parameters: 1, parameterTensors: 1 },
    kernels: { adamw, reductions: adamw === 'fused' ? 'loop' : 'tfjs' },
    stepMs: [medianMs - 10, medianMs, medianMs + 20],
    medianMs,
    kernelsPerStep: 1080,
    dispatchesPerStep: adamw === 'fused' ? 690 : 1117,
    topKernels: [],
  };
}

function report(training: TrainingRun[], wasmThreads: number | null = null): BenchReport {
  return {
    backend: wasmThreads === null ? 'webgpu' : 'wasm',
    adapter: wasmThreads === null ? 'google swiftshader' : null,
    userAgent: 'test',
    hardwareConcurrency: 2,
    threads: wasmThreads,
    request: { backend: 'webgpu', steps: 3, warmup: 1, batchSize: 16, seqLen: 32 },
    matmul: { size: 512, ms: [500], gflops: 0.54 },
    training,
    optimizer: [{ model: 'default', adamw: 'fused', stepMs: [100], medianMs: 100, dispatchesPerStep: 123 }],
  };
}

describe('bench report', () => {
  it('estimates 375 steps for 3 epochs of 2,000 sentences at batch 16, from the first (shipped) run of the model', () => {
    const estimate = estimateFineTune(report([run('fixture', 'fused', 100), run('default', 'fused', 1600), run('default', 'tf-ops', 2000)]));
    expect(estimate).toEqual({ steps: 375, stepMs: 1600, minutes: 10 });
    expect(estimateFineTune(report([run('default', 'tf-ops', 800)]))?.minutes).toBe(5);
    expect(estimateFineTune(report([run('fixture', 'tf-ops', 800)]))).toBeNull();
  });

  it('prints one row per run with step times, counts and AdamW alone, then the estimate', () => {
    const text = formatReport(report([run('fixture', 'tf-ops', 300), run('default', 'fused', 1600)]));
    expect(text).toContain('webgpu (google swiftshader): matMul 512³ 0.54 GFLOP/s; batch 16, median of 3 steps after 1 warmup');
    expect(text).toMatch(/fixture \(h32 L2 v8000 s32\) +tf-ops\+tfjs +300 +290-320 +1080 +1117 +-/);
    expect(text).toMatch(/default \(h128 L2 v8000 s32\) +fused\+loop +1600 +1590-1620 +1080 +690 +100\.0/);
    expect(text).toContain('(default model, 375 steps): 10.0 min');
  });

  it('names result files by UTC date, backend and wasm threads', () => {
    expect(resultFileName(new Date('2026-03-04T23:59:00Z'), 'webgpu')).toBe('results/2026-03-04-webgpu.json');
    expect(resultFileName(new Date('2026-03-04T23:59:00Z'), 'wasm', 1)).toBe('results/2026-03-04-wasm-1-thread.json');
  });

  it('compares wasm on every core with wasm on one thread, by the default model\'s shipped step', () => {
    const one = report([run('fixture', 'tf-ops', 50), run('default', 'tf-ops', 500)], 1);
    const two = report([run('fixture', 'tf-ops', 40), run('default', 'tf-ops', 320)], 2);
    expect(threadSpeedup([two, one])).toEqual({ threads: 2, speedup: 500 / 320 });
    expect(threadSpeedup([two])).toBeNull();
    expect(threadSpeedup([report([run('default', 'fused', 900)])])).toBeNull();
    expect(formatReport(two)).toContain('wasm 2 threads: matMul 512³');
  });
});
