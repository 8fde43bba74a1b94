import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelSummary } from '../worker/protocol';

const call = vi.fn();
const restartEngine = vi.fn();
vi.mock('./engine', () => ({ engine: () => ({ call }), onEngineEvent: () => {}, restartEngine }));

const { useStudio } = await import('./index');

beforeEach(() => {
  call.mockReset();
  restartEngine.mockReset();
});

describe('switchBackend', () => {
  it('keeps the engine, its model and its data when the backend chosen is the one running', async () => {
    useStudio.setState({ backend: { backend: 'wasm', threads: 2 } });
    await useStudio.getState().switchBackend('wasm');
    expect(restartEngine).not.toHaveBeenCalled();
    expect(call).not.toHaveBeenCalled();
    expect(useStudio.getState().backend).toEqual({ backend: 'wasm', threads: 2 });
  });
});

describe('startEngine', () => {
  it("leaves the choice to the engine's one rule, with the remembered backend, and reads WebGPU's presence from its reply", async () => {
    const stored = new Map([['bert-studio.backend', 'webgpu']]);
    vi.stubGlobal('localStorage', { getItem: (key: string) => stored.get(key) ?? null, setItem: () => {} });
    call.mockImplementation(async (command: string) => {
      if (command === 'init') return { backend: 'wasm', threads: 2, webgpuAvailable: false };
      if (command === 'listRuns') return { runs: [], storage: 'memory' };
      throw new Error(`unexpected ${command}`);
    });
    useStudio.setState({ backend: null, webgpuAvailable: null, model: { source: 'loaded' } as ModelSummary });
    await useStudio.getState().startEngine();
    expect(call).toHaveBeenCalledWith('init', { backend: undefined, remembered: 'webgpu' });
    expect(useStudio.getState().backend).toEqual({ backend: 'wasm', threads: 2, webgpuAvailable: false });
    expect(useStudio.getState().webgpuAvailable).toBe(false);
    vi.unstubAllGlobals();
  });
});
