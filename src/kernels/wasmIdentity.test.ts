import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { WASM_SHARED_IDENTITY_FLAG } from './wasmIdentity';

describe('Identity on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const withFlag = <T>(shared: boolean, fn: () => T): T => {
    tf.env().set(WASM_SHARED_IDENTITY_FLAG, shared);
    try {
      return fn();
    } finally {
      tf.env().set(WASM_SHARED_IDENTITY_FLAG, true);
    }
  };
  const buffers = () => tf.backend().numDataIds();

  it('shares the input\'s memory, which outlives the input and is freed with the last tensor on it', () => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const before = buffers();
    const copied = withFlag(false, () => tf.clone(x));
    expect(buffers()).toBe(before + 1);
    const shared = tf.clone(x);
    expect(buffers()).toBe(before + 1);
    x.dispose();
    expect(buffers()).toBe(before + 1);
    expect(shared.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(shared.shape).toEqual([2, 3]);
    shared.dispose();
    expect(buffers()).toBe(before);
    copied.dispose();
    expect(buffers()).toBe(before - 1);
  });

  it('gives the same gradients as copying, and leaves no tensor behind', () => {
    const w = tf.randomNormal([6, 5], 0, 1, 'float32', 1);
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 2);
    const loss = (weights: tf.Tensor) => tf.softmax(tf.tanh(tf.matMul(x, weights)).mul(2)).log().neg().mean();
    const grad = (shared: boolean) => withFlag(shared, () => tf.tidy(() => tf.grad(loss)(w).arraySync() as number[][]));
    const tensorsBefore = tf.memory().numTensors;
    const [ours, copies] = [grad(true), grad(false)];
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(ours.flat()).toEqual(copies.flat());
    expect(ours.flat().some((g) => g !== 0)).toBe(true);
    tf.dispose([w, x]);
  });

  it('takes the memory of a step\'s saved tensors once: a taped op adds no copy of its input', () => {
    const x = tf.randomNormal([64, 64]);
    const peakBuffers = (shared: boolean) => withFlag(shared, () => {
      let during = 0;
      tf.tidy(() => tf.grad((v: tf.Tensor) => {
        const y = tf.tanh(v).mul(v).sum();
        during = buffers();
        return y;
      })(x));
      return during;
    });
    // tanh saves its output and mul both its inputs: with copies each saved tensor is a buffer of its own.
    expect(peakBuffers(false) - peakBuffers(true)).toBe(3);
    x.dispose();
  });
});
