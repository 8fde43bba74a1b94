/**
 * Data parallelism on the CPU. tfjs-wasm runs its matMuls on every thread but its element-wise kernels, most of a
 * step's kernels, on one: two threads buy a training step 1.1-1.2× (docs/PERFORMANCE.md). Here each batch is cut
 * into parts of rows whose gradients are computed at once, one part by the engine and one by each peer, a worker
 * of its own holding a copy of the weights. The engine weighs the parts' gradients into the batch's (each part's
 * loss is a mean over its own weight, so weighting by that weight gives the batch's mean) and alone updates the
 * weights; a peer is sent, with each part, the weights the optimizer changed since its previous one.
 */
import * as tf from '@tensorflow/tfjs';
import { lossWeight, type Batch } from '../data/batching';
import type { MaskedBatch } from '../data/masking';
import type { BertConfig } from '../model/bert/config';
import { gradsByName } from './gradients';
import { taskForward, type Task } from './objective';

export interface WeightValues {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** One part of a batch for a peer: what it computes the gradients of, with the weights that changed. */
export interface PartRequest {
  task: Task;
  batch: Batch;
  masked?: MaskedBatch;
  /** Dropout seed of the part. */
  seed: number;
  /** The parameters to take gradients of (the unfrozen ones). */
  names: string[];
  gradientCheckpointing: boolean;
  /** Weights changed since the peer's previous part; every weight with its first. */
  weights: WeightValues[];
}

export interface PartResult {
  loss: number;
  grads: WeightValues[];
}

/** A worker computing parts of batches (src/worker/peers.ts), or the same in this thread (tests). */
export interface GradientPeer {
  compute(request: PartRequest): Promise<PartResult>;
  dispose(): void;
}

/** Where a run's peers come from: how many a backend gets, and starting them for a model. */
export interface PeerPool {
  size(backend: string): number;
  start(count: number, config: BertConfig, backend: string): GradientPeer[];
}

/** What a part's loss is a mean over: its real rows, its tagged words (NER), or for masked-LM its masked tokens. */
export function partWeight(batch: Batch, masked: MaskedBatch | undefined): number {
  return masked ? masked.maskedWeights.reduce((sum, w) => sum + w, 0) : lossWeight(batch);
}

/** The model a peer computes with: the engine's configuration, its weights as the requests bring them. */
export class PeerModel {
  private readonly params = new Map<string, tf.Variable>();

  constructor(private readonly config: BertConfig) {}

  async compute(request: PartRequest): Promise<PartResult> {
    tf.tidy(() => {
      for (const { name, shape, values } of request.weights) {
        const param = this.params.get(name);
        // Unnamed: tfjs names variables uniquely, and a peer in the engine's own thread must not clash with it.
        if (param) param.assign(tf.tensor(values, shape));
        else this.params.set(name, tf.variable(tf.tensor(values, shape), true));
      }
    });
    const { task, batch, masked, seed, names, gradientCheckpointing } = request;
    const model = { params: this.params, config: this.config };
    const { loss, grads } = gradsByName(() => taskForward(model, task, batch, masked, { training: true, seed, gradientCheckpointing }).loss, this.params, names);
    try {
      const values = await Promise.all([...grads].map(async ([name, grad]) => ({ name, shape: grad.shape, values: (await grad.data()) as Float32Array })));
      return { loss: (await loss.data())[0], grads: values };
    } finally {
      tf.dispose([loss, ...grads.values()]);
    }
  }

  dispose(): void {
    tf.dispose([...this.params.values()]);
    this.params.clear();
  }
}

/** A peer in this thread: the parallel path's numerics without workers (tests, and the reference for workers). */
export function localPeer(config: BertConfig): GradientPeer {
  const model = new PeerModel(config);
  return { compute: (request) => model.compute(request), dispose: () => model.dispose() };
}

/** Which weights each peer lacks: all of them at first, then those each optimizer step changes. */
export class PeerWeights {
  private readonly stale: Set<string>[];

  constructor(peers: number, private readonly params: ReadonlyMap<string, tf.Variable>) {
    this.stale = Array.from({ length: peers }, () => new Set(params.keys()));
  }

  /** After an optimizer step (or any write to the weights) that changed `names`. */
  changed(names: Iterable<string>): void {
    for (const name of names) for (const set of this.stale) set.add(name);
  }

  /** The weights peer `index` lacks, read now; it is then counted as holding them. */
  async take(index: number): Promise<WeightValues[]> {
    const names = [...this.stale[index]];
    this.stale[index].clear();
    return Promise.all(
      names.map(async (name) => {
        const param = this.params.get(name)!;
        return { name, shape: param.shape, values: (await param.data()) as Float32Array };
      }),
    );
  }
}
