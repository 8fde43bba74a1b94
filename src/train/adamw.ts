/**
 * AdamW (Loshchilov & Hutter) on tfjs, with state keyed by parameter NAME: tfjs's own Adam keys its moments by
 * the position of each variable in the list, so changing which parameters train (freezing) would silently pair
 * moments with the wrong tensors.
 *
 * The update is PyTorch's `torch.optim.AdamW`, per parameter p with gradient g at its own step count t:
 *   p ← p · (1 − lr · wd)                         (decoupled decay; only for parameters in the decay set)
 *   m ← β1 · m + (1 − β1) · g
 *   v ← β2 · v + (1 − β2) · g²
 *   p ← p − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * A parameter with no gradient in a step (frozen) is skipped entirely, as PyTorch skips `grad is None`: no decay,
 * no moment decay, no step count. Its moments are kept, so it resumes where it stopped when unfrozen; moments
 * are allocated on a parameter's first gradient, so parameters that never train cost no memory.
 *
 * On WebGPU and wasm each parameter's update is one fused kernel (src/kernels/adamwKernel.ts: 3 dispatches instead
 * of ~14 on WebGPU, one pass over the heap on wasm); on the cpu backend it is the tf-ops form below, which the fused
 * kernels are tested against.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedAdamW, fusedAdamWAvailable, type AdamWTensors, type AdamWUpdate } from '../kernels/adamwKernel';
import { TrainInputError } from './errors';

export interface AdamWConfig {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 };

/** One parameter's optimizer state, read back to the CPU for checkpoints. */
export interface AdamWSlotState {
  /** Updates this parameter has received (its own bias-correction step). */
  step: number;
  shape: number[];
  /** First moment (PyTorch's `exp_avg`). */
  m: Float32Array;
  /** Second moment (`exp_avg_sq`). */
  v: Float32Array;
}

export interface AdamWState {
  slots: Record<string, AdamWSlotState>;
}

interface Slot {
  m: tf.Variable; // same shape as its parameter
  v: tf.Variable;
  step: number;
}

function checkConfig({ beta1, beta2, epsilon, weightDecay }: AdamWConfig): void {
  const inUnit = (x: number): boolean => x >= 0 && x < 1;
  if (!inUnit(beta1) || !inUnit(beta2)) throw new TrainInputError(`AdamW betas must be in [0, 1), got ${beta1}, ${beta2}`);
  if (!(epsilon > 0 && Number.isFinite(epsilon))) throw new TrainInputError(`AdamW epsilon must be > 0, got ${epsilon}`);
  if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) {
    throw new TrainInputError(`weightDecay must be a number >= 0, got ${weightDecay}`, 'weightDecay');
  }
}

/** The update in tf ops, for backends without the fused kernel (the reference the fused kernel is tested against). */
function adamWOps(param: tf.Tensor, m: tf.Tensor, v: tf.Tensor, rawGrad: tf.Tensor, update: AdamWUpdate): AdamWTensors {
  const { beta1, beta2, epsilon, decay, stepSize, biasCorrection2Sqrt, gradScale } = update;
  const grad = gradScale === 1 ? rawGrad : rawGrad.mul(gradScale);
  const newM = m.mul(beta1).add(grad.mul(1 - beta1));
  const newV = v.mul(beta2).add(grad.square().mul(1 - beta2));
  const denom = newV.sqrt().div(biasCorrection2Sqrt).add(epsilon);
  const decayed = decay === 1 ? param : param.mul(decay);
  return { param: decayed.sub(newM.div(denom).mul(stepSize)), m: newM, v: newV };
}

export class AdamW {
  readonly config: AdamWConfig;
  private readonly slots = new Map<string, Slot>();

  /**
   * `params`: every parameter the model has, by name (frozen ones included: a later step may train them).
   * `decay`: names that get weight decay (see groups.ts for the rule).
   */
  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    private readonly decay: ReadonlySet<string>,
    config: Partial<AdamWConfig> = {},
  ) {
    this.config = { ...ADAMW_DEFAULTS, ...config };
    checkConfig(this.config);
    for (const name of decay) {
      if (!params.has(name)) throw new TrainInputError(`decay set names ${name}, which is not a parameter`);
    }
  }

  /**
   * Updates each parameter that has a gradient in `grads`, with its learning rate from `lrs`, each gradient
   * scaled by `gradScale` as it is read (global-norm clipping's factor: see `clipScale`).
   */
  step(grads: ReadonlyMap<string, tf.Tensor>, lrs: ReadonlyMap<string, number>, gradScale = 1): void {
    if (!(gradScale > 0 && gradScale <= 1)) throw new TrainInputError(`gradient scale must be in (0, 1], got ${gradScale}`);
    // Check everything before touching anything, so a bad call leaves parameters and state as they were.
    for (const [name, grad] of grads) {
      const param = this.param(name);
      if (!tf.util.arraysEqual(grad.shape, param.shape)) {
        throw new TrainInputError(`gradient for ${name} has shape [${grad.shape}], the parameter [${param.shape}]`);
      }
      const lr = lrs.get(name);
      if (lr === undefined || !(lr >= 0 && Number.isFinite(lr))) {
        throw new TrainInputError(`learning rate for ${name} must be a number >= 0, got ${lr}`);
      }
    }
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    const fused = fusedAdamWAvailable();
    for (const [name, grad] of grads) {
      const param = this.param(name);
      const lr = lrs.get(name)!;
      const slot = this.slot(name, param);
      slot.step += 1;
      const update: AdamWUpdate = {
        beta1,
        beta2,
        epsilon,
        decay: this.decay.has(name) && weightDecay > 0 ? 1 - lr * weightDecay : 1,
        stepSize: lr / (1 - beta1 ** slot.step),
        biasCorrection2Sqrt: Math.sqrt(1 - beta2 ** slot.step),
        gradScale,
      };
      tf.tidy(() => {
        const next = fused ? fusedAdamW(param, slot.m, slot.v, grad, update) : adamWOps(param, slot.m, slot.v, grad, update);
        slot.m.assign(next.m);
        slot.v.assign(next.v);
        param.assign(next.param);
      });
    }
  }

  /** Reads every slot back to the CPU (one readback per tensor: for checkpoints, not every step). */
  async state(): Promise<AdamWState> {
    const slots: Record<string, AdamWSlotState> = {};
    for (const [name, slot] of this.slots) {
      const [m, v] = await Promise.all([slot.m.data<'float32'>(), slot.v.data<'float32'>()]);
      slots[name] = { step: slot.step, shape: [...slot.m.shape], m, v };
    }
    return { slots };
  }

  /** Replaces all state with `state` (from `state()`), after checking every name, shape and length. */
  loadState(state: AdamWState): void {
    const entries = Object.entries(state.slots);
    for (const [name, saved] of entries) {
      const param = this.param(name);
      const size = param.size;
      if (!tf.util.arraysEqual(saved.shape, param.shape) || saved.m.length !== size || saved.v.length !== size) {
        throw new TrainInputError(`optimizer state for ${name} has shape [${saved.shape}], the parameter [${param.shape}]`);
      }
      if (!Number.isInteger(saved.step) || saved.step < 1) {
        throw new TrainInputError(`optimizer state for ${name} has a bad step count ${saved.step}`);
      }
    }
    this.dispose();
    for (const [name, saved] of entries) {
      this.slots.set(name, { m: variableOf(saved.m, saved.shape), v: variableOf(saved.v, saved.shape), step: saved.step });
    }
  }

  /** Frees every moment tensor; the optimizer starts from scratch if stepped again. */
  dispose(): void {
    for (const slot of this.slots.values()) {
      slot.m.dispose();
      slot.v.dispose();
    }
    this.slots.clear();
  }

  /** The update count of one parameter (0 if it never trained). */
  stepOf(name: string): number {
    return this.slots.get(name)?.step ?? 0;
  }

  private param(name: string): tf.Variable {
    const param = this.params.get(name);
    if (!param) throw new TrainInputError(`the optimizer has no parameter named ${name}`);
    return param;
  }

  private slot(name: string, param: tf.Variable): Slot {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(param), false), v: tf.variable(tf.zerosLike(param), false), step: 0 }));
      this.slots.set(name, slot);
    }
    return slot;
  }
}

/** A variable holding `values`; the tensor it is made from is freed, or it would stay counted (and leak) per load. */
function variableOf(values: Float32Array, shape: number[]): tf.Variable {
  const initial = tf.tensor(values, shape, 'float32');
  const variable = tf.variable(initial, false);
  initial.dispose();
  return variable;
}
