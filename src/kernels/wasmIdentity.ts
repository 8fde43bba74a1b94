/**
 * Identity on tfjs-wasm sharing its input's memory, as tfjs's CPU and WebGPU backends do, in place of tfjs-wasm
 * 4.22's copy. Under a gradient tape tfjs clones every tensor a kernel saves for its backward pass (inputs and
 * outputs alike), and a clone is an Identity: on wasm each one copied the tensor, so a training step held its
 * activations twice and spent time copying them (measured on a bert-base-shaped step, 2 layers, batch 8 × 128:
 * 540 copies in 2 steps, 1.4 s of 11.8 s, and a wasm heap of 2.0 GiB against 589 MiB of live tensors). tfjs-wasm's
 * data is never written after its kernel returns (Reshape already shares memory by reference count), so sharing
 * is safe; the memory is freed when the last tensor on it is disposed.
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs flag (on by default): off, wasm's Identity copies as tfjs's does (for the benchmark). */
export const WASM_SHARED_IDENTITY_FLAG = 'BERT_STUDIO_WASM_SHARED_IDENTITY';
tf.env().registerFlag(WASM_SHARED_IDENTITY_FLAG, () => true);

/** Marks our kernel in tfjs's registry, which outlives this module if it is evaluated again (HMR). */
const REPLACED = Symbol.for('bert-studio.wasm-shared-identity');

interface KernelArgs {
  inputs: { x: tf.TensorInfo };
  backend: { incRef(dataId: tf.DataId): void };
}

/**
 * Replaces tfjs-wasm's Identity: call once the wasm backend's package is loaded (which registers its kernels).
 * Idempotent.
 */
export function registerWasmSharedIdentity(): void {
  const stock = tf.getKernel('Identity', 'wasm');
  if (!stock || REPLACED in stock.kernelFunc) return;
  const copy = stock.kernelFunc;
  const share = (args: Parameters<tf.KernelFunc>[0]) => {
    const { inputs: { x }, backend } = args as unknown as KernelArgs;
    // Strings live outside the heap; tfjs's kernel handles them.
    if (!tf.env().getBool(WASM_SHARED_IDENTITY_FLAG) || x.dtype === 'string') return copy(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ ...stock, kernelFunc: Object.assign(share, { [REPLACED]: true }) });
}
