import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { isSoftwareAdapter } from './adapter';
import './reductions';

export type BackendName = 'webgpu' | 'wasm' | 'cpu';

export interface BackendInfo {
  backend: BackendName;
  /** Adapter description when WebGPU is in use, e.g. "SwiftShader" on CPU-only machines. */
  adapter?: string;
}

async function requestAdapterInfo(): Promise<GPUAdapterInfo | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  return adapter ? adapter.info : null;
}

/** Whether this browser exposes a usable WebGPU adapter. */
export async function webgpuAdapterInfo(): Promise<string | null> {
  const info = await requestAdapterInfo();
  if (!info) return null;
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown';
}

/**
 * The backend to start with: webgpu on a hardware adapter; wasm when there is no adapter or it runs on the CPU
 * (SwiftShader), where a training step on wasm is about 10× faster (docs/PERFORMANCE.md).
 */
export async function preferredBackend(): Promise<BackendName> {
  const info = await requestAdapterInfo();
  return info && !isSoftwareAdapter(info) ? 'webgpu' : 'wasm';
}

/** Selects and initialises a tfjs backend; throws with a readable reason when it is unavailable. */
export async function initBackend(name: BackendName): Promise<BackendInfo> {
  let adapter: string | undefined;
  if (name === 'webgpu') {
    const found = await webgpuAdapterInfo();
    if (found === null) throw new Error('WebGPU is not available in this browser (no adapter).');
    adapter = found;
  }
  if (name === 'wasm') await loadWasmBackend();
  if (!(await tf.setBackend(name))) throw new Error(`The tfjs ${name} backend failed to initialise.`);
  await tf.ready();
  return { backend: name, adapter };
}

/** The GPU device tfjs's WebGPU backend runs on, or null on other backends. */
export function webgpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/**
 * Registers the wasm backend. In a browser its .wasm binaries must be fetched from wherever the bundler put
 * them: tfjs looks beside its own script by default, which Vite's dependency pre-bundling moves elsewhere
 * (the dev server then answers with index.html and compilation fails). Node loads them from the package.
 */
async function loadWasmBackend(): Promise<void> {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  if (!tf.env().getBool('IS_BROWSER')) return;
  const [plain, simd, threadedSimd] = await Promise.all([
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
  ]);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plain.default,
    'tfjs-backend-wasm-simd.wasm': simd.default,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd.default,
  });
}
