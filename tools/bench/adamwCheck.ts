// The fused AdamW kernel against AdamW's tf-ops form on the same backend: same parameters, gradients, learning
// rates and freezing, stepped side by side.
import * as tf from '@tensorflow/tfjs';
import { FUSED_ADAMW_FLAG, fusedAdamWAvailable } from '../../src/kernels/adamwKernel';
import { AdamW } from '../../src/train/adamw';
import type { AdamWComparison } from './protocol';

/** Odd sizes on purpose: not multiples of the workgroup, one larger than a single dispatch row of workgroups. */
const SHAPES: Record<string, number[]> = {
  'embeddings.weight': [300, 129],
  'dense.weight': [37, 5],
  'dense.bias': [37],
  'norm.weight': [3],
};
const DECAY = new Set(['embeddings.weight', 'dense.weight']);
/** Step numbers (1-based) at which a parameter is frozen (gets no gradient). */
const FROZEN: Record<string, number[]> = { 'dense.bias': [2, 3] };

function makeParams(seed: number): Map<string, tf.Variable> {
  return new Map(Object.entries(SHAPES).map(([name, shape], i) => [name, tf.variable(tf.randomNormal(shape, 0, 1, 'float32', seed + i))]));
}

/** Gradients of step t: ~N(0, 1) scaled per tensor, from tiny to large, so ε and v's range both matter. */
function gradsAt(t: number): Map<string, tf.Tensor> {
  const scales = [1, 1e-6, 100, 0.3];
  return new Map(
    Object.entries(SHAPES)
      .filter(([name]) => !FROZEN[name]?.includes(t))
      .map(([name, shape], i) => [name, tf.randomNormal(shape, 0, scales[i], 'float32', 100 * t + i)]),
  );
}

function relError(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? worst : worst / scale;
}

export async function compareAdamW(steps: number): Promise<AdamWComparison> {
  const config = { weightDecay: 0.1 };
  const fusedParams = makeParams(1);
  const referenceParams = makeParams(1);
  const fused = new AdamW(fusedParams, DECAY, config);
  const reference = new AdamW(referenceParams, DECAY, config);
  const initial = new Map<string, Float32Array>();
  for (const [name, p] of referenceParams) initial.set(name, (await p.data()) as Float32Array);
  const flag = tf.env().getBool(FUSED_ADAMW_FLAG);
  let fusedUsed = false;
  const tensorCounts: number[] = [];
  try {
    for (let t = 1; t <= steps; t++) {
      const grads = gradsAt(t);
      const lrs = new Map([...grads.keys()].map((name, i) => [name, 1e-3 * (1 + i) * (1 + 0.5 * Math.sin(t))]));
      // Odd steps clip: the fused kernel applies the clipping factor as it reads each gradient.
      const gradScale = t % 2 === 1 ? 0.37 : 1;
      tf.env().set(FUSED_ADAMW_FLAG, true);
      fusedUsed = fusedAdamWAvailable();
      fused.step(grads, lrs, gradScale);
      tf.env().set(FUSED_ADAMW_FLAG, false);
      reference.step(grads, lrs, gradScale);
      tf.dispose([...grads.values()]);
      tensorCounts.push(tf.memory().numTensors);
    }
    const [fusedState, referenceState] = [await fused.state(), await reference.state()];
    const errors: AdamWComparison['errors'] = [];
    for (const name of Object.keys(SHAPES)) {
      const [actual, expected] = [await fusedParams.get(name)!.data(), await referenceParams.get(name)!.data()];
      const start = initial.get(name)!;
      errors.push({ name, kind: 'param', relError: relError(actual as Float32Array, expected as Float32Array) });
      const change = (values: Float32Array) => values.map((x, i) => x - start[i]);
      errors.push({ name, kind: 'update', relError: relError(change(actual as Float32Array), change(expected as Float32Array)) });
      for (const kind of ['m', 'v'] as const) {
        errors.push({ name, kind, relError: relError(fusedState.slots[name][kind], referenceState.slots[name][kind]) });
      }
    }
    return { backend: tf.getBackend(), fusedUsed, steps, errors, tensorCounts };
  } finally {
    tf.env().set(FUSED_ADAMW_FLAG, flag);
    fused.dispose();
    reference.dispose();
    tf.dispose([...fusedParams.values(), ...referenceParams.values()]);
  }
}
