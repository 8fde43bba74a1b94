import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
    hub = await startHubServer(
      { 'org/tiny': join(dir, 'model'), solo: join(dir, 'model') },
      { fail: ({ file }) => (file === 'broken.bin' ? 503 : undefined) },
    );
  });

  afterAll(async () => {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves files in the Hub layout with Content-Length, type and CORS headers', async () => {
    const response = await fetch(`${hub.endpoint}/org/tiny/resolve/main/config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('18');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
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
