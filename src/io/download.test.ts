import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../progress';
import { download, readStream, type FetchLike } from './download';
import { ModelSourceError } from './modelSourceError';

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

const fetchResponse =
  (body: BodyInit | null, init: ResponseInit = {}): FetchLike =>
  async () =>
    new Response(body, init);

describe('readStream', () => {
  it('grows past its first buffer when the size is unknown, reporting total undefined', async () => {
    const chunks = [new Uint8Array(50_000).fill(1), new Uint8Array(50_000).fill(2), Uint8Array.from([3])];
    const events: Progress[] = [];
    const bytes = await readStream(streamOf(chunks), undefined, 'w.bin', () => new Error('read'), (p) => events.push(p));
    expect(bytes.length).toBe(100_001);
    expect([bytes[0], bytes[50_000], bytes[100_000]]).toEqual([1, 2, 3]);
    expect(events.map((e) => e.loaded)).toEqual([0, 50_000, 100_000, 100_001]);
    expect(events.every((e) => e.total === undefined && e.item === 'w.bin' && e.stage === 'download')).toBe(true);
  });

  it('returns an empty array for a missing body', async () => {
    expect(await readStream(null, 0, 'x', () => new Error('read'))).toEqual(new Uint8Array(0));
  });

  it('turns a failing read into the given error but lets a progress callback error through', async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('socket closed'));
      },
    });
    await expect(readStream(failing, 10, 'x', () => new Error('cut off'))).rejects.toThrow('cut off');
    const callbackError = new Error('from the UI');
    await expect(
      readStream(streamOf([Uint8Array.from([1])]), 1, 'x', () => new Error('cut off'), () => {
        throw callbackError;
      }),
    ).rejects.toBe(callbackError);
  });
});

describe('readStream: sizes are checked, never trusted', () => {
  it('refuses a body shorter than its stated length, so it is never cached as the file', async () => {
    const error = await readStream(streamOf([new Uint8Array(10)]), 20, 'model.safetensors', () => new Error('read')).catch((e) => e);
    expect(error).toBeInstanceOf(ModelSourceError);
    expect(error.kind).toBe('bad-size');
    expect(error.message).toMatch(/ended after 10 of its 20 bytes/);
  });

  it('refuses a body longer than its stated length', async () => {
    await expect(readStream(streamOf([new Uint8Array(30)]), 20, 'x', () => new Error('read'))).rejects.toThrow(/more than its stated 20 bytes/);
  });

  it('refuses a stated length of 1e12 before allocating anything', async () => {
    await expect(readStream(streamOf([]), 1e12, 'x', () => new Error('read'))).rejects.toThrow(/states a size of 1000000000000 bytes/);
  });
});

describe('download', () => {
  it('reports no total for compressed bodies, whose Content-Length is not the decoded size', async () => {
    const events: Progress[] = [];
    const fetchImpl = fetchResponse('abc', { headers: { 'content-length': '3', 'content-encoding': 'br' } });
    await download('http://h/x', 'x', fetchImpl, (p) => events.push(p));
    expect(events.every((e) => e.total === undefined)).toBe(true);
  });

  it('maps statuses to typed errors', async () => {
    const cases: [ResponseInit, string, RegExp][] = [
      [{ status: 404 }, 'not-found', /config\.json was not found at http:\/\/h\/config\.json/],
      [{ status: 401, headers: { 'x-error-code': 'RepoNotFound' } }, 'not-found', /repository of config\.json/],
      [{ status: 403 }, 'http', /Access to config\.json was refused \(HTTP 403\)/],
      [{ status: 500 }, 'http', /HTTP 500/],
      [{ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } }, 'not-found', /HTML page/],
    ];
    for (const [init, kind, message] of cases) {
      const error = await download('http://h/config.json', 'config.json', fetchResponse('x', init)).catch((e) => e);
      expect(error).toBeInstanceOf(ModelSourceError);
      expect([init.status, error.kind]).toEqual([init.status, kind]);
      expect(error.message).toMatch(message);
    }
  });

  it('reports a rejected fetch as offline', async () => {
    const fetchImpl: FetchLike = () => Promise.reject(new TypeError('fetch failed'));
    await expect(download('http://example.org/m/vocab.txt', 'vocab.txt', fetchImpl)).rejects.toMatchObject({
      kind: 'offline',
      message: 'Could not reach example.org to get vocab.txt — are you offline?',
    });
  });
});

describe('download: the sha256 the Hub states for an LFS file (X-Linked-Etag)', () => {
  const body = new TextEncoder().encode('safetensors bytes');
  const sha = createHash('sha256').update(body).digest('hex');

  it('accepts a body that matches it, quoted, weak or bare', async () => {
    for (const etag of [`"${sha}"`, `W/"${sha}"`, sha, `"${sha.toUpperCase()}"`]) {
      const fetchImpl = fetchResponse(body, { headers: { 'x-linked-etag': etag, 'content-length': String(body.length) } });
      expect(await download('http://h/model.safetensors', 'model.safetensors', fetchImpl)).toEqual(body);
    }
  });

  it('refuses a body that does not, naming the file', async () => {
    const fetchImpl = fetchResponse(body, { headers: { 'x-linked-etag': `"${'0'.repeat(64)}"` } });
    const error = await download('http://h/model.safetensors', 'model.safetensors', fetchImpl).catch((e) => e);
    expect(error).toBeInstanceOf(ModelSourceError);
    expect(error).toMatchObject({ kind: 'bad-hash', file: 'model.safetensors' });
    expect(error.message).toMatch(/model\.safetensors from h is not the file the server states: its SHA-256 is [0-9a-f]{12}…, not 000000000000…/);
  });

  it('ignores an etag that is not a sha256 (a git blob id, or none)', async () => {
    const fetchImpl = fetchResponse(body, { headers: { 'x-linked-etag': `"${'a'.repeat(40)}"` } });
    expect(await download('http://h/config.json', 'config.json', fetchImpl)).toEqual(body);
  });
});
