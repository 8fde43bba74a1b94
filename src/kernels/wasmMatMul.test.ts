import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { lastTwoSwapped, WASM_PLAIN_MATMUL_FLAG } from './wasmMatMul';

describe('lastTwoSwapped', () => {
  it('swaps the matrix axes and keeps the batch axes', () => {
    expect(lastTwoSwapped(2)).toEqual([1, 0]);
    expect(lastTwoSwapped(4)).toEqual([0, 1, 3, 2]);
  });
});

describe('BatchMatMul on wasm with transposed operands', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  function product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean, plain: boolean): Float32Array {
    tf.env().set(WASM_PLAIN_MATMUL_FLAG, plain);
    try {
      return tf.tidy(() => tf.matMul(a, b, transposeA, transposeB).dataSync() as Float32Array);
    } finally {
      tf.env().set(WASM_PLAIN_MATMUL_FLAG, true);
    }
  }

  it('equals tfjs\'s own product for every transpose, batched and broadcast, and leaks nothing', () => {
    const cases: [number[], number[]][] = [[[5, 3], [3, 7]], [[2, 4, 5, 3], [2, 4, 3, 6]], [[1, 5, 3], [4, 3, 2]]];
    for (const [shapeA, shapeB] of cases) {
      for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
        const a = tf.randomNormal(tA ? [...shapeA.slice(0, -2), shapeA.at(-1)!, shapeA.at(-2)!] : shapeA, 0, 1, 'float32', 1);
        const b = tf.randomNormal(tB ? [...shapeB.slice(0, -2), shapeB.at(-1)!, shapeB.at(-2)!] : shapeB, 0, 1, 'float32', 2);
        const before = tf.memory().numTensors;
        const ours = product(a, b, tA, tB, true);
        expect(tf.memory().numTensors).toBe(before);
        const stock = product(a, b, tA, tB, false);
        ours.forEach((value, i) => expect(value).toBeCloseTo(stock[i], 5));
        tf.dispose([a, b]);
      }
    }
  });

  it('keeps the gradients of a product with transposes', () => {
    const a = tf.randomNormal([4, 6], 0, 1, 'float32', 3);
    const b = tf.randomNormal([5, 6], 0, 1, 'float32', 4);
    const grads = (plain: boolean) => {
      tf.env().set(WASM_PLAIN_MATMUL_FLAG, plain);
      try {
        return tf.tidy(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, false, true).square().sum())([a, b]).map((g) => g.arraySync()));
      } finally {
        tf.env().set(WASM_PLAIN_MATMUL_FLAG, true);
      }
    };
    const [ours, stock] = [grads(true), grads(false)];
    expect((ours[0] as number[][]).flat()).toEqual((stock[0] as number[][]).flat().map((v) => expect.closeTo(v, 4)));
    expect((ours[1] as number[][]).flat()).toEqual((stock[1] as number[][]).flat().map((v) => expect.closeTo(v, 4)));
    tf.dispose([a, b]);
  });
});
