/**
 * Softmax cross-entropy of logits [rows, classes] against class ids, as a (weighted) mean over rows, on WebGPU in
 * two dispatches forward and one backward, in place of the composed form of src/model/losses.ts (one-hot,
 * logSoftmax, mul, sum, neg and the mean: 19 dispatches forward and backward, 23 with row weights, and at its peak
 * nine times the logits' bytes besides them; measured in e2e/webgpuCrossEntropy.spec.ts). The MLM head's logits are [masked positions, 30,522], and
 * tfjs's reductions over rows that long are its workgroup-barrier kernels, costly on SwiftShader. Registered on
 * software adapters (SwiftShader), as the other loop kernels, where per-dispatch cost dominates a step.
 *
 * Forward: one invocation per row finds the row's max, then lse = max + log Σ exp(x − max) (so ±80 logits neither
 * overflow nor underflow to a zero sum), and writes lse and the row's loss lse − x[label] to a [rows, 2] stats
 * tensor; a second, one-invocation dispatch writes the mean Σ w·loss · scale (scale = 1 / Σ w, computed by the caller).
 *
 * Backward: dlogits = (exp(x − lse) − onehot(label)) · w · scale · dy, one invocation per element. Softmax is
 * recomputed from the logits (the tape keeps them anyway, as the head's output) and the saved lse, so nothing of
 * [rows, classes] is kept between the passes but the logits themselves.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export const CROSS_ENTROPY_KERNEL = 'BertStudioCrossEntropy';
export const CROSS_ENTROPY_GRAD_KERNEL = 'BertStudioCrossEntropyGrad';

/** tfjs flag (on by default; the kernels are registered only on software adapters): off, the composed form runs. */
export const FUSED_CROSS_ENTROPY_FLAG = 'BERT_STUDIO_FUSED_CROSS_ENTROPY';
tf.env().registerFlag(FUSED_CROSS_ENTROPY_FLAG, () => true);

const WORKGROUP: [number, number, number] = [64, 1, 1];

/**
 * Values per partial sum of a row's exponentials: the rounding error of a running float32 sum grows with the number
 * of values added to it, so a 30,522-value row is summed in chunks of this many, then the chunks' sums.
 */
const CHUNK = 256;

/** One invocation per index in [0, count). */
function flatDispatch(count: number): { dispatchLayout: { x: number[] }; dispatch: [number, number, number] } {
  const dispatchLayout = webgpu_util.flatDispatchLayout([count]);
  return { dispatchLayout, dispatch: webgpu_util.computeDispatch(dispatchLayout, [count], WORKGROUP) };
}

/** Per row: [lse, lse − x[label]]. */
class RowStatsProgram implements WebGPUProgram {
  variableNames = ['logits', 'labels'];
  uniforms = 'rows : i32, cols : i32';
  outputShape: number[];
  shaderKey = 'crossEntropyRows';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;

  constructor(rows: number) {
    this.outputShape = [rows, 2];
    ({ dispatchLayout: this.dispatchLayout, dispatch: this.dispatch } = flatDispatch(rows));
  }

  getUserCode(): string {
    return `
      fn main(row : i32) {
        if (row < uniforms.rows) {
          let cols = uniforms.cols;
          let first = row * cols;
          var rowMax = logits[first];
          for (var k = 1; k < cols; k = k + 1) {
            rowMax = max(rowMax, logits[first + k]);
          }
          var total = 0.0;
          for (var start = 0; start < cols; start = start + ${CHUNK}) {
            let stop = min(start + ${CHUNK}, cols);
            var partial = 0.0;
            for (var k = start; k < stop; k = k + 1) {
              partial = partial + exp(logits[first + k] - rowMax);
            }
            total = total + partial;
          }
          let lse = rowMax + log(total);
          setOutputAtIndex(2 * row, lse);
          setOutputAtIndex(2 * row + 1, lse - logits[first + labels[row]]);
        }
      }`;
  }
}

/** Σ w·loss · scale over the rows' stats, by one invocation. */
class WeightedMeanProgram implements WebGPUProgram {
  variableNames = ['stats', 'weights'];
  uniforms = 'rows : i32, scale : f32';
  outputShape = [1];
  shaderKey = 'crossEntropyMean';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;

  constructor() {
    ({ dispatchLayout: this.dispatchLayout, dispatch: this.dispatch } = flatDispatch(1));
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index == 0) {
          var sum = 0.0;
          for (var r = 0; r < uniforms.rows; r = r + 1) {
            sum = sum + weights[r] * stats[2 * r + 1];
          }
          setOutputAtIndex(0, sum * uniforms.scale);
        }
      }`;
  }
}

/** dlogits = (exp(x − lse) − onehot(label)) · w · scale · dy, one invocation per element. */
class CrossEntropyGradProgram implements WebGPUProgram {
  variableNames = ['dy', 'logits', 'labels', 'weights', 'stats'];
  uniforms = 'cols : i32, scale : f32';
  outputShape: number[];
  shaderKey = 'crossEntropyGrad';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;
  size = true;

  constructor(rows: number, cols: number) {
    this.outputShape = [rows, cols];
    ({ dispatchLayout: this.dispatchLayout, dispatch: this.dispatch } = flatDispatch(rows * cols));
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let row = index / uniforms.cols;
          let col = index - row * uniforms.cols;
          let isLabel = select(0.0, 1.0, col == labels[row]);
          let rowScale = weights[row] * uniforms.scale * dy[0];
          setOutputAtIndex(index, (exp(logits[index] - stats[2 * row]) - isLabel) * rowScale);
        }
      }`;
  }
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** [loss (a scalar), stats [rows, 2] (each row's lse and loss)]. */
function crossEntropyKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { logits, labels, weights } = inputs as Record<'logits' | 'labels' | 'weights', tf.TensorInfo>;
  const { scale } = attrs as unknown as { scale: number };
  const [rows, cols] = logits.shape;
  const gpu = backend as WebGPUBackend;
  const stats = gpu.runWebGPUProgram(new RowStatsProgram(rows), [logits, labels], 'float32', [
    { type: 'int32', data: [rows] },
    { type: 'int32', data: [cols] },
  ]);
  const loss = gpu.runWebGPUProgram(new WeightedMeanProgram(), [stats, weights], 'float32', [
    { type: 'int32', data: [rows] },
    { type: 'float32', data: [scale] },
  ]);
  // A reshape in tfjs's WebGPU backend is the same buffer under another shape.
  return [{ ...loss, shape: [] }, stats];
}

function crossEntropyGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, logits, labels, weights, stats } = inputs as Record<'dy' | 'logits' | 'labels' | 'weights' | 'stats', tf.TensorInfo>;
  const { scale } = attrs as unknown as { scale: number };
  const [rows, cols] = logits.shape;
  const program = new CrossEntropyGradProgram(rows, cols);
  return (backend as WebGPUBackend).runWebGPUProgram(program, [dy, logits, labels, weights, stats], 'float32', [
    { type: 'int32', data: [cols] },
    { type: 'float32', data: [scale] },
  ]);
}

/** Puts the kernels in tfjs's registry for WebGPU. Call where the adapter is a software one. Idempotent. */
export function registerFusedCrossEntropy(): void {
  if (tf.getKernel(CROSS_ENTROPY_KERNEL, 'webgpu')) return;
  tf.registerKernel({ kernelName: CROSS_ENTROPY_KERNEL, backendName: 'webgpu', kernelFunc: crossEntropyKernel as tf.KernelFunc });
  tf.registerKernel({ kernelName: CROSS_ENTROPY_GRAD_KERNEL, backendName: 'webgpu', kernelFunc: crossEntropyGradKernel as tf.KernelFunc });
}

/** Whether `fusedCrossEntropy` runs on the active backend (its kernels are registered there and the flag is on). */
export function fusedCrossEntropyAvailable(): boolean {
  return tf.env().getBool(FUSED_CROSS_ENTROPY_FLAG) && tf.getKernel(CROSS_ENTROPY_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * Σ w·(lse(row) − row[label]) · scale over float32 logits [rows, classes], and its gradient with respect to the
 * logits, by the kernels above; check `fusedCrossEntropyAvailable()` first. The caller checks labels (each in
 * [0, classes)) and weights, and passes scale = 1 / Σ w.
 */
export function fusedCrossEntropy(logits: tf.Tensor2D, labels: Int32Array, weights: Float32Array, scale: number): tf.Scalar {
  const loss = tf.customGrad((x, save) => {
    // Uploads, not dispatches; the tape keeps them (with the stats) for the backward pass.
    const targets = tf.tensor1d(labels, 'int32');
    const rowWeights = tf.tensor1d(weights, 'float32');
    const inputs = { logits: x, labels: targets, weights: rowWeights } as tf.NamedTensorMap;
    const [value, stats] = tf.engine().runKernel(CROSS_ENTROPY_KERNEL, inputs, { scale }) as tf.Tensor[];
    (save as tf.GradSaveFunc)([x as tf.Tensor, targets, rowWeights, stats]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, [xs, ids, w, s]: tf.Tensor[]) =>
        tf.engine().runKernel(CROSS_ENTROPY_GRAD_KERNEL, { dy, logits: xs, labels: ids, weights: w, stats: s }, { scale }) as tf.Tensor,
    };
  });
  return loss(logits) as tf.Scalar;
}
