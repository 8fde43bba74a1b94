import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadModelFiles } from './modelSource';
import { localSourceFromZip, unzipFiles, ZipError, zipFiles, type ZipErrorCode } from './zip';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function expectZipError(run: () => unknown, code: ZipErrorCode, message?: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ZipError);
    expect((error as ZipError).code).toBe(code);
    if (message) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected a ZipError with code ${code}`);
}

/** Offset of the central directory entry's "uncompressed size" field for the first file. */
function centralSizeOffset(zip: Uint8Array): number {
  const view = new DataView(zip.buffer, zip.byteOffset);
  for (let i = 0; i < zip.length - 4; i++) if (view.getUint32(i, true) === 0x02014b50) return i + 24;
  throw new Error('no central directory');
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

  it('never unpacks more than an entry declares (a zip bomb that lies about its size)', () => {
    const zip = zipSync({ 'bomb.txt': new Uint8Array(1 << 20) });
    new DataView(zip.buffer).setUint32(centralSizeOffset(zip), 10, true);
    let unpacked: Map<string, Uint8Array> | undefined;
    try {
      unpacked = unzipFiles(zip, { maxTotalBytes: 100 });
    } catch (error) {
      expect((error as ZipError).code).toBe('corrupt');
    }
    expect(unpacked?.get('bomb.txt')?.length ?? 0).toBeLessThanOrEqual(10);
  });

  it('bytes that are not a zip', () => {
    expectZipError(() => unzipFiles(text('definitely not a zip file, just some text')), 'corrupt', /not a readable zip/);
    expectZipError(() => unzipFiles(new Uint8Array(0)), 'corrupt');
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
    expect(files.weights).toEqual(Uint8Array.from([1, 2, 3]));
  });
});
