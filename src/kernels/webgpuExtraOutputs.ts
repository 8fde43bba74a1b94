/**
 * More than one output from one WebGPU dispatch, for fused kernels (webgpuLayerNorm.ts) whose passes over a row
 * produce several results at once.
 *
 * tfjs's WebGPU programs write exactly one output, binding 0; every input is declared `var<storage, read>`. Here the
 * extra outputs are passed as inputs (new, uninitialised tensors) and their declarations are rewritten to
 * `read_write` as the device compiles the program; tfjs builds the pipeline layout from the shader ('auto'), so the
 * binding becomes a writable storage buffer. Each extra output is bound once, so WebGPU's rule against binding a
 * buffer both ways in one dispatch holds.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Put in a program's code: the inputs named after it (space-separated) are the program's extra outputs. */
const MARKER = '// extra outputs:';

/** The line that marks `names` as extra outputs in a program's code. */
export function extraOutputsMarker(names: readonly string[]): string {
  return `${MARKER} ${names.join(' ')}`;
}

export function withExtraOutputs(code: string): string {
  const marked = code.split('\n').find((line) => line.trim().startsWith(MARKER));
  if (!marked) return code;
  let rewritten = code;
  for (const name of marked.trim().slice(MARKER.length).trim().split(/\s+/)) {
    const declaration = new RegExp(`var<storage, read> ${name}\\s*:`);
    if (!declaration.test(rewritten)) throw new Error(`tfjs-backend-webgpu changed its input declarations: cannot make ${name} writable`);
    rewritten = rewritten.replace(declaration, `var<storage, read_write> ${name}:`);
  }
  return rewritten;
}

/** Marks devices whose shader compilation already rewrites extra outputs. */
const REWRITING = Symbol.for('bert-studio.extra-outputs');

function rewriteOn(device: GPUDevice): void {
  if (REWRITING in device) return;
  const create = device.createShaderModule.bind(device);
  device.createShaderModule = (descriptor) => create({ ...descriptor, code: withExtraOutputs(descriptor.code) });
  Object.defineProperty(device, REWRITING, { value: true });
}

/**
 * Runs `program` once: its output, then one float32 tensor per shape in `extraShapes`, which the program writes as
 * the inputs named last in its variableNames (and in its extraOutputsMarker). Returns [output, ...extras].
 */
export function runWithExtraOutputs(
  backend: WebGPUBackend,
  program: WebGPUProgram,
  inputs: tf.TensorInfo[],
  extraShapes: number[][],
  uniforms: { type: string; data: number[] }[],
): tf.TensorInfo[] {
  rewriteOn(backend.device);
  const extras = extraShapes.map((shape) => backend.makeTensorInfo(shape, 'float32'));
  const output = backend.runWebGPUProgram(program, [...inputs, ...extras], 'float32', uniforms);
  return [output, ...extras];
}
