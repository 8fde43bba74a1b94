import { describe, expect, it } from 'vitest';
import { summarize, torchKey, type TorchStep } from './summary';
import { benchReport, configRun } from './testing';

const torchStep = (threads: number, ms: number): TorchStep => ({
  torch: '1.13',
  threads,
  batch_size: 16,
  seq_len: 128,
  step_ms: [ms],
  median_step_ms: ms,
  matmul_gflops: 100,
});

describe('bench summary', () => {
  const webgpu = benchReport('webgpu', null, [configRun('tiny', 1000, 6000, { dispatches: [400, 1100] })]);
  const wasm2 = benchReport('wasm', 2, [configRun('tiny', 200, 500, { wasmHeapBytes: 2 ** 30, numTensors: [60, 61] })]);
  const wasm1 = benchReport('wasm', 1, [configRun('tiny', 300, 700)]);
  const cpu = benchReport('cpu', null, [configRun('tiny', 4000, null)]);
  const withPeer = benchReport('wasm', 1, [configRun('tiny', 160, 400)], 1);
  const torch = new Map([[torchKey('tiny', 2), torchStep(2, 100)], [torchKey('tiny', 1), torchStep(1, 150)]]);
  const summary = summarize([webgpu, wasm2, wasm1, cpu, withPeer], torch);

  it('names the adapter and the machine, and has one entry per config, backend and wasm thread count, in run order', () => {
    expect(summary.adapter).toEqual({ description: 'google swiftshader', software: true, user_agent: 'test', hardware_concurrency: 2 });
    expect(summary.configs.map((c) => [c.name, c.backend, c.threads, c.peers])).toEqual([
      ['tiny', 'webgpu', null, 0],
      ['tiny', 'wasm', 2, 0],
      ['tiny', 'wasm', 1, 0],
      ['tiny', 'cpu', null, 0],
      ['tiny', 'wasm', 1, 1],
    ]);
  });

  it('derives throughput, speedups and efficiency from the shipped and stock medians and the best matMuls', () => {
    const [gpu] = summary.configs;
    expect(gpu).toMatchObject({
      batch: 16,
      seq_len: 128,
      tokens_per_s: 2048,
      examples_per_s: 16,
      speedup: 6,
      inference_ms: 100,
      step_gflops: 3.2,
      matmul_peak_gflops: 2.5,
      matmul_stock_gflops: 0.25,
      matmul_speedup: 10,
      efficiency: 3.2 / 2.5,
      kernels_per_step: 1080,
      baseline_kernels_per_step: 1589,
      dispatches_per_step: 400,
      baseline_dispatches_per_step: 1100,
      peak_bytes: 300 * 2 ** 20,
      baseline_peak_bytes: 400 * 2 ** 20,
      wasm_heap_bytes: null,
      num_tensors_start: 60,
      num_tensors_end: 60,
      thread_speedup: null,
      torch_step_ms: null,
      torch_ratio: null,
    });
    expect(gpu.baseline_tokens_per_s).toBeCloseTo(2048 / 6, 9);
  });

  it('compares wasm on several threads with one thread, and each wasm run with PyTorch on its threads', () => {
    const [, two, one] = summary.configs;
    expect(two).toMatchObject({ thread_speedup: 1.5, torch_step_ms: 100, torch_ratio: 2, matmul_peak_gflops: 50, matmul_stock_gflops: null });
    expect(two).toMatchObject({ wasm_heap_bytes: 2 ** 30, num_tensors_start: 60, num_tensors_end: 61, speedup: 2.5 });
    expect(one).toMatchObject({ thread_speedup: null, torch_step_ms: 150, torch_ratio: 2 });
  });

  it('compares wasm with peers with one thread alone, and with PyTorch on one thread per worker', () => {
    expect(summary.configs[4]).toMatchObject({ thread_speedup: 300 / 160, torch_step_ms: 100, torch_ratio: 1.6 });
  });

  it('has no baseline where only the shipped set ran (cpu: none of the studio kernels applies)', () => {
    expect(summary.configs[3]).toMatchObject({ baseline_tokens_per_s: null, speedup: null, baseline_dispatches_per_step: null, torch_ratio: null });
  });

  it('leaves the adapter empty without reports', () => {
    expect(summarize([], new Map())).toEqual({
      adapter: { description: null, software: false, user_agent: '', hardware_concurrency: 0 },
      configs: [],
    });
  });
});
