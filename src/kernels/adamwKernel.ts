/**
 * AdamW's update of one parameter as a single tfjs kernel on WebGPU (and on wasm, below), in place of the ~14
 * element-wise ops (each its own dispatch, its own pass over memory) that the tf-ops form costs. Per-dispatch
 * overhead dominates small models on WebGPU, and the word-embedding table makes every extra pass over memory count.
 *
 * tfjs's WebGPU programs write exactly one output (binding 0) and bind their inputs read-only; WebGPU forbids
 * binding one buffer both ways in a dispatch. So p, m and v cannot be updated in place by one program: the
 * kernel runs three (m', v', then p' from m' and v') and returns new tensors for the caller to assign.
 *
 * The arithmetic is written in the same order as AdamW's tf-ops form (adamw.ts), so results agree to rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export const FUSED_ADAMW_KERNEL = 'BertStudioFusedAdamW';

/** tfjs flag (on by default) that lets a benchmark or test compare against the tf-ops form. */
export const FUSED_ADAMW_FLAG = 'BERT_STUDIO_FUSED_ADAMW';
tf.env().registerFlag(FUSED_ADAMW_FLAG, () => true);

/** tfjs flag (on by default): off, the wasm kernel writes new moment tensors too (for tests and the benchmark). */
export const WASM_IN_PLACE_ADAMW_FLAG = 'BERT_STUDIO_WASM_IN_PLACE_ADAMW';
tf.env().registerFlag(WASM_IN_PLACE_ADAMW_FLAG, () => true);

/** One parameter's update, as plain numbers (uniforms: nothing here changes the compiled shader). */
export interface AdamWUpdate {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − lr · weightDecay, or 1 without decay. */
  decay: number;
  /** lr / (1 − β1^t). */
  stepSize: number;
  /** √(1 − β2^t). */
  biasCorrection2Sqrt: number;
  /** The factor the gradient is scaled by as it is read: global-norm clipping's, 1 without it. */
  gradScale: number;
}

export interface AdamWTensors {
  param: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
}

const WORKGROUP: [number, number, number] = [64, 1, 1];

abstract class ElementwiseProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract shaderKey: string;
  abstract uniforms: string;
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;
  size = true;

  constructor(shape: number[]) {
    this.outputShape = shape;
    this.dispatchLayout = webgpu_util.flatDispatchLayout(shape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, shape, this.workgroupSize);
  }

  abstract getUserCode(): string;
}

/** m' = β·m + (1 − β)·g, or with `squared` v' = β·v + (1 − β)·g², with g the gradient times the clipping scale. */
class MomentProgram extends ElementwiseProgram {
  variableNames = ['x', 'g'];
  uniforms = 'beta : f32, oneMinusBeta : f32, gradScale : f32';
  shaderKey: string;

  constructor(shape: number[], private readonly squared: boolean) {
    super(shape);
    this.shaderKey = `adamwMoment_${squared}`;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let grad = g[index] * uniforms.gradScale;
          setOutputAtIndex(index, x[index] * uniforms.beta + ${this.squared ? 'grad * grad' : 'grad'} * uniforms.oneMinusBeta);
        }
      }`;
  }
}

/** p' = p·decay − m' / (√v' / √(1 − β2^t) + ε) · stepSize. */
class ParamProgram extends ElementwiseProgram {
  variableNames = ['p', 'm', 'v'];
  uniforms = 'decay : f32, stepSize : f32, biasCorrection2Sqrt : f32, epsilon : f32';
  shaderKey = 'adamwParam';

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let denom = sqrt(v[index]) / uniforms.biasCorrection2Sqrt + uniforms.epsilon;
          setOutputAtIndex(index, p[index] * uniforms.decay - m[index] / denom * uniforms.stepSize);
        }
      }`;
  }
}

const f32 = (...data: number[]) => data.map((value) => ({ type: 'float32', data: [value] }));

/** What tfjs hands either form of the kernel. */
interface AdamWKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

function adamWArgs({ inputs, attrs }: AdamWKernelArgs): { tensors: Record<'param' | 'm' | 'v' | 'grad', tf.TensorInfo>; update: AdamWUpdate } {
  return { tensors: inputs as Record<'param' | 'm' | 'v' | 'grad', tf.TensorInfo>, update: attrs as unknown as AdamWUpdate };
}

function fusedAdamWWebGPU(args: AdamWKernelArgs): tf.TensorInfo[] {
  const { tensors: { param, m, v, grad }, update } = adamWArgs(args);
  const gpu = args.backend as WebGPUBackend;
  const shape = param.shape;
  const run = (program: WebGPUProgram, programInputs: tf.TensorInfo[], uniforms: number[]): tf.TensorInfo =>
    gpu.runWebGPUProgram(program, programInputs, 'float32', f32(...uniforms));
  const newM = run(new MomentProgram(shape, false), [m, grad], [update.beta1, 1 - update.beta1, update.gradScale]);
  const newV = run(new MomentProgram(shape, true), [v, grad], [update.beta2, 1 - update.beta2, update.gradScale]);
  const newParam = run(new ParamProgram(shape), [param, newM, newV], [
    update.decay,
    update.stepSize,
    update.biasCorrection2Sqrt,
    update.epsilon,
  ]);
  return [newParam, newM, newV];
}

tf.registerKernel({ kernelName: FUSED_ADAMW_KERNEL, backendName: 'webgpu', kernelFunc: fusedAdamWWebGPU });

/** What the kernel below uses of tfjs-wasm's backend (BackendWasm, whose type the package does not export whole). */
interface WasmBackend {
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  refCount(dataId: tf.DataId): number;
  incRef(dataId: tf.DataId): void;
  wasm: { HEAPU8: Uint8Array };
}

/**
 * The same update on tfjs-wasm, in one JavaScript pass over the heap: the tf-ops form costs ~14 kernels per
 * parameter, each allocating a full-size temporary on the wasm heap, whose 4 GiB bound a bert-base run reaches.
 * Each operation is rounded to float32 (Math.fround) as tfjs-wasm rounds each op of the tf-ops form.
 *
 * Where nothing else holds a moment's memory (reference count 1: no clone or checkpoint read shares it), m and v
 * are updated in place and their memory returned as the outputs: new ones would cost two more copies of the
 * largest parameter (188 MB for bert-base's word embeddings) at once and leave the heap fragmented, so that it grew
 * step after step. The parameter itself always gets new memory: tfjs-wasm's matMul (XNNPACK) packs a weight
 * operand once and caches the packing by tensor id until that tensor is disposed, so a weight changed in place
 * would be multiplied as it was (measured: a resumed run's losses then differed from the uninterrupted run's).
 * Each element is read before it is written.
 */
function fusedAdamWWasm(args: AdamWKernelArgs): tf.TensorInfo[] {
  const { tensors: { param, m, v, grad }, update: { beta1, beta2, epsilon, decay, stepSize, biasCorrection2Sqrt, gradScale } } = adamWArgs(args);
  const wasm = args.backend as WasmBackend;
  const inPlace = tf.env().getBool(WASM_IN_PLACE_ADAMW_FLAG) && [m, v].every((t) => wasm.refCount(t.dataId) === 1);
  const moments = inPlace
    ? [m, v].map((t) => (wasm.incRef(t.dataId), { dataId: t.dataId, shape: t.shape, dtype: t.dtype }))
    : [0, 1].map(() => wasm.makeOutput(param.shape, 'float32'));
  const outputs = [wasm.makeOutput(param.shape, 'float32'), ...moments];
  // Views are taken after allocating: an allocation may grow the heap and leave older views behind.
  const view = (t: tf.TensorInfo) => new Float32Array(wasm.wasm.HEAPU8.buffer, wasm.dataIdMap.get(t.dataId).memoryOffset, tf.util.sizeFromShape(param.shape));
  const [p, m0, v0, g, pOut, mOut, vOut] = [param, m, v, grad, ...outputs].map(view);
  const f = Math.fround;
  const [b1, c1, b2, c2, eps, dec, lr, bc2, scale] = [beta1, 1 - beta1, beta2, 1 - beta2, epsilon, decay, stepSize, biasCorrection2Sqrt, gradScale].map(f);
  for (let i = 0; i < p.length; i++) {
    const gi = scale === 1 ? g[i] : f(g[i] * scale);
    const mi = f(f(m0[i] * b1) + f(gi * c1));
    const vi = f(f(v0[i] * b2) + f(f(gi * gi) * c2));
    const denom = f(f(f(Math.sqrt(vi)) / bc2) + eps);
    const decayed = dec === 1 ? p[i] : f(p[i] * dec);
    pOut[i] = decayed - f(f(mi / denom) * lr);
    mOut[i] = mi;
    vOut[i] = vi;
  }
  return outputs;
}

tf.registerKernel({ kernelName: FUSED_ADAMW_KERNEL, backendName: 'wasm', kernelFunc: fusedAdamWWasm });

/** Whether `fusedAdamW` runs on the active backend (a kernel is registered for it and the flag is on). */
export function fusedAdamWAvailable(): boolean {
  return tf.env().getBool(FUSED_ADAMW_FLAG) && tf.getKernel(FUSED_ADAMW_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * The updated parameter and moments as new tensors (the caller assigns them and disposes the inputs' owners as
 * usual). All four inputs must be float32 and of one shape; check `fusedAdamWAvailable()` first.
 */
export function fusedAdamW(param: tf.Tensor, m: tf.Tensor, v: tf.Tensor, grad: tf.Tensor, update: AdamWUpdate): AdamWTensors {
  for (const [name, t] of Object.entries({ param, m, v, grad })) {
    if (!tf.util.arraysEqual(t.shape, param.shape) || t.dtype !== 'float32') {
      throw new Error(`fusedAdamW: ${name} is ${t.dtype} [${t.shape}], expected float32 [${param.shape}]`);
    }
  }
  const attrs = { ...update } as unknown as tf.NamedAttrMap;
  const [newParam, newM, newV] = tf.engine().runKernel(FUSED_ADAMW_KERNEL, { param, m, v, grad }, attrs) as tf.Tensor[];
  return { param: newParam, m: newM, v: newV };
}
