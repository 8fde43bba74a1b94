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

  it('updates the moments in place when nothing else holds them, and always gives the weight new memory', async () => {
    await initBackend('wasm');
    try {
      const update = { ...UPDATE, decay: 0.99, gradScale: 0.5 };
      const make = () => tf.tidy(() => [[3, 4], [3, 4], [3, 4], [3, 4]].map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', 30 + i)));
      const step = (inPlace: boolean, cloneM: boolean) => {
        tf.env().set(WASM_IN_PLACE_ADAMW_FLAG, inPlace);
        const [p, m, v, g] = make();
        const held = cloneM ? tf.clone(m) : null;
        const mBefore = [...m.dataSync()];
        const out = fusedAdamW(p, m, v, g, update);
        const result = {
          values: [out.param, out.m, out.v].map((t) => [...t.dataSync()]),
          momentsInPlace: out.m.dataId === m.dataId && out.v.dataId === v.dataId,
          paramInPlace: out.param.dataId === p.dataId,
          cloneKept: held ? [...held.dataSync()].every((x, i) => x === mBefore[i]) : null,
        };
        tf.dispose([p, m, v, g, out.param, out.m, out.v, ...(held ? [held] : [])]);
        return result;
      };
      const before = tf.memory().numTensors;
      const inPlace = step(true, false);
      const copied = step(false, false);
      const shared = step(true, true);
      expect(inPlace.momentsInPlace).toBe(true);
      expect(inPlace.paramInPlace).toBe(false);
      expect(copied.momentsInPlace).toBe(false);
      expect(inPlace.values).toEqual(copied.values);
      expect(shared.momentsInPlace).toBe(false);
      expect(shared.cloneKept).toBe(true);
      expect(shared.values).toEqual(copied.values);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      tf.env().set(WASM_IN_PLACE_ADAMW_FLAG, true);
      await tf.setBackend('cpu');
    }
  });

  it('leaves a weight that a matMul has used multiplying with its new values (XNNPACK caches packed weights by tensor)', async () => {
    await initBackend('wasm');
    try {
      const params = new Map([['w', tf.tidy(() => tf.variable(tf.randomNormal([8, 6], 0, 1, 'float32', 5)))]]);
      const w = params.get('w')!;
      const x = tf.randomNormal([4, 8], 0, 1, 'float32', 6);
      const optimizer = new AdamW(params, new Set(['w']));
      for (let i = 0; i < 3; i++) {
        tf.tidy(() => tf.matMul(x, w).dataSync()); // w as the plain right operand: the form XNNPACK packs and caches
        const grads = new Map([['w', tf.randomNormal([8, 6], 0, 1, 'float32', 40 + i)]]);
        optimizer.step(grads, new Map([['w', 0.1]]));
        tf.dispose([...grads.values()]);
      }
      const got = tf.tidy(() => [...tf.matMul(x, w).dataSync()]);
      const fresh = tf.tensor(w.dataSync(), w.shape);
      const want = tf.tidy(() => [...tf.matMul(x, fresh).dataSync()]);
      expect(got).toEqual(want);
      optimizer.dispose();
      tf.dispose([w, x, fresh]);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
