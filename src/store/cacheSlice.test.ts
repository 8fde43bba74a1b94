import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CachedModel } from '../worker/protocol';

const call = vi.fn();
vi.mock('./engine', () => ({ engine: () => ({ call }), onEngineEvent: () => {}, restartEngine: () => {} }));

const { useStudio } = await import('./index');

const model: CachedModel = { key: 'https://hub|org/m|abc', endpoint: 'https://hub', repo: 'org/m', revision: 'abc', files: 3, bytes: 1024, lastUsed: null };

beforeEach(() => {
  call.mockReset();
  vi.unstubAllGlobals();
});

describe('cache slice', () => {
  it("lists the engine's cache with the browser's storage estimate and persistence", async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 5e6, quota: 1e9 }), persisted: async () => false } });
    call.mockResolvedValueOnce([model]);
    await useStudio.getState().refreshCache();
    expect(call).toHaveBeenCalledWith('listCache', null);
    expect(useStudio.getState().cachedModels).toEqual([model]);
    expect(useStudio.getState().storage).toEqual({ usage: 5e6, quota: 1e9, persisted: false });
  });

  it('deletes one model or all, then lists again; asks the browser to keep storage', async () => {
    let persisted = false;
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 0, quota: 1 }), persisted: async () => persisted, persist: async () => (persisted = true) } });
    call.mockImplementation(async (command: string) => (command === 'listCache' ? [] : null));
    await useStudio.getState().deleteCached(model.key);
    await useStudio.getState().deleteCached(null);
    expect(call.mock.calls.map(([command, params]) => [command, params])).toEqual([
      ['deleteCached', { key: model.key }],
      ['listCache', null],
      ['deleteCached', { key: null }],
      ['listCache', null],
    ]);
    await useStudio.getState().persistStorage();
    expect(useStudio.getState().storage.persisted).toBe(true);
  });

  it('says nothing of storage where the browser reports none', async () => {
    vi.stubGlobal('navigator', {});
    call.mockResolvedValueOnce([]);
    await useStudio.getState().refreshCache();
    expect(useStudio.getState().storage).toEqual({ usage: null, quota: null, persisted: null });
  });
});
