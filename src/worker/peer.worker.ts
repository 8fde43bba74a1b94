/// <reference lib="webworker" />
// A peer of the engine worker on the CPU: computes the gradients of part of every batch (src/train/parallel.ts).
import { initBackend } from '../kernels/backend';
import { PeerModel } from '../train/parallel';
import type { PeerMessage, PeerReply } from './peers';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let model: Promise<PeerModel> | null = null;

scope.addEventListener('message', (event: MessageEvent<PeerMessage>) => {
  const message = event.data;
  if (message.kind === 'init') {
    // One thread: the peers and the engine each take a core.
    model = initBackend(message.backend, { threads: 1 }).then(() => new PeerModel(message.config));
    return;
  }
  const { id, request } = message;
  model!.then((peer) => peer.compute(request)).then(
    (result) => post({ id, ok: true, result }, [...new Set(result.grads.map((g) => g.values.buffer as ArrayBuffer))]),
    (err: unknown) => post({ id, ok: false, message: err instanceof Error ? err.message : String(err) }),
  );
});

function post(reply: PeerReply, transfer: Transferable[] = []): void {
  scope.postMessage(reply, transfer);
}
