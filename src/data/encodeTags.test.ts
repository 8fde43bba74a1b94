import { describe, expect, it } from 'vitest';
import { collate, lossWeight } from './batching';
import { alignTags, encodeTagged, joinWords } from './encodeTags';
import { IGNORE_INDEX } from './masking';
import { expectDataError, fakeTokenizer } from './testing';

const X = IGNORE_INDEX;

describe('alignTags', () => {
  it('labels the first token of each word and ignores the rest and the specials', () => {
    // "U.S. rejects" as BERT splits it: [CLS] u . s . rejects [SEP] — one word, four tokens, then one.
    const { text, starts } = joinWords(['U.S.', 'rejects']);
    expect(text).toBe('U.S. rejects');
    const encoding = {
      offsets: [[0, 0], [0, 1], [1, 2], [2, 3], [3, 4], [5, 12], [0, 0]] as [number, number][],
      sequenceIds: [null, 0, 0, 0, 0, 0, null] as (0 | null)[],
    };
    expect([...alignTags(encoding, starts, [3, 0])]).toEqual([X, 3, X, X, X, 0, X]);
  });
});

describe('encodeTagged', () => {
  const rows = [{ text: 'Ada Lovelace wrote', tags: 'B-PER I-PER O' }, { text: 'Rome', tags: 'B-LOC' }];
  const id2label = ['O', 'B-LOC', 'B-PER', 'I-PER'];

  it('aligns word tags to sub-tokens, truncating with the text', () => {
    const tok = fakeTokenizer();
    const [first, second] = encodeTagged({ rows }, tok, { maxLength: 16, id2label, rows: [0, 1] });
    // [CLS] Ada Lov ##ela ##ce wro ##te [SEP]
    expect([...first.inputIds].map((id) => tok.idToToken(id))).toEqual(['[CLS]', 'Ada', 'Lov', '##ela', '##ce', 'wro', '##te', '[SEP]']);
    expect([...first.tokenLabels!]).toEqual([X, 2, 3, X, X, 0, X, X]);
    expect([...second.tokenLabels!]).toEqual([X, 1, X, X]); // [CLS] Rom ##e [SEP]
    const [cut] = encodeTagged({ rows }, tok, { maxLength: 4, id2label, rows: [0] });
    expect([...cut.tokenLabels!]).toEqual([X, 2, 3, X]);
  });

  it('refuses a validation tag the training data lacks', () => {
    expect(expectDataError(() => encodeTagged({ rows }, fakeTokenizer(), { maxLength: 16, id2label: ['O', 'B-PER', 'I-PER'], rows: [1], where: 'validation' }), 'unknown-label').message)
      .toBe('The validation data has tag "B-LOC" in row 2, which the training data does not have.');
  });

  it('collates [batch, seq] tag ids and weights: 1 on first tokens only, 0 on padding rows', () => {
    const examples = encodeTagged({ rows }, fakeTokenizer(), { maxLength: 16, id2label, rows: [0, 1] });
    const batch = collate(examples, { rows: [1, 0], seqLen: 8 }, { batchSize: 3, padId: 0 });
    expect([...batch.tokenWeights!]).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, ...new Array(8).fill(0)]);
    expect([...batch.tokenLabels!].slice(0, 16)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 3, 0, 0, 0, 0, 0]);
    expect(batch.labels).toBeUndefined();
    // A part of a batch weighs by its tagged words (1 + 3), not its rows.
    expect(lossWeight(batch)).toBe(4);
    expect(lossWeight({ weights: batch.weights })).toBe(2);
  });
});
