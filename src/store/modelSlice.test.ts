import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineError, toWire } from '../worker/protocol';

const call = vi.fn();
vi.mock('./engine', () => ({ engine: () => ({ call }), onEngineEvent: () => {}, restartEngine: () => {} }));

const { useStudio } = await import('./index');

/** An error as the worker sends it and the client rebuilds it: through toWire and structured cloning. */
const fromWorker = (err: Error) => new EngineError(structuredClone(toWire(err)));

/** ModelSourceError as the io floor throws it (the page's tests do not import that floor). */
const sourceError = (kind: string, message: string) => Object.assign(new Error(message), { name: 'ModelSourceError', kind, get code() { return kind; } });

beforeEach(() => {
  call.mockReset();
  useStudio.setState({ model: null, error: null, errorWhere: null, log: [], loadCancelled: false });
});

describe('model slice', () => {
  it('logs a cancelled download by its error code, with no error banner', async () => {
    call.mockRejectedValueOnce(fromWorker(sourceError('cancelled', 'The download of model.safetensors was cancelled.')));
    await useStudio.getState().loadModel({ kind: 'hub', repo: 'org/model' });
    const state = useStudio.getState();
    expect(state.error).toBeNull();
    expect(state.log.at(-1)).toBe('The download of model.safetensors was cancelled.');
  });

  it('shows any other failure as an error, with where it happened', async () => {
    call.mockRejectedValueOnce(fromWorker(Object.assign(sourceError('offline', 'The Hub could not be reached.'), { file: 'config.json' })));
    await useStudio.getState().loadModel({ kind: 'hub', repo: 'org/model' });
    const state = useStudio.getState();
    expect(state.error).toBe('The Hub could not be reached.');
    expect(state.errorWhere).toBe('config.json');
  });

  it('keeps a Hub token in memory, in sessionStorage only when asked, and sends it with the Hub load', async () => {
    const stored = new Map<string, string>();
    vi.stubGlobal('sessionStorage', { setItem: (k: string, v: string) => stored.set(k, v), removeItem: (k: string) => stored.delete(k), getItem: (k: string) => stored.get(k) ?? null });
    useStudio.getState().setHubToken('hf_secret', false);
    expect(stored.size).toBe(0);
    useStudio.getState().setHubToken('hf_secret', true);
    expect([...stored.values()]).toEqual(['hf_secret']);
    useStudio.getState().setHubToken('hf_secret', false);
    expect(stored.size).toBe(0);
    expect(useStudio.getState().hubToken).toBe('hf_secret');
    vi.unstubAllGlobals();
  });
});
