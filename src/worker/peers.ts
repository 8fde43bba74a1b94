/**
 * The engine's peers on the CPU (src/train/parallel.ts): workers of their own, each with its own tfjs on one
 * thread, computing part of every batch while the engine computes its part. Only the wasm backend has them: on
 * WebGPU the batch is already computed in parallel on the device.
 */
import type { BackendName } from '../kernels/adapter';
import type { BertConfig } from '../model/bert/config';
import type { GradientPeer, PartRequest, PartResult, PeerPool } from '../train/parallel';

export type PeerMessage = { kind: 'init'; config: BertConfig; backend: BackendName } | { kind: 'compute'; id: number; request: PartRequest };

export type PeerReply = { id: number; ok: true; result: PartResult } | { id: number; ok: false; message: string };

/**
 * How many peers a run on `backend` gets with `cores` logical cores: the engine takes one and the page keeps one,
 * the peers take the rest, at most `MAX_PEERS` (each holds a copy of the weights and their gradients). With a peer
 * on both cores of a 2-core machine the page's frame gaps during a run rose from 33 to 67 ms at the 95th percentile
 * (e2e/journey.spec.ts), for a step 1.03× as fast (docs/PERFORMANCE.md): there the engine trains alone.
 */
export function peerCount(backend: string, cores: number): number {
  if (backend !== 'wasm') return 0;
  return Math.max(0, Math.min(MAX_PEERS, Math.floor(cores) - 2));
}

const MAX_PEERS = 3;

/** Starts `count` peer workers for a model of `config`. */
export function startPeers(count: number, config: BertConfig, backend: string): GradientPeer[] {
  return Array.from({ length: count }, (_, index) => {
    const worker = new Worker(new URL('./peer.worker.ts', import.meta.url), { type: 'module', name: `bert-studio-peer-${index + 1}` });
    return new WorkerPeer(worker, config, backend as BackendName);
  });
}

/** The engine worker's peers: one per core past the engine's and the page's. */
export const workerPeers: PeerPool = { size: (backend) => peerCount(backend, navigator.hardwareConcurrency), start: startPeers };

/** A peer worker behind the GradientPeer interface: one request at a time, each answered by its id. */
class WorkerPeer implements GradientPeer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: PartResult): void; reject(error: Error): void }>();
  private failure: Error | null = null;

  constructor(private readonly worker: Worker, config: BertConfig, backend: BackendName) {
    worker.addEventListener('message', (event: MessageEvent<PeerReply>) => this.receive(event.data));
    // A peer that dies (out of memory, a crash) fails the part it had: the run then ends at its last checkpoint.
    worker.addEventListener('error', (event) => this.fail(new Error(`A CPU peer worker failed: ${event.message || 'it stopped'}`)));
    this.post({ kind: 'init', config, backend });
  }

  compute(request: PartRequest): Promise<PartResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Posted now, not after an await: the engine's own part blocks its thread as soon as this returns.
      this.post({ kind: 'compute', id, request });
    });
  }

  dispose(): void {
    this.worker.terminate();
    this.fail(new Error('The CPU peer worker was stopped.'));
  }

  private post(message: PeerMessage): void {
    this.worker.postMessage(message);
  }

  private receive(reply: PeerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(new Error(`A CPU peer worker failed: ${reply.message}`));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
