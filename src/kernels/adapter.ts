/**
 * The WebGPU adapter and the backend it calls for, asked of the browser alone (no tfjs): the engine's init decides
 * with it (backend.ts), and reports the adapter to the page in BackendInfo.
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
  /** WebGPU in use on a software adapter (isSoftwareAdapter), where wasm would be faster. */
  software?: boolean;
  /** Whether the browser offers a WebGPU adapter at all, whichever backend started (the page's banner). */
  webgpuAvailable?: boolean;
  /**
   * Threads the wasm backend computes on: the machine's cores where the page is cross-origin isolated
   * (SharedArrayBuffer), otherwise 1.
   */
  threads?: number;
  /** Workers beside the engine that compute part of every training batch (wasm; src/worker/peers.ts). */
  peers?: number;
}

/** The one probe of the adapter: what the browser's WebGPU adapter says about itself, or null without one. */
export async function probeAdapter(): Promise<GPUAdapterInfo | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  return adapter ? adapter.info : null;
}

/** The adapter in one line, e.g. "google swiftshader" or "nvidia hopper". */
export function describeAdapter(info: AdapterDescription): string {
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown';
}

/** Whether this browser exposes a usable WebGPU adapter: its description, or null. */
export async function webgpuAdapterInfo(): Promise<string | null> {
  const info = await probeAdapter();
  return info && describeAdapter(info);
}

/**
 * The one backend rule, which the engine's start (initBackend 'auto') applies: the user's remembered choice where
 * it still works (WebGPU needs an adapter); otherwise webgpu on a hardware adapter, and wasm when there is no
 * adapter or it runs on the CPU (SwiftShader), where a training step on wasm is about 10× faster
 * (docs/PERFORMANCE.md). `adapter`: the probe's answer where the caller has it; left out, the adapter is probed.
 */
export async function preferredBackend(remembered?: BackendName, adapter?: AdapterDescription | null): Promise<BackendName> {
  const info = adapter === undefined ? await probeAdapter() : adapter;
  if (remembered && (remembered !== 'webgpu' || info)) return remembered;
  return info && !isSoftwareAdapter(info) ? 'webgpu' : 'wasm';
}
