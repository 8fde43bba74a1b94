import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import './reductions';

export type BackendName = 'webgpu' | 'wasm' | 'cpu';

export interface BackendInfo {
  backend: BackendName;
  /** Adapter description when WebGPU is in use, e.g. "SwiftShader" on CPU-only machines. */
  adapter?: string;
}

/** Whether this browser exposes a usable WebGPU adapter. */
export async function webgpuAdapterInfo(): Promise<string | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info;
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown';
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
