// The loop reductions (src/kernels/reductions.ts) against tfjs's own WebGPU kernels: the same ops, values and
// gradients with the replacement on and off.
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { LOOP_REDUCTIONS_FLAG } from '../../src/kernels/reductions';
import type { ReductionComparison } from './protocol';

type Case = [name: string, fn: () => tf.Tensor | tf.Tensor[]];

const x = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

/** LayerNorm then attention-style softmax, as BERT chains them: its gradient runs Sum, Mean and Max backwards. */
function normSoftmax(input: tf.Tensor2D, weight: tf.Tensor2D): tf.Scalar {
  const { mean, variance } = tf.moments(input, -1, true);
  const normed = tf.mul(tf.sub(input, mean), tf.rsqrt(tf.add(variance, 1e-12)));
  const probs = tf.softmax(tf.matMul(normed, weight)); // [rows, cols]
  return tf.sum(tf.mul(probs, tf.logSoftmax(tf.matMul(normed, weight, false, true))));
}

const CASES: Case[] = [
  ['sum rows [512,32]', () => tf.sum(x([512, 32], 1), -1)],
  ['mean rows keepDims [512,32]', () => tf.mean(x([512, 32], 2), -1, true)],
  ['max rows [7,33]', () => tf.max(x([7, 33], 3), 1)],
  ['sum columns [512,32] (a bias gradient)', () => tf.sum(x([512, 32], 4), 0)],
  ['mean middle axes [3,4,5,6]', () => tf.mean(x([3, 4, 5, 6], 5), [1, 2])],
  ['sum all [40,50]', () => tf.sum(x([40, 50], 6))],
  ['sum over 5000 values (tfjs kernel)', () => tf.sum(x([2, 5000], 7), -1)],
  ['sum over axes 0 and 2 (tfjs kernel)', () => tf.sum(x([3, 4, 5], 8), [0, 2])],
  ['sum int32 (tfjs kernel)', () => tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), 1)],
  ['max with NaN in one row', () => tf.max(tf.tensor2d([[1, NaN, 3], [4, 5, -6]]), 1)],
  ['softmax [16,4,32,32]', () => tf.softmax(x([16, 4, 32, 32], 9))],
  ['softmax [5,77]', () => tf.softmax(tf.mul(x([5, 77], 10), 30))],
  ['gradient of LayerNorm + softmax', () => tf.grads((a, b) => normSoftmax(a as tf.Tensor2D, b as tf.Tensor2D))([x([64, 32], 11), x([32, 32], 12)])],
];

function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Number.isNaN(expected[i]) ? (Number.isNaN(actual[i]) ? 0 : Infinity) : Math.abs(actual[i] - expected[i]);
    worst = Math.max(worst, diff);
    if (!Number.isNaN(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? worst : worst / scale;
}

async function values(fn: Case[1], loop: boolean): Promise<{ shapes: number[][]; data: Float32Array[] }> {
  tf.env().set(LOOP_REDUCTIONS_FLAG, loop);
  const out = tf.tidy(fn);
  const tensors = Array.isArray(out) ? out : [out];
  const data = await Promise.all(tensors.map(async (t) => Float32Array.from(await t.data())));
  const shapes = tensors.map((t) => t.shape);
  tf.dispose(tensors);
  return { shapes, data };
}

export async function compareReductions(): Promise<ReductionComparison> {
  const flag = tf.env().getBool(LOOP_REDUCTIONS_FLAG);
  const gpu = tf.backend() as WebGPUBackend;
  const runProgram = gpu.runWebGPUProgram;
  const shaders = new Set<string>();
  gpu.runWebGPUProgram = function (this: WebGPUBackend, program, ...rest) {
    if (tf.env().getBool(LOOP_REDUCTIONS_FLAG)) shaders.add(program.shaderKey.split('_').slice(0, 2).join('_'));
    return runProgram.call(this, program, ...rest);
  } as typeof runProgram;
  try {
    const cases: ReductionComparison['cases'] = [];
    for (const [name, fn] of CASES) {
      const loop = await values(fn, true);
      const reference = await values(fn, false);
      const sameShapes = JSON.stringify(loop.shapes) === JSON.stringify(reference.shapes);
      const relErr = Math.max(...reference.data.map((expected, i) => relError(loop.data[i], expected)));
      cases.push({ name, sameShapes, relError: relErr });
    }
    return { backend: tf.getBackend(), shaders: [...shaders].sort(), cases };
  } finally {
    gpu.runWebGPUProgram = runProgram;
    tf.env().set(LOOP_REDUCTIONS_FLAG, flag);
  }
}
