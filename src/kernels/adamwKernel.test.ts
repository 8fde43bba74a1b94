import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from '../train/adamw';
import { FUSED_ADAMW_FLAG, FUSED_ADAMW_KERNEL, fusedAdamW, fusedAdamWAvailable, WASM_IN_PLACE_ADAMW_FLAG, type AdamWUpdate } from './adamwKernel';
import { initBackend } from './backend';

// The WebGPU kernel runs in Chromium: e2e/kernels.spec.ts checks its numbers there. The wasm one is checked here.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const UPDATE: AdamWUpdate = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decay: 1, stepSize: 1e-3, biasCorrection2Sqrt: 1, gradScale: 1 };

describe('fused AdamW kernel', () => {
  it('is registered for webgpu and wasm and on by default', () => {
    expect(tf.getKernel(FUSED_ADAMW_KERNEL, 'webgpu')).toBeDefined();
    expect(tf.getKernel(FUSED_ADAMW_KERNEL, 'wasm')).toBeDefined();
    expect(tf.getKernel(FUSED_ADAMW_KERNEL, 'cpu')).toBeUndefined();
    expect(tf.env().getBool(FUSED_ADAMW_FLAG)).toBe(true);
  });

  it('is unavailable on a backend without the kernel, whatever the flag', () => {
    expect(fusedAdamWAvailable()).toBe(false);
  });

  it('rejects moments or gradients that do not match the parameter', () => {
    const [p, small, ints] = [tf.zeros([2, 3]), tf.zeros([3]), tf.zeros([2, 3], 'int32')];
    expect(() => fusedAdamW(p, small, p, p, UPDATE)).toThrow(/fusedAdamW: m is float32 \[3\], expected float32 \[2,3\]/);
    expect(() => fusedAdamW(p, p, p, ints, UPDATE)).toThrow(/grad is int32 \[2,3\]/);
    expect(() => fusedAdamW(ints, ints, ints, ints, UPDATE)).toThrow(/param is int32/);
    tf.dispose([p, small, ints]);
  });
});

describe('fused AdamW on wasm', () => {
  it('matches the tf-ops form over 5 steps, with and without weight decay and clipping, and leaks nothing', async () => {
    await initBackend('wasm');
    try {
      const run = (fused: boolean) => {
        tf.env().set(FUSED_ADAMW_FLAG, fused);
        const params = new Map([
          ['w', tf.variable(tf.randomNormal([7, 5], 0, 1, 'float32', 1))],
          ['b', tf.variable(tf.randomNormal([5], 0, 1, 'float32', 2))],
        ]);
        const optimizer = new AdamW(params, new Set(['w']), { weightDecay: 0.01 });
        const lrs = new Map([['w', 1e-2], ['b', 3e-3]]);
        let afterFirst = 0; // the first step creates the moments (seeds start at 1: tfjs takes seed 0 for none)
        for (let step = 0; step < 5; step++) {
          const grads = new Map([...params].map(([name, p], i) => [name, tf.randomNormal(p.shape, 0, 1, 'float32', 10 * step + i + 1)]));
          optimizer.step(grads, lrs, step % 2 === 0 ? 0.37 : 1); // even steps clip
          tf.dispose([...grads.values()]);
          if (step === 0) afterFirst = tf.memory().numTensors;
        }
        expect(tf.memory().numTensors).toBe(afterFirst);
        const values = [...params.values()].map((p) => [...p.dataSync()]);
        optimizer.dispose();
        tf.dispose([...params.values()]);
        return values.flat();
      };
      expect(fusedAdamWAvailable()).toBe(true);
      const [fused, ops] = [run(true), run(false)];
      fused.forEach((value, i) => expect(Math.abs(value - ops[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ops[i]))));
    } finally {
      tf.env().set(FUSED_ADAMW_FLAG, true);
      await tf.setBackend('cpu');
    }
  });

  it('updates in place when nothing else holds the memory, and copies when a clone shares it', async () => {
    await initBackend('wasm');
    try {
      const step = (inPlace: boolean, keepClone: boolean) => {
        tf.env().set(WASM_IN_PLACE_ADAMW_FLAG, inPlace);
        const params = new Map([['w', tf.tidy(() => tf.variable(tf.randomNormal([6, 4], 0, 1, 'float32', 3)))]]);
        const w = params.get('w')!;
        const clone = keepClone ? tf.clone(w) : null;
        const before = clone ? [...clone.dataSync()] : null;
        const optimizer = new AdamW(params, new Set(['w']), { weightDecay: 0.01 });
        const lrs = new Map([['w', 1e-2]]);
        const dataIds: tf.DataId[] = [w.dataId];
        for (let i = 0; i < 3; i++) {
          const grads = new Map([['w', tf.randomNormal([6, 4], 0, 1, 'float32', 20 + i)]]);
          optimizer.step(grads, lrs, 0.5);
          tf.dispose([...grads.values()]);
          dataIds.push(w.dataId);
        }
        const result = { values: [...w.dataSync()], sameMemory: dataIds.every((id) => id === dataIds[0]), cloneKept: clone ? [...clone.dataSync()].every((x, i) => x === before![i]) : null };
        optimizer.dispose();
        tf.dispose([w, ...(clone ? [clone] : [])]);
        return result;
      };
      const before = tf.memory().numTensors;
      const inPlace = step(true, false);
      const copied = step(false, false);
      const shared = step(true, true);
      expect(inPlace.sameMemory).toBe(true);
      expect(copied.sameMemory).toBe(false);
      expect(inPlace.values).toEqual(copied.values);
      expect(shared.sameMemory).toBe(false); // the first step copies; the clone then no longer shares
      expect(shared.cloneKept).toBe(true);
      expect(shared.values).toEqual(copied.values);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      tf.env().set(WASM_IN_PLACE_ADAMW_FLAG, true);
      await tf.setBackend('cpu');
    }
  });
});
