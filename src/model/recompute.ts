/**
 * Gradient checkpointing (Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost"; Hugging Face's
 * `gradient_checkpointing`): a block's forward pass runs off the gradient tape and keeps only its input; its
 * backward pass runs the block again on a tape of its own and backpropagates the incoming gradient through that.
 * A layer then holds one [tokens, hidden] tensor until the backward pass instead of every activation its
 * gradients need (as much as about 68 such tensors at bert-base's shapes: memory.ts), for one more forward pass
 * per step. The block must compute the same values both times: dropout has to be seeded.
 */
import * as tf from '@tensorflow/tfjs';
import { gradients } from '../kernels/backprop';

/**
 * Runs a nested gradient computation inside a backward pass. tfjs 4.22 starts a nested tape by replacing the
 * engine's tape, and clears it at the end; tfjs's own backward pass still reads the outer tape afterwards (to free
 * what it saved), so it is put back. tfjs is pinned; `state.activeTape` is its engine's field.
 */
function withOuterTapeKept<T>(f: () => T): T {
  const state = (tf.engine() as unknown as { state: { activeTape: unknown } }).state;
  const outer = state.activeTape;
  try {
    return f();
  } finally {
    state.activeTape = outer;
  }
}

/** A block of the network: its input, and other tensors it reads that need no gradient (an attention mask). */
export type Block = (x: tf.Tensor2D, context: readonly tf.Tensor[]) => tf.Tensor2D;

/**
 * `block` applied to `x`, its activations to be recomputed in the backward pass. `weights`: the variables it reads
 * that need gradients (frozen ones left out, so that no gradient is computed for them). `context` is kept with
 * the input: nothing else on the tape holds it for the recomputation.
 */
export function recomputed(block: Block, x: tf.Tensor2D, context: readonly tf.Tensor[], weights: readonly tf.Variable[]): tf.Tensor2D {
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    (args.at(-1) as tf.GradSaveFunc)([x, ...context]);
    return {
      value: block(x, context),
      gradFunc: (dy: tf.Tensor, [input, ...kept]: tf.Tensor[]) => {
        const xs = [input, ...weights];
        // The block's own tape, backpropagated from dy, freeing as it goes. A weight the block does not reach gets
        // zeros.
        const { value, grads } = withOuterTapeKept(() => gradients(() => block(input as tf.Tensor2D, kept), xs, dy));
        value.dispose();
        return xs.map((t, i) => grads[i] ?? tf.zerosLike(t));
      },
    };
  });
  return run(x, ...weights) as tf.Tensor2D;
}
