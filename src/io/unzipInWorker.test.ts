import { describe, expect, it } from 'vitest';
import type { Progress } from '../progress';
import { unzipInWorker, type UnzipWorkerLike } from './unzipInWorker';
import { answerUnzip, ZipError, zipFiles, type UnzipReply } from './zip';

/** Runs the worker's job in-process, passing replies through structured cloning with their transfer lists. */
function inProcessWorker(): UnzipWorkerLike & { terminated: boolean } {
  const worker: UnzipWorkerLike & { terminated: boolean } = {
    onmessage: null,
    onerror: null,
    terminated: false,
    postMessage(request) {
      const copy = structuredClone(request);
      setTimeout(() =>
        void answerUnzip(copy, (reply) => {
          const data = structuredClone(reply);
          worker.onmessage?.({ data } as MessageEvent<UnzipReply>);
        }),
      );
    },
    terminate() {
      worker.terminated = true;
    },
  };
  return worker;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('unzipInWorker', () => {
  it('returns the files, forwards progress, ends the worker and leaves the caller its zip', async () => {
    const zip = new Blob([zipFiles({ 'm/config.json': text('{}'), 'm/model.safetensors': Uint8Array.from([1, 2, 3]) })]);
    const worker = inProcessWorker();
    const events: Progress[] = [];
    const files = await unzipInWorker(zip, (progress) => events.push(progress), worker);
    const read = await Promise.all([...files].map(async ([name, blob]) => [name, new Uint8Array(await blob.arrayBuffer())]));
    expect(Object.fromEntries(read)).toEqual({ 'm/config.json': text('{}'), 'm/model.safetensors': Uint8Array.from([1, 2, 3]) });
    expect(events.at(-1)).toMatchObject({ stage: 'unzip', loaded: 5, total: 5 });
    expect(worker.terminated).toBe(true);
    expect((await zip.arrayBuffer()).byteLength).toBe(zip.size);
  });

  it('rejects with the ZipError the worker raised, its code and entry intact', async () => {
    const zip = zipFiles({ 'model.safetensors': new Uint8Array(100) });
    const central = zip.findIndex((_, i) => new DataView(zip.buffer).getUint32(Math.min(i, zip.length - 4), true) === 0x02014b50);
    new DataView(zip.buffer).setUint16(central + 10, 99, true); // compression method 99
    const worker = inProcessWorker();
    const error = await unzipInWorker(new Blob([zip]), undefined, worker).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZipError);
    expect(error).toMatchObject({ code: 'unsupported', entry: 'model.safetensors' });
    expect(worker.terminated).toBe(true);
  });
});
