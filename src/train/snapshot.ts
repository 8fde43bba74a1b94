/**
 * A copy of the model's weights kept aside during a run: the best evaluation's, put back at the end. Where it lives
 * depends on the backend. On WebGPU it stays on the device (tf.Variables), so an improving evaluation costs no
 * readback. On wasm the device is the module's heap, capped at 4 GiB, where a bert-base run already holds the
 * weights, two AdamW moments and the activations: there the copy lives in JavaScript memory instead (a copy out of
 * the heap is a memcpy), which frees one weight-sized block of the heap (440 MB at bert-base).
 */
import * as tf from '@tensorflow/tfjs';
import { assignParams } from '../model/params';
import type { BertParams } from '../model/bert/params';

export type Weights = Map<string, { shape: number[]; data: Float32Array }>;

export interface WeightSnapshot {
  /** Copies every parameter's current value into the snapshot. */
  save(params: ReadonlyMap<string, tf.Variable>): Promise<void>;
  /** Assigns the snapshot's values to the parameters of the same names. */
  restoreInto(params: BertParams): void;
  /** The snapshot's values, read back (for checkpoints). */
  read(): Promise<Weights>;
  /** Replaces the snapshot's values with `weights` (from a checkpoint whose shapes were checked). */
  load(weights: Weights): void;
  dispose(): void;
}

/** Every tensor's values by name, read back to the CPU. */
export async function readAll(tensors: ReadonlyMap<string, tf.Tensor>): Promise<Weights> {
  const out: Weights = new Map();
  for (const [name, tensor] of tensors) out.set(name, { shape: [...tensor.shape], data: (await tensor.data()) as Float32Array });
  return out;
}

/** Variables on the device, allocated once so tensor counts stay flat however often the best improves. */
export class DeviceSnapshot implements WeightSnapshot {
  private readonly copies: Map<string, tf.Variable>;

  constructor(params: ReadonlyMap<string, tf.Variable>) {
    this.copies = new Map([...params].map(([name, variable]) => [name, tf.variable(variable, false)]));
  }

  async save(params: ReadonlyMap<string, tf.Variable>): Promise<void> {
    for (const [name, value] of params) this.copies.get(name)?.assign(value);
  }

  restoreInto(params: BertParams): void {
    for (const [name, value] of this.copies) params.get(name)?.assign(value);
  }

  read(): Promise<Weights> {
    return readAll(this.copies);
  }

  load(weights: Weights): void {
    assignParams(this.copies, weights);
  }

  dispose(): void {
    tf.dispose([...this.copies.values()]);
  }
}

/** Float32Arrays outside the backend's memory. */
export class HostSnapshot implements WeightSnapshot {
  private values: Weights = new Map();

  async save(params: ReadonlyMap<string, tf.Variable>): Promise<void> {
    this.values = await readAll(params);
  }

  restoreInto(params: BertParams): void {
    assignParams(params, this.values);
  }

  async read(): Promise<Weights> {
    return this.values;
  }

  load(weights: Weights): void {
    this.values = new Map([...weights].map(([name, { shape, data }]) => [name, { shape: [...shape], data: data.slice() }]));
  }

  dispose(): void {
    this.values = new Map();
  }
}

/** A snapshot for `params` in the place that suits the active backend; its contents mean nothing until `save`. */
export function createSnapshot(params: ReadonlyMap<string, tf.Variable>): WeightSnapshot {
  return tf.getBackend() === 'webgpu' ? new DeviceSnapshot(params) : new HostSnapshot();
}
