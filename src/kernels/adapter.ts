/**
 * The WebGPU adapter and the backend it calls for, asked of the browser alone: the page imports this, never tfjs.
 */

/** What a WebGPU adapter says about itself, as GPUAdapterInfo (and tfjs's AdapterInfo, a subset) carry it. */
export interface AdapterDescription {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|warp|software|microsoft basic render/i;

/**
 * Whether the adapter runs WebGPU on the CPU: Chromium's SwiftShader (what a machine without a usable GPU gets),
 * Mesa's llvmpipe/lavapipe, Windows' WARP or Basic Render Driver. There, WebGPU is many times slower than tfjs's
 * wasm backend. Takes the adapter's fields, or the one-line description `webgpuAdapterInfo` makes of them.
 */
export function isSoftwareAdapter(info: AdapterDescription | string | undefined): boolean {
  if (info === undefined) return false;
  if (typeof info === 'string') return SOFTWARE.test(info);
  if (info.isFallbackAdapter) return true;
  return SOFTWARE.test([info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' '));
}

export type BackendName = 'webgpu' | 'wasm' | 'cpu';

export interface BackendInfo {
  backend: BackendName;
  /** Adapter description when WebGPU is in use, e.g. "SwiftShader" on CPU-only machines. */
  adapter?: string;
  /**
   * Threads the wasm backend computes on: the machine's cores where the page is cross-origin isolated
   * (SharedArrayBuffer), otherwise 1.
   */
  threads?: number;
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

