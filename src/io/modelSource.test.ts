import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubServer, type HubServer } from '../../tools/testing/hubServer';
import type { Progress } from '../progress';
import {
  bundledSource,
  hubSource,
  loadModelFiles,
  localSource,
  ModelSourceError,
  validateRepoId,
  type FetchLike,
  type ModelSource,
} from './modelSource';

const WEIGHTS = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);

async function expectError(promise: Promise<unknown>, kind: string, message?: RegExp): Promise<ModelSourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelSourceError);
  expect((error as ModelSourceError).kind).toBe(kind);
  if (message) expect((error as Error).message).toMatch(message);
  return error as ModelSourceError;
}

function blobs(files: Record<string, string | Uint8Array<ArrayBuffer>>): Map<string, Blob> {
  return new Map(Object.entries(files).map(([name, content]) => [name, new Blob([content])]));
}

describe('hubSource against the local Hub server', () => {
  let dir: string;
  let hub: HubServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-source-'));
    await mkdir(join(dir, 'tiny'));
    await writeFile(join(dir, 'tiny', 'config.json'), '{"model_type": "bert"}');
    await writeFile(join(dir, 'tiny', 'vocab.txt'), '[PAD]\n[UNK]\n');
    await writeFile(join(dir, 'tiny', 'model.safetensors'), WEIGHTS);
    hub = await startHubServer(
      { 'org/tiny': join(dir, 'tiny') },
      {
        chunkBytes: 256,
        fail: ({ file }) => (file === 'busy.bin' ? 503 : file === 'gated.bin' ? 403 : file === 'cut.bin' ? 'truncate' : undefined),
      },
    );
  });

  afterAll(async () => {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads a file, streaming progress with the right totals', async () => {
    const events: Progress[] = [];
    const source = hubSource('org/tiny', { endpoint: hub.endpoint });
    const bytes = await source.fetchFile('model.safetensors', (p) => events.push(p));
    expect(bytes).toEqual(WEIGHTS);
    expect(events.length).toBeGreaterThan(2);
    expect(events.every((e) => e.stage === 'download' && e.item === 'model.safetensors' && e.total === 1000)).toBe(true);
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(loaded[0]).toBe(0);
    expect(loaded.at(-1)).toBe(1000);
    expect(source).toMatchObject({ id: 'org/tiny', kind: 'hub', repo: 'org/tiny', revision: 'main' });
  });

  it('asks for the revision, encoded, and names non-main revisions in the id', async () => {
    const source = hubSource('org/tiny', { endpoint: `${hub.endpoint}/`, revision: 'refs/pr/1' });
    expect(new TextDecoder().decode(await source.fetchFile('config.json'))).toBe('{"model_type": "bert"}');
    expect(hub.requests.at(-1)).toMatchObject({ revision: 'refs/pr/1', file: 'config.json' });
    expect(source).toMatchObject({ id: 'org/tiny@refs/pr/1', endpoint: hub.endpoint });
  });

  it('answers has() with HEAD requests', async () => {
    const source = hubSource('org/tiny', { endpoint: hub.endpoint });
    expect(await source.has!('vocab.txt')).toBe(true);
    expect(await source.has!('tokenizer.json')).toBe(false);
    expect(hub.requests.at(-1)).toMatchObject({ method: 'HEAD', file: 'tokenizer.json' });
  });

  it('reports a missing file as not-found, naming the file and URL', async () => {
    const error = await expectError(
      hubSource('org/tiny', { endpoint: hub.endpoint }).fetchFile('tokenizer.json'),
      'not-found',
      /tokenizer\.json was not found at http:\/\/127\.0\.0\.1:\d+\/org\/tiny\/resolve\/main\/tokenizer\.json/,
    );
    expect(error).toMatchObject({ file: 'tokenizer.json', status: 404 });
  });

  it('reports an unknown repository as not-found', async () => {
    await expectError(hubSource('org/nothing', { endpoint: hub.endpoint }).fetchFile('config.json'), 'not-found', /repository/);
  });

  it('reports other statuses as http errors', async () => {
    const source = hubSource('org/tiny', { endpoint: hub.endpoint });
    await expectError(source.fetchFile('busy.bin'), 'http', /HTTP 503/);
    await expectError(source.fetchFile('gated.bin'), 'unauthorized', /org\/tiny is private or gated: .*access token/);
  });

  it('sends an access token to the endpoint only, as a header, and explains a refused one', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const recording: FetchLike = async (url, init) => {
      seen.push({ url, auth: new Headers(init?.headers).get('authorization') });
      if (url.includes('refused')) return new Response('', { status: 403 });
      return new Response(new Uint8Array([1, 2]), { headers: { 'content-length': '2' } });
    };
    const source = hubSource('org/private', { endpoint: 'https://hub.test/', fetch: recording, token: 'hf_secret' });
    expect(await source.fetchFile('config.json')).toEqual(new Uint8Array([1, 2]));
    await source.resolveCommit().catch(() => undefined);
    expect(seen.map((s) => s.auth)).toEqual(['Bearer hf_secret', 'Bearer hf_secret']);
    expect(seen.every((s) => !s.url.includes('hf_secret'))).toBe(true);
    const error = await hubSource('org/refused', { endpoint: 'https://hub.test', fetch: recording, token: 'hf_secret' }).fetchFile('config.json').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unauthorized', status: 403, file: 'config.json' });
    expect((error as Error).message).toMatch(/the access token was refused for org\/refused: check that it has read access/);
    expect((error as Error).message).not.toContain('hf_secret');
    expect(seen.at(-1)).toMatchObject({ auth: 'Bearer hf_secret' });
  });

  it('reports a cut-off download as offline', async () => {
    await writeFile(join(dir, 'tiny', 'cut.bin'), WEIGHTS);
    await expectError(hubSource('org/tiny', { endpoint: hub.endpoint }).fetchFile('cut.bin'), 'offline', /cut off/);
  });

  it('reports a refused connection as offline', async () => {
    const gone = await startHubServer({});
    await gone.close();
    const host = new URL(gone.endpoint).host;
    const error = await expectError(
      hubSource('org/tiny', { endpoint: gone.endpoint }).fetchFile('config.json'),
      'offline',
    );
    expect(error.message).toBe(`Could not reach ${host} to get config.json — are you offline?`);
  });

  it('rejects file names that climb out of the repository', async () => {
    await expectError(hubSource('org/tiny', { endpoint: hub.endpoint }).fetchFile('../other/config.json'), 'invalid-path');
  });

  it('resolves a revision to its commit through the revision API', async () => {
    const sha = await hubSource('org/tiny', { endpoint: hub.endpoint, revision: 'v 1' }).resolveCommit();
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(hub.revisionRequests.at(-1)).toEqual({ method: 'GET', repo: 'org/tiny', revision: 'v 1' });
  });

  it('refuses a revision answer without a commit id', async () => {
    const answer = (body: string): FetchLike => async () => new Response(body, { headers: { 'content-type': 'application/json' } });
    for (const body of ['{"sha": "main"}', '{}', 'not json', 'null']) {
      await expectError(hubSource('org/tiny', { endpoint: 'http://hub.test', fetch: answer(body) }).resolveCommit(), 'http');
    }
  });

  it('loads a whole model, reporting it as downloaded', async () => {
    const events: Progress[] = [];
    const files = await loadModelFiles(hubSource('org/tiny', { endpoint: hub.endpoint }), (p) => events.push(p));
    expect(files).toMatchObject({ sourceId: 'org/tiny', tokenizer: { kind: 'vocab.txt', vocab: '[PAD]\n[UNK]\n' } });
    expect(files.weights).toEqual({ file: WEIGHTS });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.stage === 'download')).toBe(true);
  });
});

describe('validateRepoId', () => {
  it('accepts Hub ids', () => {
    for (const id of ['bert-base-uncased', 'prajjwal1/bert-tiny', 'google/bert_uncased_L-2_H-128_A-2', 'a.b/c_d', 'x']) {
      expect(() => validateRepoId(id)).not.toThrow();
    }
  });

  it('rejects malformed ids with invalid-repo', () => {
    for (const id of ['', 'a/b/c', '../x', 'org/..', 'a..b', 'a--b', '-a', 'a-', '.a', 'a b', 'org/', '/name', 'ü', 'x'.repeat(97)]) {
      expect(() => validateRepoId(id), id).toThrow(expect.objectContaining({ kind: 'invalid-repo' }));
    }
    expect(() => hubSource('a/b/c')).toThrow(ModelSourceError);
    expect(() => hubSource('org/name', { revision: '../main' })).toThrow(expect.objectContaining({ kind: 'invalid-repo' }));
  });
});

describe('bundledSource', () => {
  const recording = (respond: (url: string) => Response): { fetch: FetchLike; urls: string[] } => {
    const urls: string[] = [];
    return {
      urls,
      fetch: async (url) => {
        urls.push(url);
        return respond(url);
      },
    };
  };

  it('fetches files from public/models/<name>/', async () => {
    const server = recording(() => new Response('{}', { headers: { 'content-type': 'application/json' } }));
    const source = bundledSource('bert-tiny', undefined, { fetch: server.fetch });
    expect(await source.fetchFile('config.json')).toEqual(new TextEncoder().encode('{}'));
    expect(server.urls).toEqual(['/models/bert-tiny/config.json']);
    expect(source).toMatchObject({ id: 'bert-tiny', kind: 'bundled' });
    await bundledSource('m', 'http://app.test/base', { fetch: server.fetch }).fetchFile('sub/a b.txt');
    expect(server.urls.at(-1)).toBe('http://app.test/base/m/sub/a%20b.txt');
  });

  it('treats a single-page-app fallback (index.html for a missing file) as not-found', async () => {
    const server = recording(() => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }));
    await expectError(bundledSource('bert-tiny', '/models/', server).fetchFile('vocab.txt'), 'not-found', /HTML/);
    expect(await bundledSource('bert-tiny', '/models/', server).has!('vocab.txt')).toBe(false);
  });

  it('rejects model names that are paths', () => {
    for (const name of ['../secrets', 'a/b', '']) {
      expect(() => bundledSource(name)).toThrow(expect.objectContaining({ kind: 'invalid-path' }));
    }
  });
});

describe('localSource', () => {
  it('strips the dropped folder name and reads files with progress', async () => {
    const source = localSource(blobs({ 'bert-tiny/config.json': '{}', 'bert-tiny/sub/x.txt': 'xyz' }));
    expect(source).toMatchObject({ id: 'bert-tiny', kind: 'local' });
    const events: Progress[] = [];
    expect(new TextDecoder().decode(await source.fetchFile('sub/x.txt', (p) => events.push(p)))).toBe('xyz');
    // The user's own files are read, not downloaded: every report says so, not only loadModelFiles' total.
    expect(events.length).toBeGreaterThan(1);
    expect(events.every((e) => e.stage === 'read')).toBe(true);
    expect(events.at(-1)).toEqual({ stage: 'read', item: 'sub/x.txt', loaded: 3, total: 3 });
    expect(await source.has!('config.json')).toBe(true);
    expect(await source.has!('bert-tiny/config.json')).toBe(false);
  });

  it('reports a missing file as not-found and refuses unsafe paths', async () => {
    const source = localSource(blobs({ 'config.json': '{}' }), 'my model');
    expect(source.id).toBe('my model');
    await expectError(source.fetchFile('vocab.txt'), 'not-found', /vocab\.txt is not among the files of my model/);
    expect(() => localSource(blobs({ '../config.json': '{}' }))).toThrow(expect.objectContaining({ kind: 'invalid-path' }));
  });
});

describe('loadModelFiles', () => {
  const complete = {
    'config.json': '{"hidden_size": 4}',
    'vocab.txt': '[PAD]\n',
    'tokenizer_config.json': '{"do_lower_case": true}',
    'special_tokens_map.json': '{}',
    'model.safetensors': WEIGHTS,
  };

  it('prefers vocab.txt, reads the optional files, and aggregates progress across files', async () => {
    const events: Progress[] = [];
    const files = await loadModelFiles(localSource(blobs({ ...complete, 'tokenizer.json': '{}' })), (p) => events.push(p));
    expect(files).toEqual({
      sourceId: 'local files',
      config: '{"hidden_size": 4}',
      tokenizer: { kind: 'vocab.txt', vocab: '[PAD]\n' },
      tokenizerConfig: '{"do_lower_case": true}',
      specialTokensMap: '{}',
      weights: { file: WEIGHTS },
    });
    const totalBytes = 18 + 6 + 23 + 2 + 1000;
    expect(events.at(-1)).toEqual({ stage: 'read', item: 'model.safetensors', loaded: totalBytes, total: totalBytes });
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect([...new Set(events.map((e) => e.item))]).toEqual([
      'config.json',
      'vocab.txt',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'model.safetensors',
    ]);
  });

  it('falls back to tokenizer.json and leaves absent optional files undefined', async () => {
    const files = await loadModelFiles(
      localSource(blobs({ 'config.json': '{}', 'tokenizer.json': '{"model": {}}', 'model.safetensors': WEIGHTS })),
    );
    expect(files.tokenizer).toEqual({ kind: 'tokenizer.json', json: '{"model": {}}' });
    expect(files.tokenizerConfig).toBeUndefined();
    expect(files.specialTokensMap).toBeUndefined();
  });

  it("falls back to RoBERTa's vocab.json with merges.txt", async () => {
    const files = await loadModelFiles(
      localSource(blobs({ 'config.json': '{}', 'vocab.json': '{"a": 0}', 'merges.txt': '#version: 0.2\n', 'model.safetensors': WEIGHTS })),
    );
    expect(files.tokenizer).toEqual({ kind: 'vocab.json', vocab: '{"a": 0}', merges: '#version: 0.2\n' });
  });

  it('explains that only safetensors weights are loaded', async () => {
    const { 'model.safetensors': _weights, ...rest } = complete;
    const source: ModelSource = localSource(blobs({ ...rest, 'pytorch_model.bin': 'pickle' }), 'old-bert');
    await expectError(loadModelFiles(source), 'no-safetensors', /old-bert has neither model\.safetensors nor model\.safetensors\.index\.json.*pytorch_model\.bin is a Python pickle.*Convert to safetensors/);
  });

  it('lets the caller refuse the config before the weights are downloaded', async () => {
    const source = localSource(blobs(complete));
    const fetched: string[] = [];
    const recording: ModelSource = { ...source, fetchFile: (file, ...rest) => (fetched.push(file), source.fetchFile(file, ...rest)) };
    const refuse = () => {
      throw new Error('config.json: "model_type" must be "bert"');
    };
    await expect(loadModelFiles(recording, undefined, undefined, refuse)).rejects.toThrow(/model_type/);
    expect(fetched).toContain('config.json');
    expect(fetched).not.toContain('model.safetensors');
  });

  it('fails clearly without config.json or a tokenizer', async () => {
    await expectError(loadModelFiles(localSource(blobs({ 'vocab.txt': 'x' }))), 'not-found', /config\.json/);
    await expectError(
      loadModelFiles(localSource(blobs({ 'config.json': '{}', 'model.safetensors': WEIGHTS }))),
      'not-found',
      /neither vocab\.txt, tokenizer\.json nor vocab\.json with merges\.txt/,
    );
  });
});
