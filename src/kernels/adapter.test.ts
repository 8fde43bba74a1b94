import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSoftwareAdapter, preferredBackend, webgpuAdapterInfo } from './adapter';

describe('isSoftwareAdapter', () => {
  it("recognises SwiftShader as Chromium reports it, and Mesa's CPU drivers", () => {
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
    expect(isSoftwareAdapter({ isFallbackAdapter: true })).toBe(true);
  });

  it('reads the one-line description the header shows, too', () => {
    expect(isSoftwareAdapter('google swiftshader SwiftShader Device (Subzero)')).toBe(true);
    expect(isSoftwareAdapter('mesa llvmpipe')).toBe(true);
    expect(isSoftwareAdapter('Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareAdapter('nvidia ampere NVIDIA H100')).toBe(false);
    expect(isSoftwareAdapter(undefined)).toBe(false);
  });

  it('takes hardware adapters, and adapters that say nothing, for hardware', () => {
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'intel', architecture: 'gen-12lp' })).toBe(false);
    expect(isSoftwareAdapter({})).toBe(false);
  });
});

function stubAdapter(info: Partial<GPUAdapterInfo> | null): void {
  const requestAdapter = async () => (info ? { info } : null);
  vi.stubGlobal('navigator', { gpu: { requestAdapter } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('backend choice', () => {
  it('prefers webgpu on a hardware adapter', async () => {
    stubAdapter({ vendor: 'nvidia', architecture: 'hopper', device: '', description: '', isFallbackAdapter: false });
    expect(await preferredBackend()).toBe('webgpu');
    expect(await webgpuAdapterInfo()).toBe('nvidia hopper');
  });

  it('prefers wasm on SwiftShader, without an adapter and without WebGPU', async () => {
    stubAdapter({ vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true });
    expect(await preferredBackend()).toBe('wasm');
    expect(await webgpuAdapterInfo()).toBe('google swiftshader');
    stubAdapter(null);
    expect(await preferredBackend()).toBe('wasm');
    expect(await webgpuAdapterInfo()).toBeNull();
    vi.stubGlobal('navigator', {});
    expect(await preferredBackend()).toBe('wasm');
  });

  it('keeps a remembered backend where it still works, and takes the probe the caller already has', async () => {
    const hardware = { vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false };
    expect(await preferredBackend('cpu', hardware)).toBe('cpu');
    expect(await preferredBackend('wasm', hardware)).toBe('wasm');
    expect(await preferredBackend('webgpu', null)).toBe('wasm');
    expect(await preferredBackend(undefined, { vendor: 'google', architecture: 'swiftshader' })).toBe('wasm');
    stubAdapter(null);
    expect(await preferredBackend(undefined, hardware)).toBe('webgpu');
  });
});
