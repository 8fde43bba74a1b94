import type { CachedModel } from '../worker/protocol';
import { engine } from './engine';
import type { Slice } from './types';

/** The browser's storage as navigator.storage reports it; null where it reports nothing. */
export interface StorageState {
  usage: number | null;
  quota: number | null;
  /** Whether the browser keeps this site's storage under pressure (navigator.storage.persisted). */
  persisted: boolean | null;
}

export interface CacheSlice {
  /** The Hub download cache (the engine's), null until first listed. */
  cachedModels: CachedModel[] | null;
  storage: StorageState;
  refreshCache(): Promise<void>;
  /** Deletes one cached model by its key, or every cached download with null. */
  deleteCached(key: string | null): Promise<void>;
  /** Asks the browser to keep this site's storage (navigator.storage.persist); the answer lands in `storage`. */
  persistStorage(): Promise<void>;
}

const NO_STORAGE: StorageState = { usage: null, quota: null, persisted: null };

async function readStorage(): Promise<StorageState> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage) return NO_STORAGE;
  const [estimate, persisted] = await Promise.all([storage.estimate?.().catch(() => undefined), storage.persisted?.().catch(() => null)]);
  return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, persisted: persisted ?? null };
}

export const createCacheSlice: Slice<CacheSlice> = (set, get) => ({
  cachedModels: null,
  storage: NO_STORAGE,

  async refreshCache() {
    const [models, storage] = await Promise.all([engine().call('listCache', null).catch(() => null), readStorage()]);
    set({ cachedModels: models, storage });
  },

  async deleteCached(key) {
    await get().runTask(key === null ? 'Clearing the download cache' : 'Deleting a cached model', () => engine().call('deleteCached', { key }));
    await get().refreshCache();
  },

  async persistStorage() {
    await navigator.storage?.persist?.().catch(() => false);
    set({ storage: await readStorage() });
  },
});
