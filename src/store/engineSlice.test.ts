import { beforeEach, describe, expect, it, vi } from 'vitest';

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
