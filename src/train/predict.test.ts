import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel } from '../../tools/testing/fixtures';
import { sourceFor } from '../io/modelSpec';
import { loadPretrained, type Pretrained } from '../model/pretrained';
import { paramsForTask } from '../model/bert/tasks';
import { disposeParams } from '../model/params';
import { headLogits, type Model } from './objective';
import { attentionMaps, predict } from './predict';

let pretrained: Pretrained;
let classifier: Model;
let mlm: Model;

beforeAll(async () => {
  await tf.setBackend('cpu');
  pretrained = await loadPretrained(sourceFor(fixtureModel('base'), ''));
  const labels = { kind: 'categorical' as const, id2label: ['neg', 'pos', 'mixed'], label2id: { neg: 0, pos: 1, mixed: 2 } };
  classifier = paramsForTask(pretrained.config, pretrained.tensors, 'classify', labels, 3);
  mlm = paramsForTask(pretrained.config, pretrained.tensors, 'mlm', undefined, 3);
});

afterAll(() => {
  disposeParams(classifier.params);
  disposeParams(mlm.params);
});

describe('predict', () => {
  it("reads a classifier's logits as probabilities and the most probable label", async () => {
    const [prediction] = await predict(classifier, pretrained.tokenizer, [{ text: 'the movie was good', pair: 'i like it' }], 5);
    expect(prediction.logits).toHaveLength(3);
    const sum = prediction.probabilities!.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
    const best = prediction.probabilities!.indexOf(Math.max(...prediction.probabilities!));
    expect(prediction.label).toBe(['neg', 'pos', 'mixed'][best]);
    expect(prediction.logits.indexOf(Math.max(...prediction.logits))).toBe(best);
    expect(prediction.fillMask).toBeUndefined();
    // The same logits as the objective's classifier head on the same batch of one.
    const ids = Int32Array.from(prediction.inputIds);
    const batch = { inputIds: ids, tokenTypeIds: Int32Array.from(prediction.tokenTypeIds), attentionMask: new Int32Array(ids.length).fill(1), batchSize: 1, seqLen: ids.length };
    const logits = tf.tidy(() => headLogits(classifier, batch, { classify: true }, { training: false }).classification!);
    const expected = Array.from(await logits.data());
    logits.dispose();
    prediction.logits.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
  });

  it('answers a question with a span of its context, over every window of a long context', async () => {
    const qa = paramsForTask(pretrained.config, pretrained.tensors, 'qa', undefined, 3);
    const context = Array.from({ length: 60 }, (_, i) => (i === 41 ? 'the cat sat on the mat' : 'it was a good day')).join(' . ');
    const [prediction] = await predict(qa, pretrained.tokenizer, [{ text: 'where did the cat sit ?', pair: context }], 5);
    expect(prediction.logits).toEqual([]);
    // Random qa_outputs: some span (or none), but always a span of the context with a probability.
    if (prediction.answer) {
      const { text, start, end, score } = prediction.answer;
      expect(context.slice(start, end)).toBe(text);
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(prediction.answer).not.toBeUndefined();
    const [empty] = await predict(qa, pretrained.tokenizer, [{ text: 'where ?', pair: ' ' }], 5);
    expect(empty.answer).toBeNull();
    disposeParams(qa.params);
  });

  it("lists the MLM head's top-k tokens for each [MASK], most probable first", async () => {
    const [prediction] = await predict(mlm, pretrained.tokenizer, [{ text: 'the movie was [MASK] and [MASK]' }], 4);
    expect(prediction.logits).toEqual([]);
    expect(prediction.fillMask).toHaveLength(2);
    for (const { position, candidates } of prediction.fillMask!) {
      expect(prediction.inputIds[position]).toBe(pretrained.tokenizer.special.mask);
      expect(candidates).toHaveLength(4);
      const scores = candidates.map((c) => c.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      expect(scores.every((s) => s > 0 && s <= 1)).toBe(true);
      expect(candidates.every((c) => c.token === pretrained.tokenizer.idToToken(c.id))).toBe(true);
    }
  });

  it('gives no fill-mask without a [MASK]', async () => {
    const [prediction] = await predict(mlm, pretrained.tokenizer, [{ text: 'the movie was good' }], 4);
    expect(prediction.fillMask).toBeUndefined();
  });
});

describe('attentionMaps', () => {
  it("returns every layer's heads as rows of probabilities over the tokens", async () => {
    const map = await attentionMaps(classifier, pretrained.tokenizer, 'the movie was good');
    const n = map.tokens.length;
    expect(map.offsets).toHaveLength(n);
    expect(map.attentions).toHaveLength(pretrained.config.numHiddenLayers);
    for (const layer of map.attentions) {
      expect(layer).toHaveLength(pretrained.config.numAttentionHeads);
      for (const head of layer) for (const row of head) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });
});
