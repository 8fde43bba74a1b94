import { describe, expect, it } from 'vitest';
import { CONFIG_SOURCES, servedPath } from './configs';
import { SPECIAL, syntheticBatch, syntheticExamples } from './workloads';

describe('syntheticExamples', () => {
  it('makes full-length [CLS] … [SEP] rows of ordinary ids, reproducibly', () => {
    const examples = syntheticExamples(3, 8, 50, 4);
    expect(examples).toHaveLength(3);
    for (const [i, ex] of examples.entries()) {
      expect(ex.inputIds).toHaveLength(8);
      expect(ex.inputIds[0]).toBe(SPECIAL.cls);
      expect(ex.inputIds[7]).toBe(SPECIAL.sep);
      expect([...ex.inputIds.slice(1, 7)].every((id) => id > SPECIAL.mask && id < 50)).toBe(true);
      expect([...ex.wordIds]).toEqual([-1, 0, 1, 2, 3, 4, 5, -1]);
      expect([...ex.specialMask]).toEqual([1, 0, 0, 0, 0, 0, 0, 1]);
      expect(ex.label).toBe(i % 2);
      expect(ex.index).toBe(i);
    }
    expect(syntheticExamples(3, 8, 50, 4)).toEqual(examples);
    expect(syntheticExamples(3, 8, 50, 5)[0].inputIds).not.toEqual(examples[0].inputIds);
  });

  it('rejects rows too short for [CLS] and [SEP] and vocabularies of special tokens only', () => {
    expect(() => syntheticExamples(1, 2, 50)).toThrow(/seqLen must be a whole number >= 3, got 2/);
    expect(() => syntheticExamples(1, 8, 5)).toThrow(/vocabSize must exceed the special ids \(5\), got 5/);
  });
});

describe('syntheticBatch', () => {
  it('collates full rows, every token attended, with their labels and weight 1', () => {
    const batch = syntheticBatch(4, 8, 50);
    expect([batch.batchSize, batch.seqLen, batch.validRows]).toEqual([4, 8, 4]);
    expect(batch.inputIds.slice(0, 8)).toEqual(syntheticExamples(4, 8, 50)[0].inputIds);
    expect([...batch.attentionMask].every((m) => m === 1)).toBe(true);
    expect([...batch.labels!]).toEqual([0, 1, 0, 1]);
    expect([...batch.weights]).toEqual([1, 1, 1, 1]);
  });
});

describe('bench configs', () => {
  it('serve the bundled model from public/ at /, and give mini and base as BERT-Mini and bert-base', () => {
    expect(CONFIG_SOURCES.tiny).toEqual({ file: 'public/models/bert-tiny-en/config.json' });
    expect(servedPath('public/models/bert-tiny-en/config.json')).toBe('/models/bert-tiny-en/config.json');
    expect(servedPath('tools/reference/fixtures/base/config.json')).toBe('/tools/reference/fixtures/base/config.json');
    expect(CONFIG_SOURCES.mini).toMatchObject({ json: { hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024, vocab_size: 30522 } });
    expect(CONFIG_SOURCES.base).toMatchObject({ json: { hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, vocab_size: 30522 } });
  });
});
