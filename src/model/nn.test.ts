import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendedAttentionMask, FLOAT32_MIN } from './bert/batch';
import { activation, dropout, layerNorm, linear, oneHotFloat } from './nn';
import type { BertParams } from './bert/params';

const x = (): tf.Tensor2D => tf.tensor2d([[-3, -1, 0, 0.5, 2]]);
const values = async (t: tf.Tensor): Promise<number[]> => Array.from(await t.data());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('activation', () => {
  it('gelu is the exact x·Φ(x)', async () => {
    // Φ from scipy.stats.norm.cdf at -3, -1, 0, 0.5, 2.
    const phi = [0.0013498980316301, 0.15865525393145707, 0.5, 0.6914624612740131, 0.9772498680518208];
    const expected = [-3, -1, 0, 0.5, 2].map((v, i) => v * phi[i]);
    (await values(activation('gelu', x()))).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('gelu_new is the tanh approximation', async () => {
    const expected = [-3, -1, 0, 0.5, 2].map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));
    (await values(activation('gelu_new', x()))).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('relu clips negatives', async () => {
    expect(await values(activation('relu', x()))).toEqual([0, 0, 0, 0.5, 2]);
  });
});

describe('linear and layerNorm', () => {
  const params: BertParams = new Map();
  beforeAll(() => {
    params.set('lin.weight', tf.variable(tf.tensor2d([[1, 2], [0, -1], [3, 0]]))); // [out 3, in 2]
    params.set('lin.bias', tf.variable(tf.tensor1d([0.5, 0, -1])));
    params.set('ln.weight', tf.variable(tf.tensor1d([1, 2, 0.5, 1])));
    params.set('ln.bias', tf.variable(tf.tensor1d([0, 1, 0, -1])));
  });
  afterAll(() => params.forEach((v) => v.dispose()));

  it('linear computes x W^T + b with W as [out, in]', async () => {
    expect(await values(linear(params, 'lin', tf.tensor2d([[1, 1], [2, -1]])))).toEqual([3.5, -1, 2, 0.5, 1, 5]);
  });

  it('layerNorm normalises each row with the biased variance, then scales and shifts', async () => {
    const row = [1, 2, 4, 9];
    const mean = 4;
    const std = Math.sqrt(row.reduce((s, v) => s + (v - mean) ** 2, 0) / 4 + 1e-5);
    const expected = row.map((v, i) => ((v - mean) / std) * [1, 2, 0.5, 1][i] + [0, 1, 0, -1][i]);
    (await values(layerNorm(params, 'ln', tf.tensor2d([row]), 1e-5))).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });
});

describe('dropout', () => {
  const ones = (): tf.Tensor2D => tf.ones([50, 40]);

  it('returns its input untouched when not training or at rate 0', () => {
    const input = ones();
    expect(dropout(input, 0.5, 'site', { training: false })).toBe(input);
    expect(dropout(input, 0, 'site', { training: true, seed: 1 })).toBe(input);
  });

  it('zeroes about `rate` of the values and scales the rest by 1 / (1 - rate)', async () => {
    const out = await values(dropout(ones(), 0.25, 'site', { training: true, seed: 3 }));
    const kept = out.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(kept.length / out.length).toBeGreaterThan(0.7);
    expect(kept.length / out.length).toBeLessThan(0.8);
  });

  it('draws its mask from (seed, site) alone', async () => {
    const mask = (seed: number, site: string) => values(dropout(ones(), 0.5, site, { training: true, seed }));
    expect(await mask(1, 'a')).toEqual(await mask(1, 'a'));
    expect(await mask(1, 'a')).not.toEqual(await mask(1, 'b'));
    expect(await mask(1, 'a')).not.toEqual(await mask(2, 'a'));
  });
});

describe('oneHotFloat', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`is a float32 one-hot matrix on ${backend}`, async () => {
      await tf.setBackend(backend);
      const out = oneHotFloat(Int32Array.from([1, 0, 2]), 3);
      expect(out.dtype).toBe('float32');
      expect(await values(out)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1]);
      await tf.setBackend('cpu');
    });
  }
});

describe('extendedAttentionMask', () => {
  it('is 0 for attended keys and float32 min for padding', () => {
    const mask = extendedAttentionMask({
      inputIds: new Int32Array(3),
      tokenTypeIds: new Int32Array(3),
      attentionMask: Int32Array.from([1, 1, 0]),
      batchSize: 1,
      seqLen: 3,
    });
    expect(Array.from(mask)).toEqual([0, 0, Math.fround(FLOAT32_MIN)]);
    expect(Number.isFinite(mask[2])).toBe(true);
  });
});
