import { describe, expect, it } from 'vitest';
import { backendLabel, counted, formatReport, formatStep, formatSummary, resultFileName } from './report';
import { summarize } from './summary';
import { benchReport, configRun } from './testing';

describe('bench report', () => {
  it('prints the matMuls, one row per config and kernel set, and what each config measured once', () => {
    const text = formatReport(benchReport('webgpu', null, [configRun('tiny', 1000, 6000, { dispatches: [400, 1100] })]));
    expect(text).toContain('webgpu (adapter: google swiftshader): matMul GFLOP/s 512³ shipped 2.00, 1024³ shipped 2.50, 512³ stock 0.25, 1024³ stock 0.20');
    expect(text).toMatch(/tiny \(L2 h128 v8000\) 16×128 +shipped +1000 +990-1020 +2048 +1080 +400 +300/);
    expect(text).toMatch(/tiny \(L2 h128 v8000\) 16×128 +stock +6000 +5990-6020 +341 +1589 +1100 +400/);
    expect(text).toContain('tiny: 2 steps per set after 1 warmup; inference 100 ms per batch; gradient checkpointing off; tensors 60 → 60');
    expect(formatReport(benchReport('wasm', 2, [configRun('tiny', 200, 500, { wasmHeapBytes: 2 ** 30 })]))).toContain('; wasm heap 1024 MiB');
  });

  it('prints a step for the progress lines', () => {
    const run = configRun('mini', 1000, 4000);
    expect(formatStep(run, run.training[1])).toBe('training step (stock): 4000 ms, 512 tokens/s');
  });

  it('prints the summary a row per config and backend, dispatches against stock, and leaks as counts', () => {
    const text = formatSummary(summarize([
      benchReport('webgpu', null, [configRun('mini', 1000, 6000, { dispatches: [400, 1100] })]),
      benchReport('wasm', 2, [configRun('mini', 200, 500, { numTensors: [60, 62] })]),
    ], new Map()));
    expect(text).toContain('adapter: google swiftshader (software); 2 logical cores');
    expect(text).toMatch(/mini webgpu +16×128 +2048 +6\.00 +100 +3\.20 +2\.50 +10\.00 +1\.28 +400\/1100 +300 +flat +- +-/);
    expect(text).toMatch(/mini wasm 2 threads +16×128 +10240 +2\.50 +100 +16\.00 +50\.00 +- +0\.32 +- +300 +60→62 +- +-/);
  });

  it('labels backends by threads, counts nouns and names result files by UTC date, backend and wasm threads', () => {
    expect([counted(1, 'step'), counted(2, 'step')]).toEqual(['1 step', '2 steps']);
    expect(backendLabel('wasm', 1)).toBe('wasm 1 thread');
    expect(backendLabel('webgpu', null)).toBe('webgpu');
    expect(resultFileName(new Date('2026-03-04T23:59:00Z'), 'webgpu')).toBe('results/2026-03-04-webgpu.json');
    expect(resultFileName(new Date('2026-03-04T23:59:00Z'), 'wasm', 1)).toBe('results/2026-03-04-wasm-1-thread.json');
    expect(backendLabel('wasm', 1, 1)).toBe('wasm 1 thread + 1 peer');
    expect(resultFileName(new Date('2026-03-04T23:59:00Z'), 'wasm', 2, 3)).toBe('results/2026-03-04-wasm-2-threads-3-peers.json');
  });
});
