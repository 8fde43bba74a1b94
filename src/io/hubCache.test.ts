import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHubServer, type HubServer } from '../../tools/testing/hubServer';
import type { Progress } from '../progress';
import { cachedSource, hubCacheKey, idbByteStore, type ByteStore } from './hubCache';
import { hubSource } from './modelSource';

function memoryStore(): ByteStore & { entries: Map<string, Uint8Array> } {
  const entries = new Map<string, Uint8Array>();
  return {
    entries,
    get: async (key) => entries.get(key),
    set: async (key, value) => void entries.set(key, value),
    clear: async () => entries.clear(),
  };
}

describe('cachedSource', () => {
  let dir: string;
  let hub: HubServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-cache-'));
    await writeFile(join(dir, 'config.json'), '{"a": 1}');
    hub = await startHubServer({ 'org/tiny': dir });
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
    expect([...store.entries.keys()]).toEqual([`${hub.endpoint}|org/tiny|main|config.json`]);

    const events: Progress[] = [];
    const second = await source.fetchFile('config.json', (p) => events.push(p));
    expect(downloads()).toBe(before + 1);
    expect(second).toEqual(first);
    expect(events).toEqual([{ stage: 'download', item: 'config.json', loaded: 8, total: 8 }]);
    expect(source).toMatchObject({ id: 'org/tiny', kind: 'hub', repo: 'org/tiny' });
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
    await store.set(hubCacheKey(source, 'only-cached.txt'), Uint8Array.from([1]));
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
    expect(store.entries.size).toBe(0);
  });
});

describe('idbByteStore', () => {
  it('opens IndexedDB only on first use, so creating one is safe where there is none', () => {
    expect(() => idbByteStore()).not.toThrow();
  });
});
