import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FUSED_CROSS_ENTROPY_FLAG, fusedCrossEntropyAvailable } from './webgpuCrossEntropy';

// The kernels themselves run only on WebGPU: e2e/webgpuCrossEntropy.spec.ts compares them with the composed form and
// a float64 reference in Chromium.
describe('fused cross-entropy', () => {
  it('is switched on by default, and stays off on other backends (the composed form runs there)', () => {
    expect(tf.env().getBool(FUSED_CROSS_ENTROPY_FLAG)).toBe(true);
    expect(tf.getBackend()).not.toBe('webgpu');
    expect(fusedCrossEntropyAvailable()).toBe(false);
  });
});
