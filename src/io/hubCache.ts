/**
 * Keeps downloaded Hub files in IndexedDB so a model is fetched once per browser. Files are keyed by
 * `endpoint|repo|revision|file`; a branch revision such as "main" is cached as it was first seen.
 */
import { clear, createStore, get, set, type UseStore } from 'idb-keyval';
import type { HubSource } from './modelSource';

/** The little of a key-value store the cache needs; IndexedDB in the app, a Map in tests. */
export interface ByteStore {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
  clear(): Promise<void>;
}

/** An IndexedDB-backed store, opened on first use (creating it needs `indexedDB`, which Node lacks). */
export function idbByteStore(dbName = 'bert-studio-hub-cache', storeName = 'files'): ByteStore {
  let store: UseStore | undefined;
  const open = (): UseStore => (store ??= createStore(dbName, storeName));
  return {
    get: (key) => get<Uint8Array>(key, open()),
    set: (key, value) => set(key, value, open()),
    clear: () => clear(open()),
  };
}

let defaultStore: ByteStore | undefined;

/** The app's one cache store. */
export function hubCacheStore(): ByteStore {
  return (defaultStore ??= idbByteStore());
}

export function hubCacheKey(source: Pick<HubSource, 'endpoint' | 'repo' | 'revision'>, file: string): string {
  return [source.endpoint, source.repo, source.revision, file].join('|');
}

/**
 * Wraps a Hub source so each file is served from `store` when present and stored after a download.
 * A hit reports one progress event with the full size. The cache only ever saves work: a store that
 * cannot be opened or written (private browsing, a full disk) falls back to downloading.
 */
export function cachedSource(source: HubSource, store: ByteStore = hubCacheStore()): HubSource {
  const lookup = (file: string): Promise<Uint8Array | undefined> =>
    store.get(hubCacheKey(source, file)).catch(() => undefined);
  const has = source.has;
  return {
    ...source,
    has: has && (async (file) => (await lookup(file)) !== undefined || has(file)),
    fetchFile: async (file, onProgress) => {
      const cached = await lookup(file);
      if (cached) {
        onProgress?.({ stage: 'download', item: file, loaded: cached.length, total: cached.length });
        return cached;
      }
      const bytes = await source.fetchFile(file, onProgress);
      await store.set(hubCacheKey(source, file), bytes).catch((error: unknown) => {
        console.warn(`Could not cache ${file} of ${source.id}:`, error);
      });
      return bytes;
    },
  };
}
