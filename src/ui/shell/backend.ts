/** What the header and the capability banner say about tfjs backends and the WebGPU adapter. */
import type { BackendInfo, BackendName } from '../../worker/protocol';

export interface BackendOption {
  name: BackendName;
  label: string;
  description: string;
}

export const BACKEND_OPTIONS: readonly BackendOption[] = [
  { name: 'webgpu', label: 'WebGPU', description: 'Your GPU through WebGPU: the fast path on machines with a graphics card.' },
  { name: 'wasm', label: 'CPU (wasm)', description: 'WebAssembly with SIMD on the CPU: the best choice on machines without a GPU.' },
  { name: 'cpu', label: 'CPU (plain JS)', description: 'Plain JavaScript: slowest; for checking results only.' },
];

/** "WebGPU · SwiftShader" or "CPU (wasm) · 2 threads" for the header badge. */
export function backendBadge(info: BackendInfo | null): string {
  if (!info) return 'Starting…';
  const label = BACKEND_OPTIONS.find((option) => option.name === info.backend)?.label ?? info.backend;
  if (info.adapter) return `${label} · ${info.adapter}`;
  if (info.threads) {
    const training = info.peers ? ` · trains on ${info.peers + 1} workers` : '';
    return `${label} · ${info.threads} ${info.threads === 1 ? 'thread' : 'threads'}${training}`;
  }
  return label;
}

export type CapabilityNotice =
  | { kind: 'none' }
  /** No WebGPU: `reason` says whether the browser lacks the API or found no adapter. */
  | { kind: 'no-webgpu'; reason: string; offerFallback: boolean }
  /** WebGPU works but in software, so the CPU backend would be faster. */
  | { kind: 'software-webgpu'; adapter: string };

/**
 * The banner to show. `hasGpuApi`: whether navigator.gpu exists; `webgpuAvailable`: whether an adapter was
 * found (null before the check has run).
 */
export function capabilityNotice(hasGpuApi: boolean, webgpuAvailable: boolean | null, backend: BackendInfo | null): CapabilityNotice {
  if (webgpuAvailable === false) {
    const reason = hasGpuApi
      ? 'This browser supports WebGPU but found no GPU adapter (the GPU may be blocklisted, disabled, or absent).'
      : 'This browser does not support WebGPU (navigator.gpu is missing). Use a recent Chrome or Edge, or enable WebGPU in the browser flags.';
    // While the engine starts (backend null) it falls back to wasm by itself: offer nothing yet
    return { kind: 'no-webgpu', reason, offerFallback: backend !== null && backend.backend !== 'wasm' };
  }
  // The engine says whether its adapter runs in software (src/kernels/adapter.ts isSoftwareAdapter).
  if (backend?.backend === 'webgpu' && backend.software) {
    return { kind: 'software-webgpu', adapter: backend.adapter ?? 'software' };
  }
  return { kind: 'none' };
}
