/**
 * Sum, Mean, Max and Softmax on WebGPU with one invocation per output and no workgroup memory, registered in
 * place of tfjs's own kernels for the shapes BERT reduces: rows of up to MAX_REDUCE_SIZE values (LayerNorm's
 * moments, attention softmax, bias gradients). Only on software adapters (SwiftShader): that is where they were
 * measured to pay; on a hardware GPU tfjs's parallel reductions keep every shape.
 *
 * tfjs reduces each row with a workgroup of 64+ invocations and a tree of `workgroupBarrier()`s. On SwiftShader
 * (WebGPU on the CPU, what headless machines without a GPU get) barriers are very costly: these kernels took most
 * of a training step's GPU time (see docs/PERFORMANCE.md). A loop per output has no barriers; its reads stay
 * contiguous per invocation for row reductions and across invocations for column reductions (e.g. a bias
 * gradient summed over tokens). Longer reductions, non-contiguous axes and non-float inputs go to tfjs's kernels.
 *
 * Sums accumulate left to right, not as a tree: results differ from tfjs's in rounding only.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { isSoftwareAdapter } from './adapter';

/** tfjs flag (on by default; still only on software adapters): off, every shape goes to tfjs's own kernels. */
export const LOOP_REDUCTIONS_FLAG = 'BERT_STUDIO_LOOP_REDUCTIONS';
tf.env().registerFlag(LOOP_REDUCTIONS_FLAG, () => true);

/** Longest reduction (values per output) handled here. */
export const MAX_REDUCE_SIZE = 4096;

type ReduceOp = 'sum' | 'mean' | 'max';

const WORKGROUP: [number, number, number] = [64, 1, 1];

/** The flat input as [outer, reduceSize, inner]; one invocation per (outer, inner) pair. */
interface ReduceLayout {
  outer: number;
  reduceSize: number;
  inner: number;
}

/** The layout of reducing `axes` of `shape`, or null when the axes are not one contiguous run. */
export function reduceLayout(shape: readonly number[], axes: readonly number[]): ReduceLayout | null {
  const sorted = [...axes].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.some((axis, i) => axis !== sorted[0] + i)) return null;
  const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
  return {
    outer: product(shape.slice(0, sorted[0])),
    reduceSize: product(shape.slice(sorted[0], sorted.at(-1)! + 1)),
    inner: product(shape.slice(sorted.at(-1)! + 1)),
  };
}

class LoopReduceProgram implements WebGPUProgram {
  variableNames = ['x'];
  uniforms = 'reduceSize : i32, inner : i32';
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;
  size = true;

  constructor(outputSize: number, private readonly op: ReduceOp) {
    this.outputShape = [outputSize];
    this.shaderKey = `loopReduce_${op}`;
    this.dispatchLayout = webgpu_util.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, this.outputShape, this.workgroupSize);
  }

  getUserCode(): string {
    const step = this.op === 'max'
      ? 'if (isnan(value)) { acc = value; } else if (!isnan(acc) && value > acc) { acc = value; }'
      : 'acc = acc + value;';
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let outer = index / uniforms.inner;
          let first = outer * uniforms.reduceSize * uniforms.inner + index - outer * uniforms.inner;
          var acc = ${this.op === 'max' ? 'x[first]' : '0.0'};
          for (var k = ${this.op === 'max' ? 1 : 0}; k < uniforms.reduceSize; k = k + 1) {
            let value = x[first + k * uniforms.inner];
            ${step}
          }
          setOutputAtIndex(index, ${this.op === 'mean' ? 'acc / f32(uniforms.reduceSize)' : 'acc'});
        }
      }`;
  }
}

/** exp(x − max) / Σ exp(x − max) along rows of `cols` values, as tfjs's SoftmaxProgram computes it. */
class LoopSoftmaxProgram implements WebGPUProgram {
  variableNames = ['logits'];
  uniforms = 'cols : i32';
  outputShape: number[];
  shaderKey = 'loopSoftmax';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;
  size = true;
  private readonly rows: number;

  constructor(shape: number[], cols: number) {
    this.outputShape = shape;
    this.rows = tf.util.sizeFromShape(shape) / cols;
    this.dispatchLayout = webgpu_util.flatDispatchLayout([this.rows]);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, [this.rows], this.workgroupSize);
  }

  getUserCode(): string {
    return `
      fn main(row : i32) {
        let cols = uniforms.cols;
        if (row * cols < uniforms.size) {
          let first = row * cols;
          var rowMax = logits[first];
          for (var k = 1; k < cols; k = k + 1) {
            rowMax = max(rowMax, logits[first + k]);
          }
          var rowSum = 0.0;
          for (var k = 0; k < cols; k = k + 1) {
            rowSum = rowSum + exp(logits[first + k] - rowMax);
          }
          for (var k = 0; k < cols; k = k + 1) {
            setOutputAtIndex(first + k, exp(logits[first + k] - rowMax) / rowSum);
          }
        }
      }`;
  }
}

/** Whether the loop kernels take over on this backend (the flag is on and the adapter is a CPU one). */
function loopsEnabled(backend: unknown): boolean {
  return tf.env().getBool(LOOP_REDUCTIONS_FLAG) && isSoftwareAdapter((backend as WebGPUBackend).device.adapterInfo);
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** tfjs's kernel for `kernelName`, kept for the cases handled there. */
function originalKernel(kernelName: string): tf.KernelFunc {
  const config = tf.getKernel(kernelName, 'webgpu');
  if (!config) throw new Error(`tfjs-backend-webgpu has no ${kernelName} kernel to wrap`);
  return config.kernelFunc;
}

function reduceKernel(kernelName: string, op: ReduceOp): tf.KernelFunc {
  const original = originalKernel(kernelName);
  return (args) => {
    const { inputs, backend, attrs } = args as KernelArgs;
    const x = inputs.x as tf.TensorInfo;
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const gpu = backend as WebGPUBackend;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const layout = reduceLayout(x.shape, axes);
    const size = tf.util.sizeFromShape(x.shape);
    const handled = loopsEnabled(backend) && x.dtype === 'float32' && size > 0 && layout !== null &&
      layout.reduceSize <= MAX_REDUCE_SIZE && !(op === 'max' && gpu.shouldExecuteOnCPU([x]));
    if (!handled) return original(args);
    const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const program = new LoopReduceProgram(layout.outer * layout.inner, op);
    const uniforms = [{ type: 'int32', data: [layout.reduceSize] }, { type: 'int32', data: [layout.inner] }];
    const reduced = gpu.runWebGPUProgram(program, [x], 'float32', uniforms); // [outer * inner]
    // A reshape in tfjs's WebGPU backend is the same buffer under another shape.
    return { ...reduced, shape: keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape };
  };
}

function softmaxKernel(): tf.KernelFunc {
  const original = originalKernel('Softmax');
  return (args) => {
    const { inputs, backend, attrs } = args as KernelArgs;
    const logits = inputs.logits as tf.TensorInfo;
    const { dim } = attrs as unknown as { dim: number };
    const cols = logits.shape[dim];
    const handled = loopsEnabled(backend) && logits.dtype === 'float32' &&
      tf.util.sizeFromShape(logits.shape) > 0 && cols <= MAX_REDUCE_SIZE;
    if (!handled) return original(args);
    const program = new LoopSoftmaxProgram(logits.shape, cols);
    return (backend as WebGPUBackend).runWebGPUProgram(program, [logits], 'float32', [{ type: 'int32', data: [cols] }]);
  };
}

const KERNELS: [string, () => tf.KernelFunc][] = [
  ['Sum', () => reduceKernel('Sum', 'sum')],
  ['Mean', () => reduceKernel('Mean', 'mean')],
  ['Max', () => reduceKernel('Max', 'max')],
  ['Softmax', softmaxKernel],
];

/** Marks our kernels in tfjs's registry, which outlives this module if it is evaluated again (HMR). */
const REPLACED = Symbol.for('bert-studio.loop-reduction');

for (const [kernelName, make] of KERNELS) {
  if (REPLACED in originalKernel(kernelName)) continue; // wrapping our own kernel would delegate to itself
  const kernelFunc = Object.assign(make(), { [REPLACED]: true });
  // Unregistering first replaces the kernel without tfjs's "already registered" warning.
  tf.unregisterKernel(kernelName, 'webgpu');
  tf.registerKernel({ kernelName, backendName: 'webgpu', kernelFunc });
}
