/** What a WebGPU adapter says about itself, as GPUAdapterInfo (and tfjs's AdapterInfo, a subset) carry it. */
export interface AdapterDescription {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|warp/i;

/**
 * Whether the adapter runs WebGPU on the CPU: Chromium's SwiftShader (what a machine without a usable GPU gets),
 * Mesa's llvmpipe/lavapipe, Windows' WARP. There, WebGPU is many times slower than tfjs's wasm backend.
 */
export function isSoftwareAdapter(info: AdapterDescription): boolean {
  if (info.isFallbackAdapter) return true;
  return SOFTWARE.test([info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' '));
}
