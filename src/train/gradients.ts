/**
 * Gradient plumbing between the backward pass and the optimizer: taking gradients of the trainable parameters,
 * their global norm and clipping factor, and accumulation over micro-batches. Gradients travel as
 * `Map<name, tensor>`, keyed by parameter name like the parameters themselves.
 */
import * as tf from '@tensorflow/tfjs';
import { variableGrads } from '../kernels/backprop';
import { TrainInputError } from './errors';

export interface LossAndGrads {
  loss: tf.Scalar;
  /**
   * One gradient per requested parameter name the loss depends on (the caller disposes them); a parameter it does
   * not depend on has none, and the optimizer leaves it as it is, as PyTorch does with a `None` grad.
   */
  grads: Map<string, tf.Tensor>;
}

/**
 * Gradients of the named parameters only (backprop.ts), keyed by parameter name. Parameters left out (frozen
 * ones) get no gradient computed at all.
 */
export function gradsByName(
  lossFn: () => tf.Scalar,
  params: ReadonlyMap<string, tf.Variable>,
  names: readonly string[],
): LossAndGrads {
  if (names.length === 0) throw new TrainInputError('no parameters to take gradients of');
  const variables = names.map((name) => {
    const variable = params.get(name);
    if (!variable) throw new TrainInputError(`no parameter named ${name}`);
    return variable;
  });
  const { value, grads } = variableGrads(lossFn, variables);
  return { loss: value, grads: new Map(names.flatMap((name, i) => (grads[i] ? [[name, grads[i]]] : []))) };
}

/** The global L2 norm of all gradients, on the device; non-finite when any gradient holds a NaN or Inf. */
export function globalNorm(grads: ReadonlyMap<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    const values = [...grads.values()];
    // One squared sum per tensor, stacked (concat splits its inputs into chunks the device can bind; addN does not).
    // Each square is freed as soon as it is summed: kept to the end of the tidy they would hold one more copy of
    // every gradient at the step's peak (418 MB for bert-base).
    const total = values.length === 0 ? tf.scalar(0) : tf.stack(values.map((g) => tf.tidy(() => g.square().sum()))).sum();
    return total.sqrt() as tf.Scalar;
  });
}

/**
 * The factor `torch.nn.utils.clip_grad_norm_` scales every gradient by: min(1, maxNorm / (norm + 1e-6)). It is a
 * number, not a tensor: the norm is read back before every update anyway, and the optimizer applies the factor as
 * it reads each gradient (adamw.ts), so clipping costs neither a gradient-sized copy nor a dispatch per tensor.
 */
export function clipScale(norm: number, maxNorm: number): number {
  if (!(maxNorm > 0 && Number.isFinite(maxNorm))) {
    throw new TrainInputError(`maxGradNorm must be a number > 0, got ${maxNorm}`, 'maxGradNorm');
  }
  return Math.min(1, maxNorm / (norm + 1e-6));
}

interface Sum {
  total: tf.Variable; // same shape as the parameter
  /** Whether `total` holds a sum for the current optimizer step; otherwise its contents are stale. */
  active: boolean;
}

/**
 * Sums gradients over micro-batches into one buffer per parameter name and returns their weighted mean.
 * Buffers are allocated on first sight of a name and kept across `reset()`; the first add after a reset
 * overwrites instead of adding, so resetting costs no device work and the tensor count stays flat. When each
 * micro-batch's loss is a mean over its examples, weighting it by its example count makes the result the full
 * batch's gradient even when a micro-batch is short (the last of an epoch).
 */
export class GradAccumulator {
  private readonly sums = new Map<string, Sum>();
  private weight = 0;

  /** Micro-batches added since the last reset. */
  count = 0;

  /** Adds `weight` × each gradient. Every add between resets must bring the same parameter names. */
  add(grads: ReadonlyMap<string, tf.Tensor>, weight = 1): void {
    if (!(weight > 0 && Number.isFinite(weight))) throw new TrainInputError(`micro-batch weight must be > 0, got ${weight}`);
    if (this.count > 0) this.checkSameNames(grads);
    for (const [name, grad] of grads) {
      const sum = this.sums.get(name);
      if (sum && !tf.util.arraysEqual(sum.total.shape, grad.shape)) {
        throw new TrainInputError(`gradient for ${name} has shape [${grad.shape}], earlier ones [${sum.total.shape}]`);
      }
    }
    for (const [name, grad] of grads) {
      const sum = this.sumFor(name, grad);
      tf.tidy(() => {
        const weighted = weight === 1 ? grad : grad.mul(weight);
        sum.total.assign(sum.active ? sum.total.add(weighted) : weighted);
      });
      sum.active = true;
    }
    this.weight += weight;
    this.count += 1;
  }

  /** The weighted mean of the added gradients, as new tensors (the caller disposes them). */
  mean(): Map<string, tf.Tensor> {
    if (this.count === 0) throw new TrainInputError('no gradients have been added since the last reset');
    const active = [...this.sums].filter(([, sum]) => sum.active);
    // A total weight of 1 (one micro-batch, the default) needs no division: a clone shares the buffer for free.
    const means = tf.tidy(() => active.map(([, sum]) => (this.weight === 1 ? sum.total.clone() : sum.total.div(this.weight))));
    return new Map(active.map(([name], i) => [name, means[i]]));
  }

  /** Starts the next optimizer step's sums; the buffers are kept for reuse. */
  reset(): void {
    for (const sum of this.sums.values()) sum.active = false;
    this.weight = 0;
    this.count = 0;
  }

  dispose(): void {
    for (const sum of this.sums.values()) sum.total.dispose();
    this.sums.clear();
    this.weight = 0;
    this.count = 0;
  }

  private checkSameNames(grads: ReadonlyMap<string, tf.Tensor>): void {
    const active = [...this.sums].filter(([, sum]) => sum.active).map(([name]) => name);
    if (active.length !== grads.size || !active.every((name) => grads.has(name))) {
      throw new TrainInputError('every micro-batch of one optimizer step must have gradients for the same parameters');
    }
  }

  private sumFor(name: string, grad: tf.Tensor): Sum {
    let sum = this.sums.get(name);
    if (!sum) {
      sum = { total: tf.tidy(() => tf.variable(tf.zerosLike(grad), false)), active: false };
      this.sums.set(name, sum);
    }
    return sum;
  }
}
