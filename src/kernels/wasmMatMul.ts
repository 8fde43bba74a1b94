/**
 * BatchMatMul on tfjs-wasm with transposed operands made plain first. tfjs-wasm 4.22 multiplies a transposed
 * operand 15-20× slower than a plain one (measured in a training step of the bundled model's shape on 2 threads:
 * 512×128 · (128×128)ᵀ 6.9 ms against 0.4 ms for 512×128 · 128×128), and a BERT step is full of them: every
 * dense layer's forward is x·Wᵀ, and every matMul's backward is dC·Bᵀ and Aᵀ·dC. Copying the operand into its
 * transpose costs about as much as one plain product of these shapes; the product then takes tfjs's fast path.
 *
 * The result is the same product; rounding may differ from the transposed path's in the last bits.
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs flag (on by default): off, wasm multiplies transposed operands as tfjs does (for the benchmark). */
export const WASM_PLAIN_MATMUL_FLAG = 'BERT_STUDIO_WASM_PLAIN_MATMUL';
tf.env().registerFlag(WASM_PLAIN_MATMUL_FLAG, () => true);

/** Marks our kernel in tfjs's registry, which outlives this module if it is evaluated again (HMR). */
const REPLACED = Symbol.for('bert-studio.wasm-plain-matmul');

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: { disposeData(dataId: tf.DataId): boolean };
  attrs?: tf.NamedAttrMap;
}

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
export function lastTwoSwapped(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/**
 * Replaces tfjs-wasm's BatchMatMul: call once the wasm backend's package is loaded (which registers its kernels)
 * and before the backend starts. Idempotent.
 */
export function registerWasmPlainMatMul(): void {
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!stock || !transpose || REPLACED in stock.kernelFunc) return;
  const matMul = stock.kernelFunc;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend, attrs } = args as unknown as KernelArgs;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!tf.env().getBool(WASM_PLAIN_MATMUL_FLAG) || (!transposeA && !transposeB)) return matMul(args);
    const plain = (x: tf.TensorInfo, transposed: boolean): tf.TensorInfo =>
      transposed ? (transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm: lastTwoSwapped(x.shape.length) } } as never) as tf.TensorInfo) : x;
    const a = plain(inputs.a as tf.TensorInfo, transposeA);
    const b = plain(inputs.b as tf.TensorInfo, transposeB);
    try {
      return matMul({ ...args, inputs: { a, b }, attrs: { ...attrs, transposeA: false, transposeB: false } } as never);
    } finally {
      if (transposeA) backend.disposeData(a.dataId);
      if (transposeB) backend.disposeData(b.dataId);
    }
  };
  // Unregistering first replaces the kernel without tfjs's "already registered" warning. The stock setupFunc
  // stays: it binds the wasm function the stock kernel calls when the backend starts.
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...stock, kernelFunc: Object.assign(kernelFunc, { [REPLACED]: true }) });
}
