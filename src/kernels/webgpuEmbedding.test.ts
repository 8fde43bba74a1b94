import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { csrIndex, embeddingGrad, FUSED_EMBEDDING_FLAG, fusedEmbeddingGradAvailable } from './webgpuEmbedding';

// The kernel itself runs only on WebGPU: e2e/webgpuEmbedding.spec.ts compares it with the composed path in Chromium.
describe('fused embedding gradient', () => {
  it('is switched on by default, and stays off on other backends (the composed path runs there)', () => {
    expect(tf.env().getBool(FUSED_EMBEDDING_FLAG)).toBe(true);
    expect(tf.getBackend()).not.toBe('webgpu');
    expect(fusedEmbeddingGradAvailable()).toBe(false);
  });

  it('indexes the positions of each table row, ascending, with empty ranges for untouched rows', () => {
    // Rows 0..5; ids touch 4 (three times), 1 (twice) and 5 (the last row).
    const csr = csrIndex(Int32Array.from([4, 1, 4, 5, 1, 4]), 6);
    expect(Array.from(csr.subarray(0, 7))).toEqual([0, 0, 2, 2, 2, 5, 6]);
    expect(Array.from(csr.subarray(7))).toEqual([1, 4, 0, 2, 5, 3]);
  });

  it('indexes one repeated id and no ids', () => {
    expect(Array.from(csrIndex(Int32Array.from([2, 2, 2]), 3))).toEqual([0, 0, 0, 3, 0, 1, 2]);
    expect(Array.from(csrIndex(new Int32Array(0), 2))).toEqual([0, 0, 0]);
  });

  it('rejects a dy that does not match the ids', () => {
    tf.tidy(() => {
      expect(() => embeddingGrad(tf.zeros([3, 4]) as tf.Tensor2D, Int32Array.from([0, 1]), 5)).toThrow(/dy is float32 \[3,4\], expected float32 \[2, width\]/);
    });
  });
});
