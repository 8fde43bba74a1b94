// Counting what a piece of tfjs work costs in launches (kernels on every backend, WebGPU dispatches) and memory.
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

export interface LaunchCounts {
  kernels: number;
  /** Kernel invocations by kernel name. */
  byKernel: Map<string, number>;
  /** WebGPU compute dispatches; null off WebGPU. */
  dispatches: number | null;
  /** The most live tensor bytes (tf.memory().numBytes) after any kernel, or at the start or reset if more. */
  peakBytes: number;
}

export interface LaunchCounter {
  /** Counts since start (or the last reset). */
  read(): LaunchCounts;
  reset(): void;
  /** Restores the wrapped methods. */
  stop(): void;
}

/**
 * Wraps the engine's `runKernel` (every op, forward and backward, goes through it) and, on WebGPU, the
 * backend's `runWebGPUProgram` (one call per compute dispatch). The wrappers only count, and read the engine's
 * live bytes after each kernel for the peak (tf.memory() only copies the engine's counters: cheap).
 */
export function startLaunchCounter(): LaunchCounter {
  const engine = tf.engine();
  const byKernel = new Map<string, number>();
  let dispatches = 0;
  let peakBytes = tf.memory().numBytes;
  const runKernel = engine.runKernel;
  engine.runKernel = function (this: typeof engine, kernelName, ...rest) {
    byKernel.set(kernelName, (byKernel.get(kernelName) ?? 0) + 1);
    const outputs = runKernel.call(this, kernelName, ...rest);
    peakBytes = Math.max(peakBytes, tf.memory().numBytes);
    return outputs;
  } as typeof engine.runKernel;

  const gpu = tf.getBackend() === 'webgpu' ? (tf.backend() as WebGPUBackend) : null;
  const runProgram = gpu?.runWebGPUProgram;
  if (gpu && runProgram) {
    gpu.runWebGPUProgram = function (this: WebGPUBackend, ...args) {
      dispatches += 1;
      return runProgram.apply(this, args);
    } as typeof runProgram;
  }
  return {
    read: () => ({
      kernels: [...byKernel.values()].reduce((a, b) => a + b, 0),
      byKernel: new Map(byKernel),
      dispatches: gpu ? dispatches : null,
      peakBytes,
    }),
    reset() {
      byKernel.clear();
      dispatches = 0;
      peakBytes = tf.memory().numBytes;
    },
    stop() {
      engine.runKernel = runKernel;
      if (gpu && runProgram) gpu.runWebGPUProgram = runProgram;
    },
  };
}
