import { describe, expect, it } from 'vitest';
import { isShipped, isStock, kernelSets, planConfig, SHIPPED, STOCK, STUDIO_KERNELS } from './plan';

describe('bench plan', () => {
  it('compares the shipped kernels with stock tfjs (every studio kernel off), and AdamW as tf ops without --quick', () => {
    expect(kernelSets('webgpu', true)).toEqual([SHIPPED, STOCK]);
    expect(kernelSets('wasm', false).map((set) => set.name)).toEqual(['shipped', 'tf-ops-adamw', 'stock']);
    expect(kernelSets('cpu', false)).toEqual([SHIPPED]);
    expect(STOCK.off).toEqual([...STUDIO_KERNELS]);
    expect([isShipped(SHIPPED), isStock(SHIPPED), isShipped(STOCK), isStock(STOCK)]).toEqual([true, false, false, true]);
    expect(isStock(kernelSets('webgpu', false)[1])).toBe(false);
  });

  it('runs tiny and mini at batch 16 × 128 and base at batch 8, with the steps asked', () => {
    const counts = { warmup: 2, steps: 5 };
    expect(planConfig('tiny', 'wasm', true, counts)).toEqual({ config: 'tiny', batchSize: 16, seqLen: 128, warmup: 2, steps: 5 });
    expect(planConfig('mini', 'webgpu', false, counts)).toMatchObject({ batchSize: 16, warmup: 2, steps: 5 });
    expect(planConfig('base', 'wasm', true, counts)).toEqual({ config: 'base', batchSize: 8, seqLen: 128, warmup: 1, steps: 2 });
    expect(planConfig('base', 'wasm', false, { warmup: 1, steps: 1 })).toMatchObject({ warmup: 1, steps: 1 });
  });

  it('shrinks mini and base on a software WebGPU adapter only, and caps base there at one timed step', () => {
    const counts = { warmup: 1, steps: 2 };
    expect(planConfig('tiny', 'webgpu', true, counts)).toMatchObject({ batchSize: 16, steps: 2 });
    expect(planConfig('mini', 'webgpu', true, counts)).toMatchObject({ batchSize: 4, steps: 2 });
    expect(planConfig('base', 'webgpu', true, counts)).toMatchObject({ batchSize: 2, warmup: 1, steps: 1 });
    expect(planConfig('mini', 'wasm', true, counts)).toMatchObject({ batchSize: 16 });
  });
});
