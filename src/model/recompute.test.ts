import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bertForward, type ForwardOptions } from './bert/model';
import { randomParams, tinyConfig } from './bert/testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('gradient checkpointing', () => {
  const config = tinyConfig({ hidden_size: 16, num_hidden_layers: 3, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 16 });
  const params = randomParams(config);
  const [batchSize, seqLen] = [3, 8];
  const batch = {
    inputIds: Int32Array.from({ length: batchSize * seqLen }, (_, i) => (i * 7) % config.vocabSize),
    tokenTypeIds: new Int32Array(batchSize * seqLen),
    attentionMask: Int32Array.from({ length: batchSize * seqLen }, (_, i) => (i % seqLen < 6 ? 1 : 0)),
    batchSize,
    seqLen,
  };
  const probe = tf.randomNormal([batchSize, seqLen, config.hiddenSize], 0, 1, 'float32', 5);
  afterAll(() => tf.dispose([...params.values(), probe]));

  /** A loss through every layer, with dropout on; also records the bytes alive when the forward pass ends. */
  function run(opts: Partial<ForwardOptions>, variables: tf.Variable[]) {
    let forwardBytes = 0;
    const { value, grads } = tf.variableGrads(() => {
      const out = bertForward(params, config, batch, { training: true, seed: 11, ...opts });
      const loss = tf.sum(tf.mul(out.sequenceOutput, probe)) as tf.Scalar;
      forwardBytes = tf.memory().numBytes;
      return loss;
    }, variables);
    const hfName = new Map([...params].map(([name, v]) => [v.name, name]));
    const result = { loss: value.dataSync()[0], grads: new Map(Object.entries(grads).map(([k, g]) => [hfName.get(k)!, g.dataSync()])), forwardBytes };
    tf.dispose([value, ...Object.values(grads)]);
    return result;
  }

  function expectSameGrads(a: ReturnType<typeof run>, b: ReturnType<typeof run>) {
    expect(a.loss).toBeCloseTo(b.loss, 5);
    expect([...a.grads.keys()].sort()).toEqual([...b.grads.keys()].sort());
    for (const [name, want] of b.grads) {
      const got = a.grads.get(name)!;
      const scale = Math.max(...want.map(Math.abs), 1e-12);
      const worst = Math.max(...want.map((w, i) => Math.abs(got[i] - w)));
      expect(worst / scale, name).toBeLessThan(1e-5);
    }
  }

  it('gives the gradients of the plain backward pass, dropout included, and holds less until the backward pass', () => {
    const all = [...params].filter(([name]) => !name.startsWith('cls.') && !name.startsWith('bert.pooler') && !name.startsWith('classifier')).map(([, v]) => v);
    const plain = run({}, all);
    const checkpointed = run({ gradientCheckpointing: true }, all);
    expectSameGrads(checkpointed, plain);
    expect(checkpointed.forwardBytes).toBeLessThan(plain.forwardBytes);
  });

  it('computes no gradient for a frozen layer and still reaches the layers below it', () => {
    const frozen = [...params].filter(([name]) => name.startsWith('bert.encoder.layer.1.'));
    frozen.forEach(([, v]) => (v.trainable = false));
    try {
      const trainable = [...params].filter(([name, v]) => v.trainable && name.startsWith('bert.encoder.')).map(([, v]) => v);
      const plain = run({}, trainable);
      const checkpointed = run({ gradientCheckpointing: true }, trainable);
      expectSameGrads(checkpointed, plain);
      expect([...checkpointed.grads.keys()].some((name) => name.startsWith('bert.encoder.layer.1.'))).toBe(false);
      expect([...checkpointed.grads.keys()].some((name) => name.startsWith('bert.encoder.layer.0.'))).toBe(true);
    } finally {
      frozen.forEach(([, v]) => (v.trainable = true));
    }
  });

  it('is ignored outside training and when attentions are requested', () => {
    const eval1 = bertForward(params, config, batch, { training: false, gradientCheckpointing: true });
    const eval2 = bertForward(params, config, batch, { training: false });
    expect(Array.from(eval1.sequenceOutput.dataSync())).toEqual(Array.from(eval2.sequenceOutput.dataSync()));
    const withAttention = bertForward(params, config, batch, { training: true, seed: 1, gradientCheckpointing: true, outputAttentions: true });
    expect(withAttention.attentions).toHaveLength(config.numHiddenLayers);
    tf.dispose([eval1, eval2, withAttention] as unknown as tf.TensorContainer);
  });
});
