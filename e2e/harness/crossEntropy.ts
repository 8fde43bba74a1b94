// Browser-side checks of the fused cross-entropy kernels (src/kernels/webgpuCrossEntropy.ts) through
// crossEntropyLoss as the MLM objective calls it, for e2e/webgpuCrossEntropy.spec.ts. Imported by the page (the
// dev server serves the repository), so it shares the page's tfjs and kernel registry.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/kernels/backend';
import { FUSED_CROSS_ENTROPY_FLAG } from '../../src/kernels/webgpuCrossEntropy';
import { crossEntropyLoss } from '../../src/model/losses';
import { goldenCheck } from './golden';

export interface CrossEntropyCase {
  name: string;
  rows: number;
  vocab: number;
  /** 'normal': N(0, 3) logits; 'extreme': N(0, 80) clipped to ±80, most of them at the bounds. */
  logits: 'normal' | 'extreme';
  /** Row weights as the MLM batch has them: 1, and 0 on the padding rows after the first third. */
  weighted: boolean;
}

export interface CrossEntropyResult {
  name: string;
  /** |fused − composed| and |fused − float64| of the loss. */
  lossVsOps: number;
  lossVsExact: number;
  /** max |fused − expected| / max |expected| of dlogits. */
  gradVsOps: number;
  gradVsExact: number;
  finite: boolean;
  /** Shader keys (up to their first '_') of the programs dispatched by forward and backward, fused and composed. */
  fusedPrograms: string[];
  composedPrograms: string[];
  /** Dispatches of forward plus backward (tf.grad runs the forward once), fused and composed. */
  fusedDispatches: number;
  composedDispatches: number;
  /** Most bytes live at once during forward plus backward, beyond the logits themselves, fused and composed. */
  fusedPeakBytes: number;
  composedPeakBytes: number;
}

/** Upstream gradient of the loss: not 1, so that the kernels' use of it shows. */
const DY = 0.75;

/** Shader keys of the WebGPU programs dispatched, and the most tensor bytes live, while `fn` runs. */
async function recording<T>(fn: () => T | Promise<T>): Promise<{ value: T; programs: string[]; peakBytes: number }> {
  const programs: string[] = [];
  const engine = tf.engine();
  const runKernel = engine.runKernel;
  const gpu = tf.backend() as unknown as { runWebGPUProgram(program: { shaderKey: string }, ...rest: unknown[]): unknown };
  const runProgram = gpu.runWebGPUProgram;
  const start = tf.memory().numBytes;
  let peak = start;
  engine.runKernel = function (this: typeof engine, ...args: Parameters<typeof runKernel>) {
    const out = runKernel.apply(this, args);
    peak = Math.max(peak, tf.memory().numBytes);
    return out;
  } as typeof runKernel;
  gpu.runWebGPUProgram = function (this: unknown, program, ...rest) {
    const out = runProgram.call(this, program, ...rest);
    programs.push(program.shaderKey); // set by tfjs as it runs the program
    return out;
  };
  try {
    const value = await fn();
    return { value, programs, peakBytes: peak - start };
  } finally {
    engine.runKernel = runKernel;
    gpu.runWebGPUProgram = runProgram;
  }
}

/** The loss and dlogits (upstream gradient DY) with the flag set to `on`. */
function lossAndGrad(logits: tf.Tensor2D, labels: Int32Array, weights: Float32Array | undefined, on: boolean): tf.Tensor[] {
  tf.env().set(FUSED_CROSS_ENTROPY_FLAG, on);
  try {
    return tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => crossEntropyLoss(x as tf.Tensor2D, labels, weights))([logits], tf.scalar(DY));
      return [value, grads[0]];
    });
  } finally {
    tf.env().set(FUSED_CROSS_ENTROPY_FLAG, true);
  }
}

/** lossAndGrad's results as numbers, and what ran meanwhile. */
async function measured(logits: tf.Tensor2D, labels: Int32Array, weights: Float32Array | undefined, on: boolean) {
  const { value, programs, peakBytes } = await recording(() => lossAndGrad(logits, labels, weights, on));
  const [loss, grad] = await Promise.all(value.map(async (t) => Array.from(await t.data())));
  tf.dispose(value);
  return { loss: loss[0], grad, programs, peakBytes };
}

/** Loss and dlogits in float64 from the float32 logits, as HF's loss defines them. */
function exact(logits: Float32Array, rows: number, vocab: number, labels: Int32Array, weights: Float32Array) {
  const total = weights.reduce((a, w) => a + w, 0);
  const grad = new Float64Array(rows * vocab);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * vocab, (r + 1) * vocab);
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    const lse = max + Math.log(sum);
    loss += weights[r] * (lse - row[labels[r]]);
    for (let j = 0; j < vocab; j++) {
      grad[r * vocab + j] = (Math.exp(row[j] - lse) - (j === labels[r] ? 1 : 0)) * weights[r] / total * DY;
    }
  }
  return { loss: loss / total, grad };
}

function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let [worst, scale] = [0, 0];
  for (let j = 0; j < expected.length; j++) {
    worst = Math.max(worst, Math.abs(actual[j] - expected[j]));
    scale = Math.max(scale, Math.abs(expected[j]));
  }
  return scale === 0 ? worst : worst / scale;
}

const family = (programs: string[]) => [...new Set(programs.map((key) => key.split('_')[0]))];

export async function crossEntropyCheck(cases: CrossEntropyCase[]): Promise<CrossEntropyResult[]> {
  await initBackend('webgpu');
  const results: CrossEntropyResult[] = [];
  for (const [i, c] of cases.entries()) {
    const { rows, vocab } = c;
    const logits = tf.tidy(() => {
      const normal = tf.randomNormal([rows, vocab], 0, c.logits === 'extreme' ? 80 : 3, 'float32', i + 1);
      return (c.logits === 'extreme' ? tf.clipByValue(normal, -80, 80) : normal) as tf.Tensor2D;
    });
    const labels = Int32Array.from({ length: rows }, (_, r) => (r * 7919 + i * 104729) % vocab);
    const weights = c.weighted ? Float32Array.from({ length: rows }, (_, r) => (r < Math.ceil(rows / 3) ? 1 : 0)) : undefined;
    const fused = await measured(logits, labels, weights, true);
    const composed = await measured(logits, labels, weights, false);
    const reference = exact(await logits.data() as Float32Array, rows, vocab, labels, weights ?? new Float32Array(rows).fill(1));
    const logitBytes = logits.size * 4;
    logits.dispose();
    results.push({
      name: c.name,
      lossVsOps: Math.abs(fused.loss - composed.loss),
      lossVsExact: Math.abs(fused.loss - reference.loss),
      gradVsOps: relError(fused.grad, composed.grad),
      gradVsExact: relError(fused.grad, reference.grad),
      finite: Number.isFinite(fused.loss) && fused.grad.every(Number.isFinite),
      fusedPrograms: family(fused.programs),
      composedPrograms: family(composed.programs),
      fusedDispatches: fused.programs.length,
      composedDispatches: composed.programs.length,
      fusedPeakBytes: fused.peakBytes - logitBytes,
      composedPeakBytes: composed.peakBytes - logitBytes,
    });
  }
  return results;
}

/** tf.memory().numTensors and the backend's buffers after each of several passes of a small MLM-like head. */
export async function crossEntropyLeakCheck(passes: number): Promise<{ tensors: number; dataIds: number }[]> {
  await initBackend('webgpu');
  const weight = tf.variable(tf.randomNormal([37, 24], 0, 0.3, 'float32', 1));
  const x = tf.randomNormal<tf.Rank.R2>([7, 24], 0, 1, 'float32', 2);
  const labels = Int32Array.from([0, 5, 36, 2, 2, 9, 0]);
  const weights = Float32Array.from([1, 1, 1, 1, 1, 0, 0]);
  const backend = tf.backend() as unknown as { numDataIds(): number };
  const counts: { tensors: number; dataIds: number }[] = [];
  for (let i = 0; i < passes; i++) {
    const { value, grads } = tf.variableGrads(() => crossEntropyLoss(tf.matMul(x, weight, false, true), labels, weights));
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
    counts.push({ tensors: tf.memory().numTensors, dataIds: backend.numDataIds() });
  }
  tf.dispose([x, weight]);
  return counts;
}

/** A golden fixture's report on WebGPU, and the programs that ran for it. */
export async function crossEntropyGolden(fixture: string) {
  await initBackend('webgpu');
  const { value: report, programs } = await recording(() => goldenCheck(fixture, 'webgpu'));
  return { report, programs: family(programs) };
}
