// What the fused-kernel specs share on the harness page: the WebGPU programs a computation dispatches, its outputs
// with a kernel's flag on or off, and the relative error they are compared by.
import * as tf from '@tensorflow/tfjs';

/** Records the shader key of every WebGPU program run from now on into the returned list. */
export function recordPrograms(): string[] {
  const programs: string[] = [];
  const gpu = tf.backend() as unknown as { runWebGPUProgram(program: { shaderKey: string }, ...rest: unknown[]): unknown };
  const runProgram = gpu.runWebGPUProgram;
  gpu.runWebGPUProgram = function (this: unknown, program, ...rest) {
    const out = runProgram.call(this, program, ...rest);
    programs.push(program.shaderKey); // set by tfjs as it runs the program
    return out;
  };
  return programs;
}

/** `fn`'s outputs with `flag` set to `on` (then back on), and the shader keys of the programs dispatched meanwhile. */
export async function withFlag(
  programs: string[],
  flag: string,
  on: boolean,
  fn: () => tf.Tensor[],
): Promise<{ data: number[][]; shapes: number[][]; programs: string[] }> {
  tf.env().set(flag, on);
  programs.length = 0;
  try {
    const tensors = tf.tidy(fn);
    const data = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
    tf.dispose(tensors);
    return { data, shapes: tensors.map((t) => t.shape), programs: [...programs] };
  } finally {
    tf.env().set(flag, true);
  }
}

/** Largest difference over the largest magnitude of the expected values (the difference itself when they are all 0). */
export function relError(actual: number[], expected: number[]): number {
  let [worst, scale] = [0, 0];
  expected.forEach((value, j) => {
    worst = Math.max(worst, Math.abs(actual[j] - value));
    scale = Math.max(scale, Math.abs(value));
  });
  return scale === 0 ? worst : worst / scale;
}
