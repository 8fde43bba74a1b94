/**
 * Keeps downloaded Hub files in IndexedDB so a model is fetched once per browser. Files are keyed by the commit
 * they belong to (`endpoint|repo|commit|file`): a branch such as "main" is resolved to its current commit on each
 * load, so an updated model is downloaded again, while an unchanged one comes from the cache. Offline, the commit
 * the branch pointed at last time is used; a server without the Hub's revision API keys files by the revision name.
 */
import { clear, createStore, get, set, type UseStore } from 'idb-keyval';
import { COMMIT_SHA, type HubSource } from './modelSource';

/** The little of a key-value store the cache needs; IndexedDB in the app, a Map in tests. */
export interface ByteStore {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
  clear(): Promise<void>;
}

/**
 * An IndexedDB-backed store, opened on first use. Where there is no `indexedDB` (Node, some private modes)
 * every call rejects, and the cache falls back to downloading.
 */
export function idbByteStore(dbName = 'bert-studio-hub-cache', storeName = 'files'): ByteStore {
  let store: UseStore | undefined;
  const open = (): UseStore => (store ??= createStore(dbName, storeName));
  return {
    get: async (key) => get<Uint8Array>(key, open()),
    set: async (key, value) => set(key, value, open()),
    clear: async () => clear(open()),
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

/** Where the commit a branch last resolved to is remembered (not a file name: files never start with "@"). */
const COMMIT_POINTER = '@commit';

/**
 * The revision files are keyed by: a commit id as given; else the branch's current commit, remembered for
 * offline use; else (offline with nothing remembered, or a server without the revision API) the name itself.
 */
async function cacheRevision(source: HubSource, store: ByteStore): Promise<string> {
  if (COMMIT_SHA.test(source.revision)) return source.revision;
  const pointer = hubCacheKey(source, COMMIT_POINTER);
  const commit = await source.resolveCommit().catch(() => undefined);
  if (commit) {
    await store.set(pointer, new TextEncoder().encode(commit)).catch(() => undefined);
    return commit;
  }
  const remembered = await store.get(pointer).catch(() => undefined);
  const text = remembered && new TextDecoder().decode(remembered);
  return text && COMMIT_SHA.test(text) ? text : source.revision;
}

/**
 * Wraps a Hub source so each file is served from `store` when present and stored after a download.
 * A hit reports one progress event with the full size. The cache only ever saves work: a store that
 * cannot be opened or written (private browsing, a full disk) falls back to downloading.
 */
export function cachedSource(source: HubSource, store: ByteStore = hubCacheStore()): HubSource {
  let revision: Promise<string> | undefined;
  const resolved = (): Promise<string> => (revision ??= cacheRevision(source, store));
  const key = async (file: string): Promise<string> => hubCacheKey({ ...source, revision: await resolved() }, file);
  const lookup = async (file: string): Promise<Uint8Array | undefined> =>
    store.get(await key(file)).catch(() => undefined);
  const has = source.has;
  return {
    ...source,
    has: has && (async (file) => (await lookup(file)) !== undefined || has(file)),
    fetchFile: async (file, onProgress, signal) => {
      const cached = await lookup(file);
      if (cached) {
        onProgress?.({ stage: 'download', item: file, loaded: cached.length, total: cached.length });
        return cached;
      }
      // Download from the resolved commit, so a push after the resolve cannot mix two versions of the model.
      const commit = await resolved();
      const from = commit === source.revision ? source : source.atRevision(commit);
      const bytes = await from.fetchFile(file, onProgress, signal);
      await store.set(await key(file), bytes).catch((error: unknown) => {
        console.warn(`Could not cache ${file} of ${source.id}:`, error);
      });
      return bytes;
    },
  };
}
