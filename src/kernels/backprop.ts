/**
 * The backward pass over tfjs's tape, freeing memory as it goes.
 *
 * tfjs 4.22's `engine.gradients` (behind `tf.variableGrads`) keeps every intermediate gradient and every tensor
 * the forward pass saved until the whole backward pass ends: its walk over the tape never disposes a node's output
 * gradients after using them, and it disposes saved tensors only at the end. A step's peak memory is then all
 * activations plus the gradient of every intermediate tensor at once. This walk is the same one, in the same order
 * with the same gradient functions (so the results are the same numbers), except that once a node's input
 * gradients are computed, its output gradients and its saved tensors are released: at any moment only the
 * activations the rest of the backward pass needs and the gradients at its frontier are alive, as in PyTorch.
 *
 * It reads tfjs's engine internals (the tape, `startTape`/`endTape`, `scopedRun`), typed below; tfjs is pinned.
 * Inside another gradient computation (higher-order gradients) it leaves the work to tfjs.
 */
import * as tf from '@tensorflow/tfjs';

/** One recorded kernel call, as tfjs's engine keeps it (tape.ts). */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  /** Thunks for the gradient of each input; null dys are replaced by zeros. */
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
}

interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  startTape(): void;
  endTape(): void;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
}

export interface VariableGrads {
  value: tf.Scalar;
  /** One gradient per variable, in order; null where the loss does not depend on it. */
  grads: (tf.Tensor | null)[];
}

/**
 * The nodes on a path from one of `xs` to `y`, in tape order, each with only its inputs that depend on `xs` (the
 * others need no gradient): tfjs's getFilteredNodesXToY, which it does not export.
 */
export function nodesFromXsToY(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const reachedFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((input) => fromX.has(input.id))) {
      for (const output of node.outputs) fromX.add(output.id);
      reachedFromX.add(node.id);
    }
  }
  const leadsToY = new Set([y.id]);
  const reachesY = new Set<number>();
  for (const node of [...tape].reverse()) {
    if (node.outputs.some((output) => leadsToY.has(output.id))) {
      for (const input of Object.values(node.inputs)) leadsToY.add(input.id);
      reachesY.add(node.id);
    }
  }
  return tape
    .filter((node) => reachedFromX.has(node.id) && reachesY.has(node.id))
    .map((node) => ({ ...node, inputs: Object.fromEntries(Object.entries(node.inputs).filter(([, input]) => fromX.has(input.id))) }));
}

/** Gradients of the scalar `f()` with respect to `xs`, as tf.variableGrads computes them, in bounded memory. */
export function variableGrads(f: () => tf.Scalar, xs: readonly tf.Variable[]): VariableGrads {
  const { value, grads } = gradients(f, xs);
  return { value: value as tf.Scalar, grads };
}

/**
 * The vector-Jacobian product of `f()` with respect to `xs`: the gradient of Σ f()·dy, or of a scalar f() without
 * `dy` (then f must return a scalar). Returns f's value and one gradient per x, null where f does not depend on it.
 */
export function gradients(f: () => tf.Tensor, xs: readonly tf.Tensor[], dy?: tf.Tensor): { value: tf.Tensor; grads: (tf.Tensor | null)[] } {
  const engine = tf.engine() as unknown as EngineInternals;
  if (engine.state.gradientDepth > 0) {
    const { value, grads } = tf.engine().gradients(f, [...xs], dy, true);
    return { value, grads: grads.map((g) => g ?? null) };
  }
  const y = engine.scopedRun(() => engine.startTape(), () => engine.endTape(), () => tf.tidy(f));
  const tape = engine.state.activeTape ?? [];
  engine.state.activeTape = null;
  const problem = !(y instanceof tf.Tensor)
    ? `the function must return a tensor, got ${typeof y}`
    : dy === undefined && y.rank !== 0
      ? `the loss must be a scalar tensor, got shape [${y.shape}]`
      : dy !== undefined && !tf.util.arraysEqual(dy.shape, y.shape)
        ? `the upstream gradient has shape [${dy.shape}], the value [${y.shape}]`
        : null;
  if (problem) {
    tape.forEach((node) => tf.dispose(node.saved ?? []));
    tf.dispose(y);
    throw new Error(problem);
  }
  const path = nodesFromXsToY(tape, xs, y);
  const onPath = new Set(path.map((node) => node.id));
  // What nothing on the path needs goes now.
  tape.forEach((node) => onPath.has(node.id) || tf.dispose(node.saved ?? []));
  try {
    const grads = tf.tidy(() => {
      const gradOf = new Map<number, tf.Tensor>([[y.id, dy ? tf.clone(dy) : tf.onesLike(y)]]);
      for (const node of [...path].reverse()) {
        if (!node.gradient) throw new Error(`Cannot compute gradient: tfjs has no gradient for ${node.kernelName}.`);
        const dys = node.outputs.map((output) => gradOf.get(output.id) ?? null);
        const thunks = node.gradient(dys);
        const dxs: tf.Tensor[] = [];
        for (const [inputName, x] of Object.entries(node.inputs)) {
          const thunk = thunks[inputName];
          if (!thunk) throw new Error(`Cannot backprop through input ${inputName} of ${node.kernelName}.`);
          const dx = tf.tidy(thunk);
          if (dx.dtype !== 'float32' || !tf.util.arraysEqual(dx.shape, x.shape)) {
            throw new Error(`The gradient of ${node.kernelName}'s input ${inputName} is ${dx.dtype} [${dx.shape}], its input ${x.dtype} [${x.shape}].`);
          }
          const sum = gradOf.get(x.id);
          gradOf.set(x.id, sum ? tf.add(sum, dx) : dx);
          if (sum) tf.dispose([sum, dx]);
          dxs.push(gradOf.get(x.id)!);
        }
        // Every node that reads these outputs came later on the tape and is done: their gradients are complete
        // and used. A gradient function may pass a dy through as a dx; that one stays.
        for (const output of node.outputs) {
          const used = gradOf.get(output.id);
          gradOf.delete(output.id);
          if (used && !dxs.includes(used)) used.dispose();
        }
        tf.dispose(node.saved ?? []);
      }
      // tidy keeps the tensors of a container it returns; keyed by position, since some variables may have none.
      return Object.fromEntries(xs.flatMap((x, i) => (gradOf.has(x.id) ? [[String(i), gradOf.get(x.id)!]] : [])));
    });
    return { value: y, grads: xs.map((_, i) => grads[String(i)] ?? null) };
  } finally {
    tape.forEach((node) => tf.dispose(node.saved ?? []));
  }
}

