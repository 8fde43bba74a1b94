import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { embeddingLookup } from './embeddingLookup';

const rows = 7;
const width = 3;
const tableValues = Float32Array.from({ length: rows * width }, (_, i) => Math.sin(i + 1));
// Repeated ids (2 three times, 5 twice) and untouched rows (0, 3, 4, 6).
const ids = [2, 5, 2, 1, 2, 5];
const weights = Float32Array.from({ length: ids.length * width }, (_, i) => Math.cos(i) * (i % 4));

/** d(sum(lookup(table) * weights))/d(table) on the given backend. */
async function gradient(backend: string, lookup: (t: tf.Tensor2D) => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const table = tf.tensor2d(tableValues, [rows, width]);
  const loss = (t: tf.Tensor): tf.Tensor => tf.sum(tf.mul(lookup(t as tf.Tensor2D), tf.tensor2d(weights, [ids.length, width])));
  const grad = tf.grad(loss)(table);
  expect(grad.shape).toEqual([rows, width]);
  const values = (await grad.data()) as Float32Array;
  tf.dispose([table, grad]);
  return values;
}

/** The same gradient by brute force: each id's weight rows (scaled by `scale`) summed into its table row. */
function bruteForce(scale: (n: number, j: number) => number = () => 1): Float32Array {
  const grad = new Float32Array(rows * width);
  ids.forEach((id, n) => {
    for (let j = 0; j < width; j++) grad[id * width + j] += weights[n * width + j] * scale(n, j);
  });
  return grad;
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
}

for (const backend of ['cpu', 'wasm']) {
  describe(`embeddingLookup on ${backend}`, () => {
    it('forward equals gather', async () => {
      await tf.setBackend(backend);
      const table = tf.tensor2d(tableValues, [rows, width]);
      const out = embeddingLookup(table, Int32Array.from(ids));
      expect(out.shape).toEqual([ids.length, width]);
      expect(Array.from(await out.data())).toEqual(Array.from(await tf.gather(table, ids).data()));
      tf.dispose([table, out]);
    });

    it('gradient sums repeated ids and leaves untouched rows zero (brute force)', async () => {
      const actual = await gradient(backend, (t) => embeddingLookup(t, Int32Array.from(ids)));
      expectClose(actual, bruteForce());
      expect(Array.from(actual.subarray(0, width))).toEqual([0, 0, 0]);
    });

    it('composes with later ops (chain rule through the lookup)', async () => {
      const actual = await gradient(backend, (t) => tf.mul(tf.square(embeddingLookup(t, Int32Array.from(ids))), 0.5));
      expectClose(actual, bruteForce((n, j) => tableValues[ids[n] * width + j]));
    });
  });
}

describe('embeddingLookup against tfjs', () => {
  // Only on cpu: wasm has no UnsortedSegmentSum kernel, so tfjs's own gather gradient cannot run there.
  it('matches the gradient of tf.gather on the cpu backend', async () => {
    const ours = await gradient('cpu', (t) => embeddingLookup(t, Int32Array.from(ids)));
    const theirs = await gradient('cpu', (t) => tf.gather(t, tf.tensor1d(ids, 'int32')));
    expectClose(ours, theirs);
  });

  it('rejects a table that is not 2-D', async () => {
    await tf.setBackend('cpu');
    expect(() => embeddingLookup(tf.zeros([2, 2, 2]), Int32Array.from([0]))).toThrow(/2-D table/);
  });
});
