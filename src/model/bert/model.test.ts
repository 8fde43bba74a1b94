import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BertBatch } from './batch';
import { bertForward } from './model';
import { ModelInputError } from '../errors';
import { classificationHead, mlmHead } from './heads';
import { crossEntropyLoss } from '../losses';
import { disposeParams } from '../params';
import type { BertParams } from './params';
import { randomParams, tinyConfig } from './testing';

const config = tinyConfig();
let params: BertParams;

// 2 rows of 5: the second padded after 3 tokens, with a pair segment.
const batch: BertBatch = {
  inputIds: Int32Array.from([2, 7, 7, 9, 3, 2, 11, 3, 0, 0]),
  tokenTypeIds: Int32Array.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]),
  attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
  batchSize: 2,
  seqLen: 5,
};

async function sequence(opts: Parameters<typeof bertForward>[3], p: BertParams = params): Promise<number[]> {
  const out = bertForward(p, config, batch, opts);
  const values = Array.from(await out.sequenceOutput.data());
  tf.dispose(Object.values(out).flat());
  return values;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  params = randomParams(config);
});

afterAll(() => disposeParams(params));

describe('bertForward', () => {
  it('returns [batch, seq, hidden], the pooled output, and hidden states and attentions on request', () => {
    const out = bertForward(params, config, batch, { training: false, outputHiddenStates: true, outputAttentions: true });
    expect(out.sequenceOutput.shape).toEqual([2, 5, 8]);
    expect(out.pooledOutput!.shape).toEqual([2, 8]);
    expect(out.hiddenStates!.map((h) => h.shape)).toEqual([[2, 5, 8], [2, 5, 8], [2, 5, 8]]);
    expect(out.attentions!.map((a) => a.shape)).toEqual([[2, 2, 5, 5], [2, 2, 5, 5]]);
    const plain = bertForward(params, config, batch, { training: false });
    expect(plain.hiddenStates).toBeUndefined();
    expect(plain.attentions).toBeUndefined();
  });

  it('gives padded keys zero attention and normalises every row', async () => {
    const out = bertForward(params, config, batch, { training: false, outputAttentions: true });
    const probs = (await out.attentions![0].array()) as number[][][][];
    for (const row of probs[1].flat()) {
      expect(row.slice(3)).toEqual([0, 0]);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('has no pooled output without the pooler', () => {
    const mlmParams = randomParams(config, { pooler: false, mlm: true, classifier: false });
    expect(bertForward(mlmParams, config, batch, { training: false }).pooledOutput).toBeUndefined();
    disposeParams(mlmParams);
  });

  it('padding tokens do not change the real tokens (mask works)', async () => {
    const changed = { ...batch, inputIds: Int32Array.from(batch.inputIds).fill(13, 8) };
    const a = await sequence({ training: false });
    const out = bertForward(params, config, changed, { training: false });
    const b = Array.from(await out.sequenceOutput.data());
    const realOfRow1 = (v: number[]) => v.slice(5 * 8, 8 * 8);
    realOfRow1(b).forEach((v, i) => expect(v).toBeCloseTo(realOfRow1(a)[i], 5));
  });
});

describe('dropout', () => {
  it('is off in eval: repeated forwards agree exactly', async () => {
    expect(await sequence({ training: false })).toEqual(await sequence({ training: false }));
  });

  it('is on in training, reproducible by seed, different across seeds', async () => {
    const evalOut = await sequence({ training: false });
    const seeded = await sequence({ training: true, seed: 5 });
    expect(seeded).not.toEqual(evalOut);
    expect(await sequence({ training: true, seed: 5 })).toEqual(seeded);
    expect(await sequence({ training: true, seed: 6 })).not.toEqual(seeded);
    expect(await sequence({ training: true })).not.toEqual(evalOut);
  });

  it('does nothing in training when every dropout probability is 0', async () => {
    const noDropout = tinyConfig({ hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 });
    const out = bertForward(params, noDropout, batch, { training: true, seed: 1 });
    expect(Array.from(await out.sequenceOutput.data())).toEqual(await sequence({ training: false }));
  });

  it('applies classifier dropout only in training', async () => {
    const pooled = tf.ones([2, 8]) as tf.Tensor2D;
    const evalLogits = await classificationHead(params, config, pooled, { training: false }).data();
    expect(Array.from(await classificationHead(params, config, pooled, { training: false }).data())).toEqual(Array.from(evalLogits));
    const trained = tinyConfig({ classifier_dropout: 0.5 });
    expect(Array.from(await classificationHead(params, trained, pooled, { training: true, seed: 2 }).data())).not.toEqual(Array.from(evalLogits));
  });
});

describe('bertForward input checks', () => {
  it.each([
    ['an id outside the vocabulary', { inputIds: Int32Array.from([2, 7, 7, 9, 20, 2, 11, 3, 0, 0]) }, 'inputIds'],
    ['a negative id', { inputIds: Int32Array.from([2, 7, 7, 9, -1, 2, 11, 3, 0, 0]) }, 'inputIds'],
    ['a token type outside type_vocab_size', { tokenTypeIds: Int32Array.from([0, 0, 0, 0, 0, 0, 0, 2, 0, 0]) }, 'tokenTypeIds'],
    ['a mask value of 2', { attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 2, 0]) }, 'attentionMask'],
    ['arrays of the wrong length', { tokenTypeIds: new Int32Array(9) }, 'tokenTypeIds'],
    ['a plain array', { inputIds: [2, 7, 7, 9, 3, 2, 11, 3, 0, 0] as unknown as Int32Array }, 'inputIds'],
    ['a zero batch size', { batchSize: 0 }, 'batchSize'],
    ['a sequence longer than max_position_embeddings', { seqLen: 17 }, 'seqLen'],
  ])('rejects %s with ModelInputError', (_, patch, field) => {
    const run = () => bertForward(params, config, { ...batch, ...patch }, { training: false });
    expect(run).toThrow(ModelInputError);
    expect(run).toThrow(new RegExp(`^${field}:`));
  });
});

describe('mlmHead', () => {
  it('projects only the given positions, matching the projection of all tokens', async () => {
    const out = bertForward(params, config, batch, { training: false });
    const all = mlmHead(params, config, out.sequenceOutput, Int32Array.from({ length: 10 }, (_, i) => i)); // [10, vocab]
    const some = mlmHead(params, config, out.sequenceOutput, Int32Array.from([6, 1, 6]));
    expect(some.shape).toEqual([3, 20]);
    const allRows = (await all.array()) as number[][];
    const someRows = (await some.array()) as number[][];
    [6, 1, 6].forEach((p, i) => someRows[i].forEach((v, j) => expect(v).toBeCloseTo(allRows[p][j], 5)));
  });

  it('rejects a position outside the batch', () => {
    const out = bertForward(params, config, batch, { training: false });
    expect(() => mlmHead(params, config, out.sequenceOutput, Int32Array.from([10]))).toThrow(/^positions: value 10/);
  });
});

describe('gradients', () => {
  const lossFn = (p: BertParams) => (): tf.Scalar => {
    const out = bertForward(p, config, batch, { training: false });
    return crossEntropyLoss(mlmHead(p, config, out.sequenceOutput, Int32Array.from([1, 6])), Int32Array.from([7, 11]));
  };

  it('are computed only for the trainable parameters passed in', () => {
    const trainable = ['bert.encoder.layer.1.output.dense.weight', 'cls.predictions.bias'].map((n) => params.get(n)!);
    const { value, grads } = tf.variableGrads(lossFn(params), trainable);
    expect(Object.keys(grads).sort()).toEqual(trainable.map((v) => v.name).sort());
    expect(grads[trainable[0].name].shape).toEqual([8, 16]);
    tf.dispose([value, ...Object.values(grads)]);
  });

  it('skip the embedding backward pass entirely when the embeddings are frozen', async () => {
    const kernels = async (names: string[]): Promise<[gathers: number, scatters: number]> => {
      const profile = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(lossFn(params), names.map((n) => params.get(n)!));
        tf.dispose([value, ...Object.values(grads)]);
      });
      const count = (name: string) => profile.kernels.filter((k) => k.name === name).length;
      return [count('GatherV2'), count('ScatterNd')];
    };
    // Forward: word embeddings + MLM positions, two gathers. Backward of each lookup: one scatter, only when needed.
    const frozen = await kernels(['cls.predictions.bias']);
    const headOnly = await kernels(['cls.predictions.transform.dense.weight']);
    const withEmbeddings = await kernels(['bert.encoder.layer.0.attention.self.query.weight']);
    const all = await kernels(['bert.embeddings.word_embeddings.weight']);
    expect([frozen, headOnly, withEmbeddings]).toEqual([[2, 0], [2, 0], [2, 1]]);
    expect(all).toEqual([2, 2]); // the tied decoder adds none; the lookup's backward adds one per lookup on the path
  });
});
