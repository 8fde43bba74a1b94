import { describe, expect, it } from 'vitest';
import { backendBadge, capabilityNotice } from './backend';

describe('backendBadge', () => {
  it('names the backend and adapter', () => {
    expect(backendBadge(null)).toBe('Starting…');
    expect(backendBadge({ backend: 'webgpu', adapter: 'SwiftShader' })).toBe('WebGPU · SwiftShader');
    expect(backendBadge({ backend: 'wasm' })).toBe('CPU (wasm)');
    expect(backendBadge({ backend: 'wasm', threads: 2 })).toBe('CPU (wasm) · 2 threads');
    expect(backendBadge({ backend: 'wasm', threads: 1 })).toBe('CPU (wasm) · 1 thread');
    expect(backendBadge({ backend: 'wasm', threads: 2, peers: 1 })).toBe('CPU (wasm) · 2 threads · trains on 2 workers');
  });
});

describe('capabilityNotice', () => {
  it('says nothing before the check or on a hardware GPU', () => {
    expect(capabilityNotice(true, null, null)).toEqual({ kind: 'none' });
    expect(capabilityNotice(true, true, { backend: 'webgpu', adapter: 'apple metal-3' })).toEqual({ kind: 'none' });
  });
  it('tells a missing API from a missing adapter', () => {
    const noApi = capabilityNotice(false, false, null);
    const noAdapter = capabilityNotice(true, false, null);
    expect(noApi.kind === 'no-webgpu' && noApi.reason).toMatch(/does not support WebGPU/);
    expect(noAdapter.kind === 'no-webgpu' && noAdapter.reason).toMatch(/no GPU adapter/);
  });
  it('offers the wasm fallback only when not already on it', () => {
    expect(capabilityNotice(false, false, { backend: 'cpu' })).toMatchObject({ offerFallback: true });
    expect(capabilityNotice(false, false, { backend: 'wasm' })).toMatchObject({ offerFallback: false });
    expect(capabilityNotice(false, false, null)).toMatchObject({ offerFallback: false });
  });
  it('flags software WebGPU, where wasm is faster', () => {
    expect(capabilityNotice(true, true, { backend: 'webgpu', adapter: 'google swiftshader', software: true })).toEqual({
      kind: 'software-webgpu',
      adapter: 'google swiftshader',
    });
    expect(capabilityNotice(true, true, { backend: 'wasm' })).toEqual({ kind: 'none' });
  });
});
