import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUSED_ADAMW_FLAG, FUSED_ADAMW_KERNEL, fusedAdamW, fusedAdamWAvailable, type AdamWUpdate } from './adamwKernel';

// The kernel itself runs only on WebGPU: e2e/kernels.spec.ts checks its numbers in Chromium.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const UPDATE: AdamWUpdate = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decay: 1, stepSize: 1e-3, biasCorrection2Sqrt: 1 };

describe('fused AdamW kernel', () => {
  it('is registered for webgpu only and on by default', () => {
    expect(tf.getKernel(FUSED_ADAMW_KERNEL, 'webgpu')).toBeDefined();
    expect(tf.getKernel(FUSED_ADAMW_KERNEL, 'cpu')).toBeUndefined();
    expect(tf.env().getBool(FUSED_ADAMW_FLAG)).toBe(true);
  });

  it('is unavailable on a backend without the kernel, whatever the flag', () => {
    expect(fusedAdamWAvailable()).toBe(false);
  });

  it('rejects moments or gradients that do not match the parameter', () => {
    const [p, small, ints] = [tf.zeros([2, 3]), tf.zeros([3]), tf.zeros([2, 3], 'int32')];
    expect(() => fusedAdamW(p, small, p, p, UPDATE)).toThrow(/fusedAdamW: m is float32 \[3\], expected float32 \[2,3\]/);
    expect(() => fusedAdamW(p, p, p, ints, UPDATE)).toThrow(/grad is int32 \[2,3\]/);
    expect(() => fusedAdamW(ints, ints, ints, ints, UPDATE)).toThrow(/param is int32/);
    tf.dispose([p, small, ints]);
  });
});
