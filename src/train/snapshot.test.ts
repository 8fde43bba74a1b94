import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSnapshot, DeviceSnapshot, HostSnapshot, type WeightSnapshot } from './snapshot';

const owned: tf.Variable[] = [];

function params(w: number[], b: number[]): Map<string, tf.Variable> {
  const made = new Map([
    ['w', tf.variable(tf.tensor(w, [2, 2]), true)],
    ['b', tf.variable(tf.tensor(b, [2]), true)],
  ]);
  owned.push(...made.values());
  return made;
}

afterEach(() => {
  tf.dispose(owned.splice(0));
});

const kinds: [string, (p: Map<string, tf.Variable>) => WeightSnapshot][] = [
  ['device', (p) => new DeviceSnapshot(p)],
  ['host', () => new HostSnapshot()],
];

describe.each(kinds)('%s snapshot', (_, make) => {
  it('puts back what it saved after the parameters change', async () => {
    const model = params([1, 2, 3, 4], [5, 6]);
    const snapshot = make(model);
    await snapshot.save(model);
    model.get('w')!.assign(tf.zeros([2, 2]));
    model.get('b')!.assign(tf.zeros([2]));
    snapshot.restoreInto(model);
    expect([...model.get('w')!.dataSync()]).toEqual([1, 2, 3, 4]);
    expect([...model.get('b')!.dataSync()]).toEqual([5, 6]);
    snapshot.dispose();
  });

  it('reads and loads checkpoint weights, and keeps the tensor count flat over many saves', async () => {
    const model = params([1, 2, 3, 4], [5, 6]);
    const snapshot = make(model);
    await snapshot.save(model);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await snapshot.save(model);
    snapshot.load(new Map([['w', { shape: [2, 2], data: new Float32Array([9, 9, 9, 9]) }], ['b', { shape: [2], data: new Float32Array([7, 8]) }]]));
    snapshot.restoreInto(model);
    expect(tf.memory().numTensors).toBe(before);
    const read = await snapshot.read();
    expect([...read.get('w')!.data]).toEqual([9, 9, 9, 9]);
    expect([...read.get('b')!.data]).toEqual([7, 8]);
    expect([...model.get('b')!.dataSync()]).toEqual([7, 8]);
    snapshot.dispose();
  });
});

describe('createSnapshot', () => {
  it('keeps the copy outside the backend on cpu and wasm: it allocates no tensor', async () => {
    const model = params([1, 2, 3, 4], [5, 6]);
    const before = tf.memory().numTensors;
    const snapshot = createSnapshot(model);
    await snapshot.save(model);
    expect(snapshot).toBeInstanceOf(HostSnapshot);
    expect(tf.memory().numTensors).toBe(before);
    snapshot.dispose();
  });

  it('a host snapshot holds copies: loading from a buffer the caller reuses does not change it', async () => {
    const model = params([1, 2, 3, 4], [5, 6]);
    const snapshot = new HostSnapshot();
    const data = new Float32Array([1, 1]);
    snapshot.load(new Map([['w', { shape: [2, 2], data: new Float32Array(4) }], ['b', { shape: [2], data }]]));
    data.fill(3);
    snapshot.restoreInto(model);
    expect([...model.get('b')!.dataSync()]).toEqual([1, 1]);
  });
});
