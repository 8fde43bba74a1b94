import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BLOCK_COLS, BLOCK_ROWS, BLOCKED_MATMUL_FLAG, fusedHandled, planMatMul, WORKGROUP } from './webgpuMatMul';

// The kernel itself runs only on WebGPU: e2e/webgpuMatMul.spec.ts compares it with tfjs's in Chromium.
describe('planMatMul', () => {
  it('reads m, n and k through each transpose and views the operands as rank 3', () => {
    for (const [aShape, bShape, transposeA, transposeB] of [
      [[5, 3], [3, 7], false, false],
      [[3, 5], [3, 7], true, false],
      [[5, 3], [7, 3], false, true],
      [[3, 5], [7, 3], true, true],
    ] as const) {
      const plan = planMatMul(aShape, bShape, transposeA, transposeB)!;
      expect(plan).toMatchObject({ batch: 1, m: 5, n: 7, k: 3, outShape: [5, 7] });
      expect(plan.aShape).toEqual([1, ...aShape]);
      expect(plan.bShape).toEqual([1, ...bShape]);
    }
  });

  it('loads vec4s from each operand whose stored rows are whole vec4s, and stores them where n allows', () => {
    // BERT's dense layer x·Wᵀ: both operands run along k = 768.
    expect(planMatMul([128, 768], [3072, 768], false, true)).toMatchObject({ vec4A: true, vec4B: true, vec4Out: true });
    // The MLM decoder: 30,522 output columns are not whole vec4s; W's rows (along k) still are.
    expect(planMatMul([128, 768], [30522, 768], false, true)).toMatchObject({ vec4A: true, vec4B: true, vec4Out: false });
    // A transposed is stored [k, m]: its rows run along m.
    expect(planMatMul([768, 128], [768, 768], true, false)).toMatchObject({ vec4A: true, vec4B: true });
    expect(planMatMul([768, 130], [768, 6], true, false)).toMatchObject({ vec4A: false, vec4B: false, vec4Out: false });
    expect(planMatMul([7, 13], [13, 5], false, false)).toMatchObject({ vec4A: false, vec4B: false, vec4Out: false });
  });

  it('dispatches workgroups that cover every block of outputs, none wholly past the edge, one z-slice per batch', () => {
    const covers = (workgroups: number, perWorkgroup: number, size: number) => workgroups * perWorkgroup >= size && (workgroups - 1) * perWorkgroup < size;
    for (const [m, n, batch] of [[128, 3072, 1], [33, 17, 1], [1, 1, 1], [32, 32, 64], [512, 30522, 1]]) {
      const [x, y, z] = planMatMul([batch, m, 8], [batch, 8, n], false, false)!.dispatch;
      expect(covers(x, WORKGROUP[0] * BLOCK_COLS, n)).toBe(true);
      expect(covers(y, WORKGROUP[1] * BLOCK_ROWS, m)).toBe(true);
      expect(z).toBe(batch);
    }
  });

  it('runs batches that are equal on both sides or 1 on one side', () => {
    expect(planMatMul([2, 4, 5, 3], [2, 4, 3, 6], false, false)).toMatchObject({ batch: 8, aShape: [8, 5, 3], bShape: [8, 3, 6], outShape: [2, 4, 5, 6] });
    expect(planMatMul([1, 5, 3], [4, 3, 2], false, false)).toMatchObject({ batch: 4, aShape: [1, 5, 3], bShape: [4, 3, 2], outShape: [4, 5, 2] });
    expect(planMatMul([2, 3, 5, 8], [6, 8], false, true)).toMatchObject({ batch: 6, aShape: [6, 5, 8], bShape: [1, 6, 8], outShape: [2, 3, 5, 6] });
  });

  it('leaves to tfjs batches that broadcast axis by axis, empty products and grids past WebGPU\'s limit', () => {
    expect(planMatMul([2, 1, 5, 3], [1, 3, 3, 6], false, false)).toBeNull();
    expect(planMatMul([2, 1, 5, 3], [2, 6, 3, 4], false, false)).toBeNull();
    expect(planMatMul([0, 3], [3, 4], false, false)).toBeNull();
    expect(planMatMul([5, 0], [0, 4], false, false)).toBeNull();
    expect(planMatMul([70000, 2, 2], [70000, 2, 2], false, false)).toBeNull();
  });

  it('throws as tfjs does on inner dimensions that differ and batches that do not broadcast', () => {
    expect(() => planMatMul([5, 3], [4, 7], false, false)).toThrow(/inner dimensions 3 and 4/);
    expect(() => planMatMul([2, 5, 3], [3, 3, 4], false, false)).toThrow();
  });
});

describe('fusedHandled', () => {
  it('takes no bias or a per-column one, with activation linear, relu or gelu', () => {
    for (const activation of ['linear', 'relu', 'gelu', null, undefined]) expect(fusedHandled(6, activation, [6], false)).toBe(true);
    expect(fusedHandled(6, 'relu', undefined, false)).toBe(true);
    expect(fusedHandled(6, 'linear', [1, 1, 6], false)).toBe(true);
  });

  it('leaves other biases, activations and prelu weights to tfjs', () => {
    expect(fusedHandled(6, 'linear', [5, 6], false)).toBe(false);
    expect(fusedHandled(6, 'linear', [1], false)).toBe(false);
    for (const activation of ['leakyrelu', 'prelu', 'elu', 'relu6', 'sigmoid', 'gelu_new']) expect(fusedHandled(6, activation, [6], false)).toBe(false);
    expect(fusedHandled(6, 'prelu', undefined, true)).toBe(false);
  });
});

describe('BLOCKED_MATMUL_FLAG', () => {
  it('is switched on by default', () => {
    expect(tf.env().getBool(BLOCKED_MATMUL_FLAG)).toBe(true);
  });
});
