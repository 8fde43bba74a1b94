/**
 * Exact GELU x·Φ(x) as one WebGPU dispatch forward and one backward (dy·(Φ(x) + x·φ(x))), in place of the composed
 * form of src/model/nn.ts (5 element-wise ops forward, 11 backward, each a dispatch and a pass over the largest
 * activation of a layer). Registered on software adapters (SwiftShader), where per-dispatch cost dominates a step.
 *
 * erf is Abramowitz and Stegun 7.1.26, as tfjs's WebGPU Erf computes it (and the blocked matMul's gelu epilogue),
 * and the arithmetic follows the composed form's order, so results agree with it to rounding. Four elements per
 * invocation where the size allows (vec4 loads and stores).
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export const GELU_KERNEL = 'BertStudioGelu';
export const GELU_GRAD_KERNEL = 'BertStudioGeluGrad';

/** tfjs flag (on by default; the kernels are registered only on software adapters): off, the composed form runs. */
export const FUSED_GELU_FLAG = 'BERT_STUDIO_FUSED_GELU';
tf.env().registerFlag(FUSED_GELU_FLAG, () => true);

const WORKGROUP: [number, number, number] = [64, 1, 1];

/** Φ(x) = (erf(x/√2) + 1)·0.5 for f32 or vec4<f32>, as tfjs's Erf, Add and Mul compute it in turn. */
const normalCdf = (type: string) => `
  fn normalCdf(x : ${type}) -> ${type} {
    let z = x * ${Math.SQRT1_2};
    let t = 1.0 / (1.0 + ${tf.backend_util.ERF_P} * abs(z));
    let poly = ((((${tf.backend_util.ERF_A5} * t + ${tf.backend_util.ERF_A4}) * t + ${tf.backend_util.ERF_A3}) * t +
      ${tf.backend_util.ERF_A2}) * t + ${tf.backend_util.ERF_A1}) * t;
    let erf = sign(z) * (1.0 - poly * exp(-abs(z) * abs(z)));
    return (erf + 1.0) * 0.5;
  }`;

class GeluProgram implements WebGPUProgram {
  variableNames: string[];
  variableComponents: number[];
  outputComponent: number;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;
  size = true;
  private readonly type: string;

  constructor(size: number, private readonly grad: boolean) {
    const components = size % 4 === 0 ? 4 : 1;
    this.variableNames = grad ? ['dy', 'x'] : ['x'];
    this.variableComponents = this.variableNames.map(() => components);
    this.outputComponent = components;
    this.outputShape = [size];
    this.type = components === 4 ? 'vec4<f32>' : 'f32';
    this.shaderKey = `fusedGelu_${grad}_${components}`;
    this.dispatchLayout = webgpu_util.flatDispatchLayout([size / components]);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, [size / components], this.workgroupSize);
  }

  getUserCode(): string {
    // φ(x) = exp(x²·(−0.5))·(1/√(2π)).
    const value = this.grad
      ? `dy[index] * (normalCdf(v) + v * (exp(v * v * -0.5) * ${1 / Math.sqrt(2 * Math.PI)}))`
      : 'v * normalCdf(v)';
    return `
      ${normalCdf(this.type)}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let v = x[index];
          setOutputAtIndex(index, ${value});
        }
      }`;
  }
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
}

function geluKernel(grad: boolean): tf.KernelFunc {
  return (args) => {
    const { inputs, backend } = args as KernelArgs;
    const x = inputs.x as tf.TensorInfo;
    const program = new GeluProgram(tf.util.sizeFromShape(x.shape), grad);
    const flat = (t: tf.TensorInfo) => ({ ...t, shape: [tf.util.sizeFromShape(t.shape)] });
    const programInputs = grad ? [flat(inputs.dy as tf.TensorInfo), flat(x)] : [flat(x)];
    const out = (backend as WebGPUBackend).runWebGPUProgram(program, programInputs, 'float32');
    return { ...out, shape: x.shape };
  };
}

/** Puts the kernels in tfjs's registry for WebGPU. Call where the adapter is a software one. Idempotent. */
export function registerFusedGelu(): void {
  if (tf.getKernel(GELU_KERNEL, 'webgpu')) return;
  tf.registerKernel({ kernelName: GELU_KERNEL, backendName: 'webgpu', kernelFunc: geluKernel(false) });
  tf.registerKernel({ kernelName: GELU_GRAD_KERNEL, backendName: 'webgpu', kernelFunc: geluKernel(true) });
}

/** Whether `fusedGelu` runs on the active backend (its kernels are registered there and the flag is on). */
export function fusedGeluAvailable(): boolean {
  return tf.env().getBool(FUSED_GELU_FLAG) && tf.getKernel(GELU_KERNEL, tf.getBackend()) !== undefined;
}

/** Exact GELU of float32 x and its gradient (keeping x alone), by the kernels above; check `fusedGeluAvailable()` first. */
export const fusedGelu = tf.customGrad((input, save) => {
  const x = input as tf.Tensor;
  (save as tf.GradSaveFunc)([x]);
  return {
    value: tf.engine().runKernel(GELU_KERNEL, { x }, {}) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.engine().runKernel(GELU_GRAD_KERNEL, { dy, x: saved }, {}) as tf.Tensor,
  };
}) as (x: tf.Tensor) => tf.Tensor;
