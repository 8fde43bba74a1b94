/**
 * LayerNorm over the last axis as one WebGPU dispatch forward and one backward, in place of the composed form of
 * src/model/nn.ts (10 dispatches forward: moments, rsqrt, sub, mul, add; 11 backward: element-wise ops and three
 * reductions). Registered on software adapters (SwiftShader), where per-dispatch cost dominates a step and the
 * kernels' one-invocation-per-row loops have no barriers (see reductions.ts).
 *
 * Forward: per row, mean, then the biased variance from the deviations (two passes, as tf.moments), 1/σ =
 * inverseSqrt(var + eps), and y = (x − mean)·(1/σ)·γ + β; the row's mean and 1/σ go to a [rows, 2] stats tensor as
 * an extra output (webgpuExtraOutputs.ts). The backward pass keeps x (which the model holds anyway) and the stats,
 * and recomputes x̂ from them.
 *
 * Backward, with g = dy·γ: dx = (g − mean(g) − x̂·mean(g·x̂))·(1/σ) per row, and dγ = Σ dy·x̂, dβ = Σ dy per column.
 * Both in one dispatch: invocations [0, rows) each take a row, the next ones (from a workgroup boundary) a column.
 *
 * The arithmetic follows the composed form's order, so results agree with it to rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { extraOutputsMarker, runWithExtraOutputs } from './webgpuExtraOutputs';

export const LAYER_NORM_KERNEL = 'BertStudioLayerNorm';
export const LAYER_NORM_GRAD_KERNEL = 'BertStudioLayerNormGrad';

/** tfjs flag (on by default; the kernels are registered only on software adapters): off, the composed form runs. */
export const FUSED_LAYER_NORM_FLAG = 'BERT_STUDIO_FUSED_LAYER_NORM';
tf.env().registerFlag(FUSED_LAYER_NORM_FLAG, () => true);

const WORKGROUP: [number, number, number] = [64, 1, 1];

/** One invocation per index in [0, count). */
function flatDispatch(count: number): { dispatchLayout: { x: number[] }; dispatch: [number, number, number] } {
  const dispatchLayout = webgpu_util.flatDispatchLayout([count]);
  return { dispatchLayout, dispatch: webgpu_util.computeDispatch(dispatchLayout, [count], WORKGROUP) };
}

class LayerNormProgram implements WebGPUProgram {
  variableNames = ['x', 'gamma', 'beta', 'stats'];
  uniforms = 'rows : i32, cols : i32, eps : f32';
  outputShape: number[];
  shaderKey = 'fusedLayerNorm';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;

  constructor(rows: number, cols: number) {
    this.outputShape = [rows, cols];
    ({ dispatchLayout: this.dispatchLayout, dispatch: this.dispatch } = flatDispatch(rows));
  }

  getUserCode(): string {
    return `
      ${extraOutputsMarker(['stats'])}
      fn main(row : i32) {
        if (row < uniforms.rows) {
          let cols = uniforms.cols;
          let first = row * cols;
          var sum = 0.0;
          for (var k = 0; k < cols; k = k + 1) {
            sum = sum + x[first + k];
          }
          let mean = sum / f32(cols);
          var squares = 0.0;
          for (var k = 0; k < cols; k = k + 1) {
            let deviation = x[first + k] - mean;
            squares = squares + deviation * deviation;
          }
          let rstd = inverseSqrt(squares / f32(cols) + uniforms.eps);
          for (var k = 0; k < cols; k = k + 1) {
            setOutputAtIndex(first + k, (x[first + k] - mean) * rstd * gamma[k] + beta[k]);
          }
          stats[2 * row] = mean;
          stats[2 * row + 1] = rstd;
        }
      }`;
  }
}

class LayerNormGradProgram implements WebGPUProgram {
  variableNames = ['dy', 'x', 'gamma', 'stats', 'dGamma', 'dBeta'];
  uniforms = 'rows : i32, cols : i32, firstColumn : i32';
  outputShape: number[];
  shaderKey = 'fusedLayerNormGrad';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;
  /** The first invocation of the column sums: rows rounded up to a whole workgroup, so no workgroup mixes the two. */
  readonly firstColumn: number;

  constructor(rows: number, cols: number) {
    this.outputShape = [rows, cols];
    this.firstColumn = Math.ceil(rows / WORKGROUP[0]) * WORKGROUP[0];
    ({ dispatchLayout: this.dispatchLayout, dispatch: this.dispatch } = flatDispatch(this.firstColumn + cols));
  }

  getUserCode(): string {
    return `
      ${extraOutputsMarker(['dGamma', 'dBeta'])}
      fn main(index : i32) {
        let rows = uniforms.rows;
        let cols = uniforms.cols;
        if (index < rows) {
          let first = index * cols;
          let mean = stats[2 * index];
          let rstd = stats[2 * index + 1];
          var sumG = 0.0;
          var sumGX = 0.0;
          for (var k = 0; k < cols; k = k + 1) {
            let g = dy[first + k] * gamma[k];
            sumG = sumG + g;
            sumGX = sumGX + g * ((x[first + k] - mean) * rstd);
          }
          let meanG = sumG / f32(cols);
          let meanGX = sumGX / f32(cols);
          for (var k = 0; k < cols; k = k + 1) {
            let g = dy[first + k] * gamma[k];
            let xHat = (x[first + k] - mean) * rstd;
            setOutputAtIndex(first + k, (g - meanG - xHat * meanGX) * rstd);
          }
        } else if (index >= uniforms.firstColumn && index < uniforms.firstColumn + cols) {
          let col = index - uniforms.firstColumn;
          var sumDyX = 0.0;
          var sumDy = 0.0;
          for (var r = 0; r < rows; r = r + 1) {
            let d = dy[r * cols + col];
            sumDyX = sumDyX + d * ((x[r * cols + col] - stats[2 * r]) * stats[2 * r + 1]);
            sumDy = sumDy + d;
          }
          dGamma[col] = sumDyX;
          dBeta[col] = sumDy;
        }
      }`;
  }
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** [y, stats]: y as x's shape, stats [rows, 2] (each row's mean and 1/σ). */
function layerNormKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const { eps } = attrs as unknown as { eps: number };
  const cols = x.shape.at(-1)!;
  const rows = tf.util.sizeFromShape(x.shape) / cols;
  const uniforms = [{ type: 'int32', data: [rows] }, { type: 'int32', data: [cols] }, { type: 'float32', data: [eps] }];
  const [y, stats] = runWithExtraOutputs(backend as WebGPUBackend, new LayerNormProgram(rows, cols), [x, gamma, beta], [[rows, 2]], uniforms);
  return [{ ...y, shape: x.shape }, stats];
}

/** [dx, dγ, dβ]. */
function layerNormGradKernel({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const { dy, x, gamma, stats } = inputs as Record<'dy' | 'x' | 'gamma' | 'stats', tf.TensorInfo>;
  const cols = x.shape.at(-1)!;
  const rows = tf.util.sizeFromShape(x.shape) / cols;
  const program = new LayerNormGradProgram(rows, cols);
  const uniforms = [{ type: 'int32', data: [rows] }, { type: 'int32', data: [cols] }, { type: 'int32', data: [program.firstColumn] }];
  const [dx, dGamma, dBeta] = runWithExtraOutputs(backend as WebGPUBackend, program, [dy, x, gamma, stats], [[cols], [cols]], uniforms);
  return [{ ...dx, shape: x.shape }, dGamma, dBeta];
}

/** Puts the kernels in tfjs's registry for WebGPU. Call where the adapter is a software one. Idempotent. */
export function registerFusedLayerNorm(): void {
  if (tf.getKernel(LAYER_NORM_KERNEL, 'webgpu')) return;
  tf.registerKernel({ kernelName: LAYER_NORM_KERNEL, backendName: 'webgpu', kernelFunc: layerNormKernel as tf.KernelFunc });
  tf.registerKernel({ kernelName: LAYER_NORM_GRAD_KERNEL, backendName: 'webgpu', kernelFunc: layerNormGradKernel as tf.KernelFunc });
}

/** Whether `fusedLayerNorm` runs on the active backend (its kernels are registered there and the flag is on). */
export function fusedLayerNormAvailable(): boolean {
  return tf.env().getBool(FUSED_LAYER_NORM_FLAG) && tf.getKernel(LAYER_NORM_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * LayerNorm of float32 x over its last axis with weight γ and bias β ([features] each) and its gradient, by the
 * kernels above; check `fusedLayerNormAvailable()` first.
 */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const normalise = tf.customGrad((input, weight, bias, save) => {
    const inputs = { x: input, gamma: weight, beta: bias } as tf.NamedTensorMap;
    const [y, stats] = tf.engine().runKernel(LAYER_NORM_KERNEL, inputs, { eps }) as tf.Tensor[];
    (save as tf.GradSaveFunc)([input as tf.Tensor, weight as tf.Tensor, stats]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [xs, w, s]: tf.Tensor[]) =>
        tf.engine().runKernel(LAYER_NORM_GRAD_KERNEL, { dy, x: xs, gamma: w, stats: s }, {}) as tf.Tensor[],
    };
  });
  return normalise(x, gamma, beta);
}
