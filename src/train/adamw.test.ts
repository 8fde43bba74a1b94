import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdamW, type AdamWConfig } from './adamw';
import { TrainInputError } from './errors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The setup of tools/reference/adamw_reference.py; the numbers below are its output.
const LRS = [1e-2, 2e-2, 5e-3, 1e-2, 3e-3];
const CONFIG: AdamWConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 };
const INITIAL: Record<string, { values: number[]; shape: number[] }> = {
  w: { values: Array.from({ length: 6 }, (_, i) => 0.5 - 0.3 * i), shape: [2, 3] },
  b: { values: Array.from({ length: 3 }, (_, i) => 0.1 * (i + 1)), shape: [3] },
  e: { values: [1, -2, 0.5, 0.25], shape: [2, 2] },
};
const GRAD_FORM: Record<string, { scale: number; phase: number }> = {
  w: { scale: 1, phase: 0 },
  b: { scale: 1e-8, phase: 1 },
  e: { scale: 100, phase: 2 },
};
const FROZEN: Record<string, number[]> = { e: [2, 3] };
const LR_SCALE: Record<string, number> = { w: 1, b: 2, e: 1 };
const DECAY = new Set(['w', 'e']);

// torch 1.13.0a0, after 5 steps
const TORCH = {
  w: { param: [0.469016701, 0.182273865, -0.096912384, -0.36498639, -0.664960027, -0.971544802], m: [-0.0129088787, 0.0133882519, 0.0333886817, 0.0376858972, 0.0242588483, -0.000577528845], v: [0.002487747, 0.00260332925, 0.00253908685, 0.00240166602, 0.00241919421, 0.00256257341], step: 5 },
  b: { param: [0.0926513076, 0.212486312, 0.327151507], m: [2.3409269e-10, 3.74704351e-10, 3.39086592e-10], v: [2.59911755e-19, 2.47361279e-19, 2.38362123e-19], step: 5 },
  e: { param: [0.999361873, -1.98806989, 0.510710359, 0.267118633], m: [13.8501415, 5.08927107, -6.06516266, -14.3670568], v: [12.9169436, 16.1817112, 17.4598675, 14.6295929], step: 3 },
};

function gradValues(name: string, t: number): number[] {
  const { scale, phase } = GRAD_FORM[name];
  return INITIAL[name].values.map((_, i) => scale * Math.sin(0.7 * i + 1.3 * t + phase));
}

function makeParams(): Map<string, tf.Variable> {
  return new Map(Object.entries(INITIAL).map(([name, { values, shape }]) => [name, tf.variable(tf.tensor(values, shape), true)]));
}

/** Gradients and learning rates of reference step t (1-based), frozen parameters left out. */
function stepInputs(t: number, order = ['w', 'b', 'e']): { grads: Map<string, tf.Tensor>; lrs: Map<string, number> } {
  const names = order.filter((name) => !FROZEN[name]?.includes(t));
  return {
    grads: new Map(names.map((name) => [name, tf.tensor(gradValues(name, t), INITIAL[name].shape)])),
    lrs: new Map(names.map((name) => [name, LRS[t - 1] * LR_SCALE[name]])),
  };
}

function runSteps(optimizer: AdamW, from: number, to: number, order?: string[]): void {
  for (let t = from; t <= to; t++) {
    const { grads, lrs } = stepInputs(t, order);
    optimizer.step(grads, lrs);
    tf.dispose([...grads.values()]);
  }
}

/** Plain double-precision AdamW, written from the PyTorch docs, as an independent reference. */
function referenceAdamW(name: string, steps: number): { param: number[]; m: number[]; v: number[] } {
  const param = [...INITIAL[name].values];
  const m = param.map(() => 0);
  const v = param.map(() => 0);
  let own = 0;
  for (let t = 1; t <= steps; t++) {
    if (FROZEN[name]?.includes(t)) continue;
    own += 1;
    const lr = LRS[t - 1] * LR_SCALE[name];
    const g = gradValues(name, t);
    for (let i = 0; i < param.length; i++) {
      if (DECAY.has(name)) param[i] *= 1 - lr * CONFIG.weightDecay;
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - 0.999 ** own) + 1e-8;
      param[i] -= (lr / (1 - 0.9 ** own)) * (m[i] / denom);
    }
  }
  return { param, m, v };
}

function expectClose(actual: ArrayLike<number>, expected: number[], relative: number, label: string): void {
  const scale = Math.max(...expected.map(Math.abs));
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${label}[${i}]`).toBeLessThanOrEqual(relative * scale);
  }
}

const created: { dispose(): void }[] = [];
function track<T extends { dispose(): void }>(value: T): T {
  created.push(value);
  return value;
}
afterEach(() => {
  for (const value of created.splice(0)) value.dispose();
});

function setup(config: AdamWConfig = CONFIG): { params: Map<string, tf.Variable>; optimizer: AdamW } {
  const params = makeParams();
  for (const param of params.values()) track(param);
  return { params, optimizer: track(new AdamW(params, DECAY, config)) };
}

describe('AdamW', () => {
  it('takes a first step of lr · g / (|g| + ε) after decoupled decay', () => {
    const { params, optimizer } = setup();
    runSteps(optimizer, 1, 1);
    for (const name of ['w', 'b', 'e']) {
      const lr = LRS[0] * LR_SCALE[name];
      const decay = DECAY.has(name) ? 1 - lr * CONFIG.weightDecay : 1;
      const expected = INITIAL[name].values.map((p, i) => {
        const g = gradValues(name, 1)[i];
        return p * decay - (lr * g) / (Math.abs(g) + 1e-8);
      });
      expectClose(params.get(name)!.dataSync(), expected, 1e-6, name);
    }
  });

  it('matches a double-precision reference and PyTorch AdamW over 5 steps with a frozen stretch', async () => {
    const { params, optimizer } = setup();
    runSteps(optimizer, 1, 5);
    const state = await optimizer.state();
    for (const name of ['w', 'b', 'e'] as const) {
      const reference = referenceAdamW(name, 5);
      const param = params.get(name)!.dataSync();
      expectClose(param, reference.param, 1e-6, `${name} vs reference`);
      expectClose(state.slots[name].m, reference.m, 1e-5, `${name}.m vs reference`);
      expectClose(state.slots[name].v, reference.v, 1e-5, `${name}.v vs reference`);
      expectClose(param, TORCH[name].param, 1e-6, `${name} vs torch`);
      expectClose(state.slots[name].m, TORCH[name].m, 1e-5, `${name}.m vs torch`);
      expectClose(state.slots[name].v, TORCH[name].v, 1e-5, `${name}.v vs torch`);
      expect(state.slots[name].step).toBe(TORCH[name].step);
    }
  });

  it('decays only the decay set', () => {
    const { params, optimizer } = setup();
    const zeros = new Map([...params].map(([name, p]) => [name, tf.zerosLike(p)]));
    const lrs = new Map([...params.keys()].map((name) => [name, 0.5]));
    for (let t = 0; t < 3; t++) optimizer.step(zeros, lrs);
    tf.dispose([...zeros.values()]);
    // Zero gradients give a zero Adam update, leaving only the decay: p · (1 - 0.5 · 0.1)^3.
    expectClose(params.get('w')!.dataSync(), INITIAL.w.values.map((p) => p * 0.95 ** 3), 1e-6, 'w');
    expectClose(params.get('b')!.dataSync(), INITIAL.b.values, 1e-7, 'b');
  });

  it('reads each gradient times the clipping factor: the same update as pre-scaled gradients', async () => {
    const scaled = setup();
    const prescaled = setup();
    for (let t = 1; t <= 3; t++) {
      const { grads, lrs } = stepInputs(t);
      scaled.optimizer.step(grads, lrs, 0.25);
      const quartered = new Map([...grads].map(([name, g]) => [name, g.mul(0.25)]));
      prescaled.optimizer.step(quartered, lrs);
      tf.dispose([...grads.values(), ...quartered.values()]);
    }
    for (const name of ['w', 'b', 'e']) expect(scaled.params.get(name)!.dataSync()).toEqual(prescaled.params.get(name)!.dataSync());
    expect((await scaled.optimizer.state()).slots.w).toEqual((await prescaled.optimizer.state()).slots.w);
  });

  it('keeps state by name: gradient order does not matter and frozen parameters are left untouched', async () => {
    const { params, optimizer } = setup();
    const other = setup();
    runSteps(optimizer, 1, 3);
    runSteps(other.optimizer, 1, 3, ['e', 'b', 'w']);
    for (const name of ['w', 'b', 'e']) expect(params.get(name)!.dataSync()).toEqual(other.params.get(name)!.dataSync());

    // e was frozen at steps 2 and 3: its parameter and moments are still those of step 1.
    const afterOne = setup();
    runSteps(afterOne.optimizer, 1, 1);
    expect(params.get('e')!.dataSync()).toEqual(afterOne.params.get('e')!.dataSync());
    expect((await optimizer.state()).slots.e).toEqual((await afterOne.optimizer.state()).slots.e);
    expect(optimizer.stepOf('e')).toBe(1);
    expect(optimizer.stepOf('w')).toBe(3);
    expect(optimizer.stepOf('never')).toBe(0);
  });

  it('keeps the tensor count flat over 50 steps', () => {
    const { optimizer } = setup();
    runSteps(optimizer, 1, 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 49; i++) runSteps(optimizer, 1 + (i % 5), 1 + (i % 5));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes from saved state exactly', async () => {
    const { params, optimizer } = setup();
    runSteps(optimizer, 1, 2);
    const saved = await optimizer.state();
    const savedParams = new Map([...params].map(([name, p]) => [name, p.dataSync().slice()]));
    runSteps(optimizer, 3, 5);

    const resumed = setup();
    for (const [name, values] of savedParams) resumed.params.get(name)!.assign(tf.tensor(values, INITIAL[name].shape));
    resumed.optimizer.loadState(saved);
    runSteps(resumed.optimizer, 3, 5);
    for (const name of ['w', 'b', 'e']) expect(resumed.params.get(name)!.dataSync()).toEqual(params.get(name)!.dataSync());
  });

  it('keeps the tensor count flat when state is loaded again and again', async () => {
    const { optimizer } = setup();
    runSteps(optimizer, 1, 2);
    const saved = await optimizer.state();
    optimizer.loadState(saved);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) optimizer.loadState(saved);
    expect(tf.memory().numTensors).toBe(before);
  });

  describe('bad input', () => {
    it('rejects unknown names, wrong shapes and bad learning rates without changing anything', () => {
      const { params, optimizer } = setup();
      const w = params.get('w')!;
      const before = w.dataSync().slice();
      const grad = tf.onesLike(w);
      const good = new Map([['w', grad]]);
      expect(() => optimizer.step(new Map([['x', grad]]), new Map([['x', 0.1]]))).toThrow(/no parameter named x/);
      expect(() => optimizer.step(new Map([['b', grad]]), new Map([['b', 0.1]]))).toThrow(/shape \[2,3\], the parameter \[3\]/);
      expect(() => optimizer.step(good, new Map())).toThrow(/learning rate for w must be a number >= 0, got undefined/);
      expect(() => optimizer.step(good, new Map([['w', -1]]))).toThrow(TrainInputError);
      expect(() => optimizer.step(good, new Map([['w', Number.NaN]]))).toThrow(TrainInputError);
      expect(() => optimizer.step(good, new Map([['w', 0.1]]), 0)).toThrow(/gradient scale must be in \(0, 1\], got 0/);
      expect(() => optimizer.step(good, new Map([['w', 0.1]]), Number.NaN)).toThrow(TrainInputError);
      const mixed = new Map([['w', grad], ['x', grad]]);
      expect(() => optimizer.step(mixed, new Map([['w', 0.1], ['x', 0.1]]))).toThrow(/no parameter named x/);
      expect(w.dataSync()).toEqual(before);
      expect(optimizer.stepOf('w')).toBe(0);
      grad.dispose();
    });

    it('rejects state that does not fit the parameters', async () => {
      const { optimizer } = setup();
      runSteps(optimizer, 1, 1);
      const state = await optimizer.state();
      const wrongShape = { slots: { ...state.slots, w: { ...state.slots.w, shape: [3, 2] } } };
      expect(() => optimizer.loadState({ slots: { x: state.slots.w } })).toThrow(/no parameter named x/);
      expect(() => optimizer.loadState(wrongShape)).toThrow(/state for w has shape \[3,2\], the parameter \[2,3\]/);
      expect(() => optimizer.loadState({ slots: { b: { ...state.slots.b, m: new Float32Array(2) } } })).toThrow(/state for b/);
      expect(() => optimizer.loadState({ slots: { b: { ...state.slots.b, step: 0 } } })).toThrow(/bad step count 0/);
      expect(optimizer.stepOf('w')).toBe(1);
    });

    it('rejects bad hyperparameters and decay names', () => {
      const params = makeParams();
      for (const param of params.values()) track(param);
      expect(() => new AdamW(params, DECAY, { beta1: 1 })).toThrow(/betas must be in \[0, 1\)/);
      expect(() => new AdamW(params, DECAY, { epsilon: 0 })).toThrow(/epsilon must be > 0/);
      expect(() => new AdamW(params, DECAY, { weightDecay: -0.1 })).toThrow(/weightDecay must be a number >= 0/);
      expect(() => new AdamW(params, new Set(['missing']))).toThrow(/decay set names missing/);
    });
  });
});
