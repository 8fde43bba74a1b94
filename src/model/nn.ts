/**
 * The small building blocks every model family's boxes use: Linear, LayerNorm, the activation and dropout, each
 * reading its parameters by HF prefix. Activations are 2-D [tokens, features] throughout an encoder.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedGelu, fusedGeluAvailable } from '../kernels/webgpuGelu';
import { fusedLayerNorm, fusedLayerNormAvailable } from '../kernels/webgpuLayerNorm';
import { fusedBiasAvailable } from '../kernels/webgpuLinear';
import { adapterTerm, type LoraSettings } from './lora';
import { param, type Params } from './params';

/** The activations implemented (HF's `hidden_act` values). */
export type HiddenAct = 'gelu' | 'gelu_new' | 'relu';

/** What a Linear layer that may carry a LoRA adapter needs to run it: the settings, and whether dropout is on. */
export interface AdapterContext {
  lora: LoraSettings | undefined;
  opts: DropoutOptions;
}

/**
 * nn.Linear: x @ W^T + b with W in HF's [out, in] layout, plus its LoRA adapter's term where it has one (lora.ts).
 * tf.fused.matMul (one dispatch) on WebGPU only (src/kernels/webgpuLinear.ts): tfjs-backend-wasm 4.22 adds the bias
 * wrongly when transposeB is set.
 */
export function linear(params: Params, prefix: string, x: tf.Tensor2D, adapter?: AdapterContext): tf.Tensor2D {
  const [weight, bias] = [param(params, `${prefix}.weight`), param(params, `${prefix}.bias`)];
  const base = fusedBiasAvailable()
    ? tf.fused.matMul({ a: x, b: weight, transposeB: true, bias }) as tf.Tensor2D // [tokens, out]
    : tf.add(tf.matMul(x, weight, false, true), bias) as tf.Tensor2D; // [tokens, out]
  if (!adapter?.lora) return base;
  const term = adapterTerm(params, adapter.lora, prefix, dropout(x, adapter.lora.dropout, `${prefix}.lora`, adapter.opts));
  return term ? tf.add(base, term) : base;
}

/**
 * nn.LayerNorm over the last axis (biased variance, as PyTorch), with its gradient written out: the backward pass
 * keeps only x̂ and 1/σ per row, where tfjs's own gradients of the composed ops would keep about six
 * [tokens, features] tensors. With g = dy·γ: dx = (g − mean(g) − x̂·mean(g·x̂)) / σ, dγ = Σ dy·x̂, dβ = Σ dy.
 * Where the fused WebGPU kernels are registered, one dispatch each way instead, keeping x and each row's mean and
 * 1/σ (src/kernels/webgpuLayerNorm.ts).
 */
export function layerNorm(params: Params, prefix: string, x: tf.Tensor2D, eps: number): tf.Tensor2D {
  const gamma = param(params, `${prefix}.weight`);
  if (fusedLayerNormAvailable()) return fusedLayerNorm(x, gamma, param(params, `${prefix}.bias`), eps) as tf.Tensor2D;
  const normalise = tf.customGrad((input, weight, bias, save) => {
    const [xs, w, b] = [input, weight, bias] as tf.Tensor[];
    const { mean, variance } = tf.moments(xs, -1, true); // [tokens, 1] each
    const rstd = tf.rsqrt(tf.add(variance, eps)); // [tokens, 1]
    const normed = tf.mul(tf.sub(xs, mean), rstd); // [tokens, features]
    (save as tf.GradSaveFunc)([normed, rstd]);
    return {
      value: tf.add(tf.mul(normed, w), b),
      gradFunc: (dy: tf.Tensor, [xHat, invStd]: tf.Tensor[]) => {
        const g = tf.mul(dy, gamma);
        const centred = tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(xHat, tf.mean(tf.mul(g, xHat), -1, true)));
        return [tf.mul(centred, invStd), tf.sum(tf.mul(dy, xHat), 0), tf.sum(dy, 0)];
      },
    };
  });
  return normalise(x, gamma, param(params, `${prefix}.bias`)) as tf.Tensor2D;
}

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Φ(x), the standard normal CDF, as erf computes it. */
const normalCdf = (x: tf.Tensor) => tf.mul(tf.add(tf.erf(tf.mul(x, SQRT_HALF)), 1), 0.5);

/**
 * Exact GELU x·Φ(x), with its gradient Φ(x) + x·φ(x) written out so that the backward pass keeps x alone (the
 * composed ops' own gradients would keep three more [tokens, intermediate] tensors, the largest in a layer).
 */
const geluExact = tf.customGrad((input, save) => {
  const x = input as tf.Tensor;
  (save as tf.GradSaveFunc)([x]);
  return {
    value: tf.mul(x, normalCdf(x)),
    gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => {
      const density = tf.mul(tf.exp(tf.mul(tf.square(saved), -0.5)), INV_SQRT_2PI); // φ(x)
      return tf.mul(dy, tf.add(normalCdf(saved), tf.mul(saved, density)));
    },
  };
});

/** HF's ACT2FN for the activations a config may name. */
export function activation(name: HiddenAct, x: tf.Tensor2D): tf.Tensor2D {
  switch (name) {
    case 'gelu': // exact: x * Φ(x), one dispatch each way where the fused WebGPU kernels are registered
      return (fusedGeluAvailable() ? fusedGelu(x) : geluExact(x)) as tf.Tensor2D;
    case 'gelu_new': {
      // tanh approximation, as in the original BERT TensorFlow code
      const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
    }
    case 'relu':
      return tf.relu(x);
  }
}

/**
 * One-hot rows [ids.length, depth] as float32. Built as int32 and cast: tfjs-backend-wasm 4.22 writes the
 * integer bit pattern when oneHot is asked for float32 directly (1 becomes 1.4e-45).
 */
export function oneHotFloat(ids: Int32Array, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(tf.tensor1d(ids, 'int32'), depth), 'float32') as tf.Tensor2D; // [ids, depth]
}

/** Whether dropout is active, and the seed that makes it reproducible (omit for fresh randomness). */
export interface DropoutOptions {
  training: boolean;
  seed?: number;
}

/**
 * nn.Dropout, on only when training. Each call site passes its own name, so its mask depends on (seed, site)
 * alone and not on the order in which sites run.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, site: string, opts: DropoutOptions): T {
  if (!opts.training || rate === 0) return x;
  return tf.dropout(x, rate, undefined, dropoutSeed(site, opts)) as T;
}

/** The seed of one dropout site's draws: a fused kernel that draws them itself gets the same mask from it. */
export function dropoutSeed(site: string, opts: DropoutOptions): string | undefined {
  return opts.seed === undefined ? undefined : `${opts.seed}:${site}`;
}
