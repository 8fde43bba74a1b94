/**
 * Keeps downloaded Hub files in IndexedDB so a model is fetched once per browser. Files are keyed by the commit
 * they belong to (`endpoint|repo|commit|file`): a branch such as "main" is resolved to its current commit on each
 * load, so an updated model is downloaded again, while an unchanged one comes from the cache. Offline, the commit
 * the branch pointed at last time is used; a server without the Hub's revision API keys files by the revision name.
 * The models used least recently are dropped, whole, once all of them together pass a size limit.
 */
import { clear, createStore, del, get, set, type UseStore } from 'idb-keyval';
import { COMMIT_SHA, type HubSource } from './modelSource';

/** The little of a key-value store the cache needs; IndexedDB in the app, a Map in tests. */
export interface ByteStore {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
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
    delete: async (key) => del(key, open()),
    clear: async () => clear(open()),
  };
}

let defaultStore: ByteStore | undefined;

/** The app's one cache store. */
export function hubCacheStore(): ByteStore {
  return (defaultStore ??= idbByteStore());
}

export function hubCacheKey(source: Pick<HubSource, 'endpoint' | 'repo' | 'revision'>, file: string): string {
  return `${modelCacheKey(source)}|${file}`;
}

function modelCacheKey(source: Pick<HubSource, 'endpoint' | 'repo' | 'revision'>): string {
  return [source.endpoint, source.repo, source.revision].join('|');
}

export interface CacheOptions {
  /** The most bytes the cached models may take together (default 2 GiB, a BERT-large and a few base models). */
  maxBytes?: number;
}

export const DEFAULT_CACHE_BYTES = 2 * 1024 ** 3;

/**
 * Per model (`endpoint|repo|commit`): its files' keys and sizes, and when it was last used: `usedAt` a counter that
 * orders eviction, `lastUsed` the date the cache manager shows (absent in indexes written before it).
 */
interface CacheIndex {
  clock: number;
  models: Record<string, { files: Record<string, number>; usedAt: number; lastUsed?: string }>;
}

/** A cached model as the cache manager lists it. */
export interface CachedModel {
  /** The cache's key for the model, which deleteCachedModel takes. */
  key: string;
  endpoint: string;
  repo: string;
  /** The commit its files came from (or the revision name, where the server has no revision API). */
  revision: string;
  files: number;
  bytes: number;
  /** ISO date of the last load that used it; null for a model cached before dates were kept. */
  lastUsed: string | null;
}

/** Where the index is kept: no file's key, as those start with the endpoint. */
const INDEX_KEY = '@models';

/**
 * Marks `model` used (and `file` of `bytes` stored in it), then drops the least recently used other models until
 * all fit in `maxBytes`. The model in use is never dropped, even when it alone is larger.
 */
async function recordUse(store: ByteStore, model: string, maxBytes: number, file?: { key: string; bytes: number }): Promise<void> {
  const { clock, models } = parseIndex(await store.get(INDEX_KEY)) ?? emptyIndex();
  const entry = (models[model] ??= { files: {}, usedAt: 0 });
  entry.usedAt = clock + 1;
  entry.lastUsed = new Date().toISOString();
  if (file) entry.files[file.key] = file.bytes;
  const size = (name: string): number => Object.values(models[name].files).reduce((sum, bytes) => sum + bytes, 0);
  let total = Object.keys(models).reduce((sum, name) => sum + size(name), 0);
  const byAge = Object.keys(models).sort((a, b) => models[a].usedAt - models[b].usedAt);
  for (const name of byAge) {
    if (total <= maxBytes) break;
    if (name === model) continue;
    total -= size(name);
    // Files first: an index that outlives them only costs a download, while files it forgot could never be evicted.
    for (const key of Object.keys(models[name].files)) await store.delete(key);
    delete models[name];
  }
  await writeIndex(store, { clock: clock + 1, models });
}

/** The cached models, most recently used first. */
export async function listCachedModels(store: ByteStore = hubCacheStore()): Promise<CachedModel[]> {
  const { models } = parseIndex(await store.get(INDEX_KEY)) ?? emptyIndex();
  return Object.entries(models)
    .sort(([, a], [, b]) => b.usedAt - a.usedAt)
    .map(([key, entry]) => {
      // Keys are endpoint|repo|revision; the endpoint may itself hold no "|", repo ids and revisions neither.
      const [endpoint, repo, revision] = key.split('|');
      const sizes = Object.values(entry.files);
      return { key, endpoint, repo, revision, files: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0), lastUsed: entry.lastUsed ?? null };
    });
}

/** Deletes one cached model's files (`key` from listCachedModels), or every cached file when `key` is null. */
export async function deleteCachedModel(key: string | null, store: ByteStore = hubCacheStore()): Promise<void> {
  if (key === null) {
    await store.clear();
    await writeIndex(store, emptyIndex());
    return;
  }
  const index = parseIndex(await store.get(INDEX_KEY)) ?? emptyIndex();
  const entry = index.models[key];
  if (!entry) return;
  // Files first, as eviction does: an index entry that outlives its files only costs a download. (The branch →
  // commit pointers, a few bytes each, stay: they only let an offline load find a commit.)
  for (const file of Object.keys(entry.files)) await store.delete(file);
  delete index.models[key];
  await writeIndex(store, index);
}

/**
 * A store without a readable index (written before there was one, or damaged) holds files no index counts, which
 * could never be evicted: it is emptied once, before anything is read from it.
 */
async function prepareStore(store: ByteStore): Promise<void> {
  if (parseIndex(await store.get(INDEX_KEY))) return;
  await store.clear();
  await writeIndex(store, emptyIndex());
}

const emptyIndex = (): CacheIndex => ({ clock: 0, models: {} });

async function writeIndex(store: ByteStore, index: CacheIndex): Promise<void> {
  await store.set(INDEX_KEY, new TextEncoder().encode(JSON.stringify(index)));
}

function parseIndex(bytes: Uint8Array | undefined): CacheIndex | undefined {
  try {
    const index = bytes && (JSON.parse(new TextDecoder().decode(bytes)) as CacheIndex);
    return index && Number.isSafeInteger(index.clock) && typeof index.models === 'object' ? index : undefined;
  } catch {
    return undefined;
  }
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
export function cachedSource(source: HubSource, store: ByteStore = hubCacheStore(), options: CacheOptions = {}): HubSource {
  const maxBytes = options.maxBytes ?? DEFAULT_CACHE_BYTES;
  let revision: Promise<string> | undefined;
  const resolved = (): Promise<string> =>
    (revision ??= prepareStore(store)
      .catch(() => undefined)
      .then(() => cacheRevision(source, store)));
  const key = async (file: string): Promise<string> => hubCacheKey({ ...source, revision: await resolved() }, file);
  const used = async (file?: { key: string; bytes: number }): Promise<void> =>
    recordUse(store, modelCacheKey({ ...source, revision: await resolved() }), maxBytes, file).catch(() => undefined);
  const lookup = async (file: string): Promise<Uint8Array | undefined> =>
    store.get(await key(file)).catch(() => undefined);
  const has = source.has;
  return {
    ...source,
    has: has && (async (file) => (await lookup(file)) !== undefined || has(file)),
    fetchFile: async (file, onProgress, signal) => {
      const cached = await lookup(file);
      if (cached) {
        await used();
        onProgress?.({ stage: 'download', item: file, loaded: cached.length, total: cached.length });
        return cached;
      }
      // Download from the resolved commit, so a push after the resolve cannot mix two versions of the model.
      const commit = await resolved();
      const from = commit === source.revision ? source : source.atRevision(commit);
      const bytes = await from.fetchFile(file, onProgress, signal);
      const fileKey = await key(file);
      await store.set(fileKey, bytes).then(
        () => used({ key: fileKey, bytes: bytes.length }),
        (error: unknown) => console.warn(`Could not cache ${file} of ${source.id}:`, error),
      );
      return bytes;
    },
  };
}
