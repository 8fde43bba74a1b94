import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubServer, type HubServer } from './hubServer';

describe('startHubServer', () => {
  let dir: string;
  let hub: HubServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-server-'));
    await mkdir(join(dir, 'model', 'sub'), { recursive: true });
    await writeFile(join(dir, 'model', 'config.json'), '{"hidden_size": 8}');
    await writeFile(join(dir, 'model', 'sub', 'a b.txt'), 'nested');
    await writeFile(join(dir, 'secret.txt'), 'outside the repo');
    await symlink(join(dir, 'secret.txt'), join(dir, 'model', 'escape.txt'));
    await symlink('config.json', join(dir, 'model', 'alias.json'));
    // A Hugging Face cache: snapshot files are symlinks into the repository's blobs/ folder.
    await mkdir(join(dir, 'models--org--cached', 'snapshots', 'abc'), { recursive: true });
    await mkdir(join(dir, 'models--org--cached', 'blobs'));
    await writeFile(join(dir, 'models--org--cached', 'blobs', 'f00d'), '{"cached": true}');
    await symlink('../../blobs/f00d', join(dir, 'models--org--cached', 'snapshots', 'abc', 'config.json'));
    hub = await startHubServer(
      { 'org/tiny': join(dir, 'model'), solo: join(dir, 'model'), 'org/cached': join(dir, 'models--org--cached', 'snapshots', 'abc') },
      { fail: ({ file }) => (file === 'broken.bin' ? 503 : undefined) },
    );
  });

  afterAll(async () => {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves files in the Hub layout with Content-Length, type and CORS headers', async () => {
    const response = await fetch(`${hub.endpoint}/org/tiny/resolve/main/config.json`, { headers: { Origin: 'http://127.0.0.1:5199' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('18');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5199');
    expect(await response.text()).toBe('{"hidden_size": 8}');
    expect(hub.requests.at(-1)).toEqual({ method: 'GET', repo: 'org/tiny', revision: 'main', file: 'config.json' });
  });

  it('serves single-name repos, nested and percent-encoded paths, and HEAD', async () => {
    const nested = await fetch(`${hub.endpoint}/solo/resolve/v1/sub/a%20b.txt`);
    expect(await nested.text()).toBe('nested');
    const head = await fetch(`${hub.endpoint}/solo/resolve/main/config.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('18');
    expect(hub.requests.at(-1)).toMatchObject({ method: 'HEAD', repo: 'solo' });
  });

  it('answers a missing file 404 EntryNotFound and an unknown repo 401 RepoNotFound, as the Hub does', async () => {
    const missing = await fetch(`${hub.endpoint}/org/tiny/resolve/main/nope.json`);
    expect([missing.status, missing.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound']);
    const unknown = await fetch(`${hub.endpoint}/org/other/resolve/main/config.json`);
    expect([unknown.status, unknown.headers.get('x-error-code')]).toEqual([401, 'RepoNotFound']);
  });

  it('never serves files outside the repo folder', async () => {
    const escaped = await fetch(`${hub.endpoint}/org/tiny/resolve/main/..%2Fsecret.txt`);
    expect(escaped.status).toBe(404);
    const directory = await fetch(`${hub.endpoint}/org/tiny/resolve/main/sub`);
    expect(directory.status).toBe(404);
  });

  it('refuses any path with "..", even one that stays inside', async () => {
    const response = await fetch(`${hub.endpoint}/org/tiny/resolve/main/sub%2F..%2Fconfig.json`);
    expect([response.status, response.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound']);
  });

  it('does not follow a symlink out of the repo folder, but follows one inside it', async () => {
    const escape = await fetch(`${hub.endpoint}/org/tiny/resolve/main/escape.txt`);
    expect(escape.status).toBe(404);
    expect(await escape.text()).not.toContain('outside the repo');
    const alias = await fetch(`${hub.endpoint}/org/tiny/resolve/main/alias.json`);
    expect(await alias.text()).toBe('{"hidden_size": 8}');
  });

  it("follows a Hugging Face cache snapshot's symlinks into its repository's blobs", async () => {
    const response = await fetch(`${hub.endpoint}/org/cached/resolve/main/config.json`);
    expect(await response.text()).toBe('{"cached": true}');
  });

  it('never allows every origin: only loopback pages, or the one origin it was started for', async () => {
    const foreign = await fetch(`${hub.endpoint}/org/tiny/resolve/main/config.json`, { headers: { Origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const noOrigin = await fetch(`${hub.endpoint}/org/tiny/resolve/main/config.json`);
    expect(noOrigin.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${hub.endpoint}/org/tiny/resolve/main/config.json`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    const pinned = await startHubServer({ 'org/tiny': join(dir, 'model') }, { allowOrigin: 'http://127.0.0.1:4000' });
    try {
      const get = (origin: string) => fetch(`${pinned.endpoint}/org/tiny/resolve/main/config.json`, { headers: { Origin: origin } });
      expect((await get('http://127.0.0.1:4000')).headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4000');
      expect((await get('http://127.0.0.1:4001')).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await pinned.close();
    }
  });

  it('injects failures', async () => {
    const response = await fetch(`${hub.endpoint}/org/tiny/resolve/main/broken.bin`);
    expect(response.status).toBe(503);
  });

  it('drops or truncates connections on request', async () => {
    const flaky = await startHubServer(
      { 'org/tiny': join(dir, 'model') },
      { fail: ({ revision }) => (revision === 'reset' ? 'reset' : 'truncate') },
    );
    try {
      await expect(fetch(`${flaky.endpoint}/org/tiny/resolve/reset/config.json`)).rejects.toThrow();
      const truncated = await fetch(`${flaky.endpoint}/org/tiny/resolve/main/config.json`);
      expect(truncated.headers.get('content-length')).toBe('18');
      await expect(truncated.arrayBuffer()).rejects.toThrow();
    } finally {
      await flaky.close();
    }
  });
});
