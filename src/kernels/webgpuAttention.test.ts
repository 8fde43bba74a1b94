import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { attentionContext, attentionProbs, FUSED_ATTENTION_FLAG, fusedAttentionAvailable } from './webgpuAttention';

// The kernels themselves run only on WebGPU: e2e/webgpuAttention.spec.ts compares them with the tf-ops path in Chromium.
describe('fused attention', () => {
  const layout = { batch: 2, seq: 3, heads: 2, headDim: 4 };

  it('is switched on by default, and stays off on other backends (the tf-ops path runs there)', () => {
    expect(tf.env().getBool(FUSED_ATTENTION_FLAG)).toBe(true);
    expect(tf.getBackend()).not.toBe('webgpu');
    expect(fusedAttentionAvailable(64)).toBe(false);
  });

  it('rejects tensors that do not lie as the layout says', () => {
    tf.tidy(() => {
      const tokens = tf.zeros([6, 8]) as tf.Tensor2D;
      expect(() => attentionProbs(tf.zeros([6, 6]) as tf.Tensor2D, tokens, tf.zeros([2, 1, 1, 3]) as tf.Tensor4D, layout)).toThrow(/query is float32 \[6,6\], expected float32 \[6,8\]/);
      expect(() => attentionProbs(tokens, tokens, tf.zeros([2, 1, 3, 3]) as tf.Tensor4D, layout)).toThrow(/mask is \[2,1,3,3\], expected \[2,1,1,3\]/);
      expect(() => attentionContext(tf.zeros([2, 2, 3, 2]) as tf.Tensor4D, tokens, layout)).toThrow(/probs is \[2,2,3,2\], expected \[2,2,3,3\]/);
    });
  });
});
