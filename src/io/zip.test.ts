import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadModelFiles } from './modelSource';
import type { Progress } from '../progress';
import { localSourceFromZip, unzipFiles, ZipError, zipFiles, type ZipErrorCode } from './zip';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function expectZipError(run: () => unknown, code: ZipErrorCode, message?: RegExp, entry?: string): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ZipError);
    expect((error as ZipError).code).toBe(code);
    if (message) expect((error as Error).message).toMatch(message);
    if (entry) expect((error as ZipError).entry).toBe(entry);
    return;
  }
  throw new Error(`expected a ZipError with code ${code}`);
}

/** Offset of the first central directory entry's "uncompressed size" field. */
function centralSizeOffset(zip: Uint8Array): number {
  const view = new DataView(zip.buffer, zip.byteOffset);
  for (let i = 0; i < zip.length - 4; i++) if (view.getUint32(i, true) === 0x02014b50) return i + 24;
  throw new Error('no central directory');
}

/** The zip with its first entry's uncompressed size, as the central directory declares it, set to `size`. */
function declaring(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  new DataView(out.buffer).setUint32(centralSizeOffset(out), size, true);
  return out;
}

describe('zipFiles + unzipFiles', () => {
  it('round-trips text, binary and nested files', () => {
    const weights = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256);
    const files = { 'config.json': text('{"a": 1}'), 'model.safetensors': weights, 'sub/notes.txt': text('é'), 'empty.txt': new Uint8Array(0) };
    const unzipped = unzipFiles(zipFiles(files));
    expect(Object.fromEntries(unzipped)).toEqual(files);
  });

  it('stores weights uncompressed and deflates text', () => {
    const repetitive = text('[unused]\n'.repeat(1000));
    expect(zipFiles({ 'vocab.txt': repetitive }).length).toBeLessThan(500);
    expect(zipFiles({ 'model.safetensors': repetitive }).length).toBeGreaterThan(repetitive.length);
  });

  it('refuses to write unsafe names', () => {
    expectZipError(() => zipFiles({ '../x': text('x') }), 'unsafe-path', /"\.\.\/x"/);
  });

  it('skips directory entries and macOS metadata', () => {
    const zip = zipSync({ 'm/': new Uint8Array(0), 'm/config.json': text('{}'), '__MACOSX/m/._config.json': text('x'), 'm/.DS_Store': text('x') });
    expect([...unzipFiles(zip).keys()]).toEqual(['m/config.json']);
  });
});

describe('unzipFiles rejects', () => {
  it('entries that climb out of the archive or are absolute', () => {
    for (const name of ['../evil.sh', 'a/../../evil.sh', '/etc/passwd', 'C:\\Windows\\evil.dll', 'a\\..\\..\\evil']) {
      expectZipError(() => unzipFiles(zipSync({ 'ok.txt': text('ok'), [name]: text('evil') })), 'unsafe-path', /leaves the archive/);
    }
  });

  it('archives that unpack past the size limit', () => {
    const zip = zipFiles({ 'a.bin': new Uint8Array(600), 'b.bin': new Uint8Array(600) });
    expect(unzipFiles(zip, { maxTotalBytes: 1200 }).size).toBe(2);
    expectZipError(() => unzipFiles(zip, { maxTotalBytes: 1000 }), 'too-large', /at b\.bin/);
  });

  it('an entry that inflates to more than it declares (a zip bomb that lies about its size)', () => {
    const zip = declaring(zipSync({ 'bomb.txt': new Uint8Array(1 << 20) }), 10);
    expectZipError(() => unzipFiles(zip, { maxTotalBytes: 100 }), 'corrupt', /bomb\.txt inflates to more than the 10 bytes/, 'bomb.txt');
  });

  it('an entry that inflates to less than it declares, or stored with two sizes', () => {
    const short = declaring(zipSync({ 'short.txt': text('x'.repeat(1000)) }), 2000);
    expectZipError(() => unzipFiles(short), 'corrupt', /short\.txt inflates to 1000 bytes, not the 2000/, 'short.txt');
    const stored = declaring(zipFiles({ 'model.safetensors': new Uint8Array(1000) }), 10);
    expectZipError(() => unzipFiles(stored), 'corrupt', /model\.safetensors is stored with 1000 bytes but declares 10/, 'model.safetensors');
  });

  it('a small zip that declares a gigabyte, before inflating anything', () => {
    // A kilobyte of zeros deflates to a few bytes; the entry claims 1 GiB: under the total cap, far past any ratio.
    const zip = declaring(zipSync({ 'model.safetensors': new Uint8Array(1024) }), 2 ** 30);
    expectZipError(() => unzipFiles(zip), 'too-large', /model\.safetensors declares 1 GiB from \d+ compressed bytes/, 'model.safetensors');
  });

  it('an entry that honestly inflates far more than model files compress (17 MiB of zeros)', () => {
    const zip = zipSync({ 'model.safetensors': [new Uint8Array(17 * 2 ** 20), { level: 9 }], 'vocab.txt': text('[PAD]\n'.repeat(100_000)) });
    expect(zip.length).toBeLessThan(2 ** 20);
    expectZipError(() => unzipFiles(zip), 'too-large', /ratio of \d+:1/, 'model.safetensors');
    expect(unzipFiles(zip, { maxRatio: 2000 }).get('model.safetensors')?.length).toBe(17 * 2 ** 20);
  });

  it('encrypted entries and compression methods other than stored and deflate', () => {
    const encrypted = zipSync({ 'config.json': text('{}') });
    const at = centralSizeOffset(encrypted) - 24;
    new DataView(encrypted.buffer).setUint16(at + 8, 1, true);
    expectZipError(() => unzipFiles(encrypted), 'unsupported', /config\.json is encrypted/, 'config.json');
    const bzip2 = zipSync({ 'config.json': text('{}') });
    new DataView(bzip2.buffer).setUint16(centralSizeOffset(bzip2) - 24 + 10, 12, true);
    expectZipError(() => unzipFiles(bzip2), 'unsupported', /compression method 12/, 'config.json');
  });

  it('bytes that are not a zip', () => {
    expectZipError(() => unzipFiles(text('definitely not a zip file, just some text')), 'corrupt', /not a readable zip/);
    expectZipError(() => unzipFiles(new Uint8Array(0)), 'corrupt');
  });
});

describe('unzipFiles progress', () => {
  it('reports the bytes unpacked against the declared total', () => {
    const files = { 'config.json': text('{}'), 'model.safetensors': new Uint8Array(3000), 'vocab.txt': text('a\n'.repeat(5000)) };
    const events: Progress[] = [];
    unzipFiles(zipFiles(files), { onProgress: (progress) => events.push(progress) });
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((event) => event.stage === 'unzip' && event.total === 13_002)).toBe(true);
    expect(events.at(-1)).toMatchObject({ loaded: 13_002 });
  });
});

describe('localSourceFromZip', () => {
  it('loads a zipped model folder', async () => {
    const zip = zipFiles({
      'bert-tiny/config.json': text('{}'),
      'bert-tiny/vocab.txt': text('[PAD]\n'),
      'bert-tiny/model.safetensors': Uint8Array.from([1, 2, 3]),
    });
    const source = localSourceFromZip(zip);
    expect(source).toMatchObject({ id: 'bert-tiny', kind: 'local' });
    const files = await loadModelFiles(source);
    expect(files.tokenizer).toEqual({ kind: 'vocab.txt', vocab: '[PAD]\n' });
    expect(files.weights).toEqual({ file: Uint8Array.from([1, 2, 3]) });
  });
});
