/** The page's way to unzip: in a worker of its own, so inflating a large model never blocks the page. */
import type { ProgressCallback } from '../progress';
import { ZipError, type UnzipReply, type UnzipRequest } from './zip';

/** The part of `Worker` used here, so tests can pass one that runs in-process. */
export interface UnzipWorkerLike {
  postMessage(request: UnzipRequest): void;
  onmessage: ((event: MessageEvent<UnzipReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/**
 * Unpacks a zip as `unzipFiles` does (same limits, same `ZipError`s), in a fresh worker that ends with the job,
 * taking the memory it inflated into with it.
 */
export function unzipInWorker(
  zip: Blob,
  onProgress?: ProgressCallback,
  worker: UnzipWorkerLike = new Worker(new URL('./zip.worker.ts', import.meta.url), { type: 'module', name: 'bert-studio-unzip' }),
): Promise<Map<string, Blob>> {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data: reply }) => {
      if (reply.kind === 'progress') {
        onProgress?.(reply.progress);
        return;
      }
      worker.terminate();
      if (reply.kind === 'done') resolve(new Map(reply.files));
      else reject(new ZipError(reply.code, reply.message, reply.entry));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`Unzipping failed: ${event.message}`));
    };
    worker.postMessage({ zip });
  });
}
