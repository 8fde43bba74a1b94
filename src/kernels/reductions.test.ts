import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { LOOP_REDUCTIONS_FLAG, reduceLayout } from './reductions';

// The kernels themselves run only on WebGPU: e2e/kernels.spec.ts compares them with tfjs's in Chromium.
describe('reduceLayout', () => {
  it('views the input as [outer, reduced, inner] around one contiguous run of axes', () => {
    expect(reduceLayout([512, 32], [1])).toEqual({ outer: 512, reduceSize: 32, inner: 1 });
    expect(reduceLayout([512, 32], [0])).toEqual({ outer: 1, reduceSize: 512, inner: 32 });
    expect(reduceLayout([3, 4, 5, 6], [2, 1])).toEqual({ outer: 3, reduceSize: 20, inner: 6 });
    expect(reduceLayout([40, 50], [0, 1])).toEqual({ outer: 1, reduceSize: 2000, inner: 1 });
  });

  it('declines axes with a gap, and no axes at all', () => {
    expect(reduceLayout([3, 4, 5], [0, 2])).toBeNull();
    expect(reduceLayout([3, 4, 5], [])).toBeNull();
  });

  it('is switched on by default', () => {
    expect(tf.env().getBool(LOOP_REDUCTIONS_FLAG)).toBe(true);
  });
});
