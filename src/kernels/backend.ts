import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { describeAdapter, isSoftwareAdapter, preferredBackend, probeAdapter, type BackendInfo, type BackendName } from './adapter';
import './reductions';
import './webgpuAttention';
import { registerWasmSharedIdentity } from './wasmIdentity';
import { registerWasmPlainMatMul } from './wasmMatMul';
import { registerFusedCrossEntropy } from './webgpuCrossEntropy';
import { registerFusedEmbeddingGrad } from './webgpuEmbedding';
import { registerFusedGelu } from './webgpuGelu';
import { registerFusedLayerNorm } from './webgpuLayerNorm';
import { registerBlockedMatMul } from './webgpuMatMul';
import { registerSubgroupBackend } from './webgpuSubgroups';

export type { BackendInfo, BackendName } from './adapter';

export interface BackendOptions {
  /** wasm's threads where the page is isolated; default every core (the benchmark also times one). */
  threads?: number;
  /** With 'auto': the user's last choice, taken where it still works (preferredBackend). */
  remembered?: BackendName;
}

/**
 * Selects and initialises a tfjs backend: the one named, or with 'auto' the one the one rule (preferredBackend)
 * picks for this browser's adapter. Throws with a readable reason when it is unavailable.
 */
export async function initBackend(requested: BackendName | 'auto', options: BackendOptions = {}): Promise<BackendInfo> {
  const found = await probeAdapter();
  const name = requested === 'auto' ? await preferredBackend(options.remembered, found) : requested;
  let adapter: string | undefined;
  let software: boolean | undefined;
  if (name === 'webgpu') {
    if (found === null) throw new Error('WebGPU is not available in this browser (no adapter).');
    adapter = describeAdapter(found);
    software = isSoftwareAdapter(found);
    // On the CPU tfjs's tiled matMul dominates a training step; the blocked one, with A's rows shared across a
    // subgroup where the device has them, is 6-9× faster there (webgpuMatMul.ts).
    if (software) {
      registerBlockedMatMul();
      registerFusedLayerNorm();
      registerFusedGelu();
      registerFusedEmbeddingGrad();
      registerFusedCrossEntropy();
      await registerSubgroupBackend();
    }
  }
  const wasm = name === 'wasm' ? await loadWasmBackend(options.threads) : undefined;
  const started = wasm && tf.env().getBool('IS_BROWSER') ? await withEveryCoreCounted(() => tf.setBackend(name)) : await tf.setBackend(name);
  if (!started) throw new Error(`The tfjs ${name} backend failed to initialise.`);
  await tf.ready();
  return {
    backend: name,
    adapter,
    ...(software !== undefined && { software }),
    webgpuAvailable: found !== null,
    ...(wasm && { threads: wasm.getThreadsCount() }),
  };
}

/** The GPU device tfjs's WebGPU backend runs on, or null on other backends. */
export function webgpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/**
 * tfjs-wasm 4.22 caps its thread pool at half of `navigator.hardwareConcurrency`, whatever `setThreadsCount` asks:
 * its C++ reads the count once as the module starts and halves it (`num_cores = emscripten_num_logical_cores() /
 * 2`, taking every core for two hyper-threads). On the two cores of a small machine that is one thread. While the
 * module starts, the worker's navigator reports twice its count, so the cap becomes the machine's own count.
 */
async function withEveryCoreCounted<T>(start: () => Promise<T>): Promise<T> {
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * navigator.hardwareConcurrency, configurable: true });
  try {
    return await start();
  } finally {
    // The own property shadowed the prototype's getter; removing it brings the real count back.
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * Registers the wasm backend. In a browser its .wasm binaries must be fetched from wherever the bundler put
 * them: tfjs looks beside its own script by default, which Vite's dependency pre-bundling moves elsewhere
 * (the dev server then answers with index.html and compilation fails). Node loads them from the package.
 * tfjs takes the threaded binary by itself where SharedArrayBuffer exists (a cross-origin isolated page); the
 * studio asks for a thread per core, since the worker that trains is the only busy thread while it does.
 */
async function loadWasmBackend(threads?: number): Promise<typeof import('@tensorflow/tfjs-backend-wasm')> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  registerWasmPlainMatMul();
  registerWasmSharedIdentity();
  if (!tf.env().getBool('IS_BROWSER')) return wasm;
  wasm.setThreadsCount(threads ?? navigator.hardwareConcurrency);
  const [plain, simd, threadedSimd] = await Promise.all([
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
  ]);
  wasm.setWasmPaths({
    'tfjs-backend-wasm.wasm': plain.default,
    'tfjs-backend-wasm-simd.wasm': simd.default,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd.default,
  });
  return wasm;
}
