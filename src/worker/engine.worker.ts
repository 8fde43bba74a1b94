/// <reference lib="webworker" />
// The dedicated worker that owns tfjs and the GPU: every command arrives here as a message, so long GPU work
// never blocks the page.
import { openBlobStore } from '../io/blobStore';
import { Engine } from './engine';
import { workerPeers } from './peers';
import { RunStore } from '../train/runStore';
import { toWire, type EngineEvent, type Request, type WorkerMessage } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: WorkerMessage, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

// Runs are saved in the browser's storage, so a reload or a crash loses none of them.
const runs = openBlobStore().then((files) => new RunStore(files));
const engine = new Engine((event: EngineEvent) => post({ kind: 'event', event }), new URL('/models/', scope.location.origin).href, runs, workerPeers);

scope.addEventListener('message', (event: MessageEvent<Request>) => {
  const request = event.data;
  engine.handle(request).then(
    (result) => post({ kind: 'reply', id: request.id, ok: true, result }, transferablesOf(result)),
    (err: unknown) => post({ kind: 'reply', id: request.id, ok: false, error: toWire(err) }),
  );
});

/** Export bytes move to the page instead of being copied. */
function transferablesOf(result: unknown): Transferable[] {
  if (result && typeof result === 'object' && 'files' in result) {
    return Object.values((result as { files: Record<string, Uint8Array> }).files).map((bytes) => bytes.buffer as ArrayBuffer);
  }
  if (result && typeof result === 'object' && 'zip' in result) return [(result as { zip: Uint8Array }).zip.buffer as ArrayBuffer];
  return [];
}
