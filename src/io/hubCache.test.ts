import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHubServer, type HubServer } from '../../tools/testing/hubServer';
import type { Progress } from '../progress';
import { cachedSource, deleteCachedModel, hubCacheKey, idbByteStore, listCachedModels, type ByteStore } from './hubCache';
import { hubSource, type FetchLike } from './modelSource';

function memoryStore(): ByteStore & { entries: Map<string, Uint8Array> } {
  const entries = new Map<string, Uint8Array>();
  return {
    entries,
    get: async (key) => entries.get(key),
    set: async (key, value) => void entries.set(key, value),
    delete: async (key) => void entries.delete(key),
    clear: async () => entries.clear(),
  };
}

/** The cached files' keys, without the cache's own records. */
const fileKeys = (store: { entries: Map<string, Uint8Array> }): string[] => [...store.entries.keys()].filter((key) => !key.startsWith('@')).sort();

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

describe('cachedSource', () => {
  let dir: string;
  let hub: HubServer;
  /** Where each `repo@revision` points; a missing entry answers 404 like a server without the revision API. */
  const commits = new Map<string, string>([['org/tiny@main', SHA_A], ['org/tiny@v2', SHA_B]]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-cache-'));
    await writeFile(join(dir, 'config.json'), '{"a": 1}');
    hub = await startHubServer({ 'org/tiny': dir }, { commit: (repo, revision) => commits.get(`${repo}@${revision}`) });
  });

  afterAll(async () => {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  });

  const downloads = (): number => hub.requests.filter((r) => r.method === 'GET').length;

  it('serves a second fetch from the store without a request, reporting it done', async () => {
    const store = memoryStore();
    const source = cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint }), store);
    const before = downloads();
    const first = await source.fetchFile('config.json');
    expect(downloads()).toBe(before + 1);
    expect(fileKeys(store)).toEqual([`${hub.endpoint}|org/tiny|${SHA_A}|config.json`, `${hub.endpoint}|org/tiny|main|@commit`]);

    const events: Progress[] = [];
    const second = await source.fetchFile('config.json', (p) => events.push(p));
    expect(downloads()).toBe(before + 1);
    expect(second).toEqual(first);
    expect(events).toEqual([{ stage: 'download', item: 'config.json', loaded: 8, total: 8 }]);
    expect(source).toMatchObject({ id: 'org/tiny', kind: 'hub', repo: 'org/tiny' });
  });

  it('downloads again when the branch moves to a new commit, and not while it stays', async () => {
    const store = memoryStore();
    const load = () => cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint }), store).fetchFile('config.json');
    await load();
    const before = downloads();
    await load();
    expect(downloads()).toBe(before);
    commits.set('org/tiny@main', SHA_B);
    try {
      await load();
      expect(downloads()).toBe(before + 1);
      expect(hub.requests.at(-1)).toMatchObject({ method: 'GET', revision: SHA_B, file: 'config.json' });
      expect(store.entries.has(`${hub.endpoint}|org/tiny|${SHA_B}|config.json`)).toBe(true);
    } finally {
      commits.set('org/tiny@main', SHA_A);
    }
  });

  it('offline, serves the commit the branch pointed at last time', async () => {
    const store = memoryStore();
    const first = await cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint }), store).fetchFile('config.json');
    const offline: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    const source = cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint, fetch: offline }), store);
    expect(await source.fetchFile('config.json')).toEqual(first);
  });

  it('asks nothing about a commit revision, and keys by the name where the server has no revision API', async () => {
    const store = memoryStore();
    const asked = hub.revisionRequests.length;
    await cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint, revision: SHA_A }), store).fetchFile('config.json');
    expect(hub.revisionRequests.length).toBe(asked);
    await cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint, revision: 'no-api' }), store).fetchFile('config.json');
    expect(hub.revisionRequests.length).toBe(asked + 1);
    expect(fileKeys(store)).toEqual([`${hub.endpoint}|org/tiny|${SHA_A}|config.json`, `${hub.endpoint}|org/tiny|no-api|config.json`]);
  });

  it('keys files by endpoint, repo and revision', async () => {
    const store = memoryStore();
    await cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint }), store).fetchFile('config.json');
    const before = downloads();
    await cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint, revision: 'v2' }), store).fetchFile('config.json');
    expect(downloads()).toBe(before + 1);
    expect(hubCacheKey({ endpoint: 'e', repo: 'r', revision: 'v' }, 'f')).toBe('e|r|v|f');
  });

  it('answers has() from the store before asking the server', async () => {
    const store = memoryStore();
    const source = cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint }), store);
    await source.fetchFile('config.json');
    await store.set(hubCacheKey({ ...source, revision: SHA_A }, 'only-cached.txt'), Uint8Array.from([1]));
    const before = hub.requests.length;
    expect(await source.has!('only-cached.txt')).toBe(true);
    expect(hub.requests.length).toBe(before);
    expect(await source.has!('missing.txt')).toBe(false);
  });

  it('still downloads when the store fails to read or write', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const broken: ByteStore = {
      get: () => Promise.reject(new Error('IndexedDB unavailable')),
      set: () => Promise.reject(new Error('QuotaExceededError')),
      delete: async () => undefined,
      clear: async () => undefined,
    };
    const bytes = await cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint }), broken).fetchFile('config.json');
    expect(new TextDecoder().decode(bytes)).toBe('{"a": 1}');
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('does not cache failed downloads', async () => {
    const store = memoryStore();
    const source = cachedSource(hubSource('org/tiny', { endpoint: hub.endpoint }), store);
    await expect(source.fetchFile('missing.json')).rejects.toMatchObject({ kind: 'not-found' });
    expect(fileKeys(store)).toEqual([`${hub.endpoint}|org/tiny|main|@commit`]);
  });

  it('refuses, and does not cache, a file whose sha256 differs from the X-Linked-Etag the server states', async () => {
    const commit = () => SHA_A;
    const lying = await startHubServer({ 'org/tiny': dir }, { commit, linkedEtag: () => `"${'0'.repeat(64)}"` });
    const honest = await startHubServer({ 'org/tiny': dir }, { commit, linkedEtag: (_, sha256) => `W/"${sha256}"` });
    try {
      const store = memoryStore();
      const bad = cachedSource(hubSource('org/tiny', { endpoint: lying.endpoint }), store);
      await expect(bad.fetchFile('config.json')).rejects.toMatchObject({ kind: 'bad-hash', file: 'config.json' });
      expect(fileKeys(store).filter((key) => key.endsWith('config.json'))).toEqual([]);
      const good = cachedSource(hubSource('org/tiny', { endpoint: honest.endpoint }), store);
      expect(new TextDecoder().decode(await good.fetchFile('config.json'))).toBe('{"a": 1}');
      expect(fileKeys(store)).toContain(`${honest.endpoint}|org/tiny|${SHA_A}|config.json`);
    } finally {
      await lying.close();
      await honest.close();
    }
  });
});

describe('cachedSource eviction', () => {
  let dir: string;
  let hub: HubServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-cache-evict-'));
    for (const name of ['a', 'b', 'c']) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'config.json'), name.repeat(60));
      await writeFile(join(dir, name, 'vocab.txt'), name.repeat(40));
    }
    hub = await startHubServer({ 'org/a': join(dir, 'a'), 'org/b': join(dir, 'b'), 'org/c': join(dir, 'c') });
  });

  afterAll(async () => {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  });

  const load = async (store: ByteStore, repo: string): Promise<void> => {
    const source = cachedSource(hubSource(repo, { endpoint: hub.endpoint }), store, { maxBytes: 250 });
    await source.fetchFile('config.json');
    await source.fetchFile('vocab.txt');
  };
  const cachedRepos = (store: { entries: Map<string, Uint8Array> }): string[] =>
    [...new Set(fileKeys(store).filter((key) => !key.endsWith('@commit')).map((key) => key.split('|')[1]))].sort();

  it('keeps the most recently used models within the limit, dropping the least recently used whole', async () => {
    const store = memoryStore();
    await load(store, 'org/a');
    await load(store, 'org/b');
    expect(cachedRepos(store)).toEqual(['org/a', 'org/b']);
    await load(store, 'org/a'); // from the cache: now the most recently used
    const before = hub.requests.length;
    await load(store, 'org/c'); // 300 bytes in all: over the limit
    expect(hub.requests.length).toBe(before + 2);
    expect(cachedRepos(store)).toEqual(['org/a', 'org/c']);
  });

  it('empties, once, a store written before it kept an index, whose files it could never evict', async () => {
    const store = memoryStore();
    const old = `${hub.endpoint}|org/old|${SHA_A}|model.safetensors`;
    await store.set(old, new Uint8Array(100));
    await load(store, 'org/a');
    expect(store.entries.has(old)).toBe(false);
    await load(store, 'org/b');
    expect(cachedRepos(store)).toEqual(['org/a', 'org/b']);
  });

  it('never evicts the model being loaded, even one over the limit by itself', async () => {
    const store = memoryStore();
    await load(store, 'org/a');
    const source = cachedSource(hubSource('org/b', { endpoint: hub.endpoint }), store, { maxBytes: 50 });
    await source.fetchFile('config.json');
    await source.fetchFile('vocab.txt');
    expect(cachedRepos(store)).toEqual(['org/b']);
    expect(fileKeys(store).filter((key) => key.includes('|org/b|'))).toHaveLength(3);
  });
});

describe('the cache manager', () => {
  let dir: string;
  let hub: HubServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-cache-list-'));
    for (const name of ['a', 'b']) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'config.json'), name.repeat(60));
      await writeFile(join(dir, name, 'vocab.txt'), name.repeat(40));
    }
    hub = await startHubServer({ 'org/a': join(dir, 'a'), 'org/b': join(dir, 'b') });
  });

  afterAll(async () => {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  });

  const load = async (store: ByteStore, repo: string): Promise<void> => {
    const source = cachedSource(hubSource(repo, { endpoint: hub.endpoint }), store);
    await source.fetchFile('config.json');
    await source.fetchFile('vocab.txt');
  };

  it('lists each cached model with its commit, size and last use, most recent first', async () => {
    const store = memoryStore();
    await load(store, 'org/a');
    await load(store, 'org/b');
    const listed = await listCachedModels(store);
    expect(listed.map((m) => [m.repo, m.files, m.bytes])).toEqual([['org/b', 2, 100], ['org/a', 2, 100]]);
    expect(listed[0]).toMatchObject({ endpoint: hub.endpoint, revision: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(Date.parse(listed[0].lastUsed!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('deletes one model, its files with it, or everything; a deleted model downloads again', async () => {
    const store = memoryStore();
    await load(store, 'org/a');
    await load(store, 'org/b');
    const [b] = await listCachedModels(store);
    await deleteCachedModel(b.key, store);
    expect((await listCachedModels(store)).map((m) => m.repo)).toEqual(['org/a']);
    expect(fileKeys(store).some((key) => key.startsWith(`${b.key}|`) && !key.endsWith('@commit'))).toBe(false);
    const before = hub.requests.length;
    await load(store, 'org/b');
    expect(hub.requests.length).toBe(before + 2);
    await deleteCachedModel(null, store);
    expect(await listCachedModels(store)).toEqual([]);
    expect(fileKeys(store)).toEqual([]);
  });
});

describe('idbByteStore', () => {
  it('opens IndexedDB only on first use, so creating one is safe where there is none', () => {
    expect(() => idbByteStore()).not.toThrow();
  });

  it('rejects, never throws, where there is no IndexedDB, so the cache falls back to downloading', async () => {
    const store = idbByteStore();
    await expect(store.get('k')).rejects.toThrow(/indexedDB/);
    await expect(store.set('k', Uint8Array.from([1]))).rejects.toThrow(/indexedDB/);
  });
});
