import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelSummary } from '../worker/protocol';

const call = vi.fn();
const restartEngine = vi.fn();
vi.mock('./engine', () => ({ engine: () => ({ call }), onEngineEvent: () => {}, restartEngine }));

const { useStudio } = await import('./index');

beforeEach(() => {
  call.mockReset();
  restartEngine.mockReset();
  useStudio.setState({ data: null, dataFiles: null });
});

describe('switchBackend', () => {
  it('keeps the engine, its model and its data when the backend chosen is the one running', async () => {
    useStudio.setState({ backend: { backend: 'wasm', threads: 2 } });
    await useStudio.getState().switchBackend('wasm');
    expect(restartEngine).not.toHaveBeenCalled();
    expect(call).not.toHaveBeenCalled();
    expect(useStudio.getState().backend).toEqual({ backend: 'wasm', threads: 2 });
  });

  it('loads the model in use once on the new backend, and its data once after it', async () => {
    const files = { 'config.json': new Blob(['{}']) };
    const dataFiles = { train: { fileName: 'd.csv', text: 'text,label\na,x\n' } };
    call.mockImplementation(async (command: string) => {
      if (command === 'init') return { backend: 'wasm', threads: 2 };
      if (command === 'loadModel') return { summary: { source: 'local', hiddenSize: 128, numLayers: 2 }, groups: null };
      if (command === 'loadData') return { task: 'classify', fileName: 'd.csv', numTrain: 1 };
      if (command === 'listRuns') return { runs: [], storage: 'memory' };
      throw new Error(`unexpected ${command}`);
    });
    useStudio.setState({ backend: { backend: 'webgpu', threads: 1 }, modelSpec: { kind: 'local', files }, model: { source: 'local' } as ModelSummary, dataFiles, unexported: false });
    await useStudio.getState().switchBackend('wasm');
    expect(restartEngine).toHaveBeenCalledTimes(1);
    const commands = call.mock.calls.map(([command]) => command);
    expect(commands).toEqual(['init', 'loadModel', 'loadData', 'listRuns']);
    expect(call.mock.calls[1][1]).toEqual({ model: { kind: 'local', files } });
    expect(call.mock.calls[1][1].model.files['config.json']).toBe(files['config.json']);
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
