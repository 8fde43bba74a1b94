import { afterEach, describe, expect, it, vi } from 'vitest';
import { preferredBackend, webgpuAdapterInfo } from './backend';

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
});
