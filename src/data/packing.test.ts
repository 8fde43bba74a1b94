import { describe, expect, it } from 'vitest';
import { encodeDataset } from './encode';
import { countPackedSequences, documentIds, packExamples, planPacking } from './packing';
import { fakeTokenizer } from './testing';

const tok = fakeTokenizer();
const encode = (texts: string[]) =>
  encodeDataset({ rows: texts.map((text) => ({ text })) }, tok, { columns: { text: 'text' }, maxLength: 512 }).examples;
const tokens = (ids: Int32Array) => [...ids].map((id) => tok.idToToken(id));

describe('documentIds', () => {
  it('numbers the blocks of a TXT file, else gives every row its own document', () => {
    expect([...documentIds(5, [['a', 'b'], ['c'], ['d', 'e']])]).toEqual([0, 0, 1, 2, 2]);
    expect([...documentIds(3)]).toEqual([0, 1, 2]);
  });

  it('refuses documents that do not cover the rows', () => {
    expect(() => documentIds(3, [['a']])).toThrow(/cover 1 lines, the dataset has 3 rows/);
  });
});

describe('packExamples', () => {
  // [CLS] hel ##lo wor ##ld [SEP] / [CLS] a b [SEP] / [CLS] pla ##yin ##g [SEP]
  const rows = encode(['hello world', 'a b', 'playing']);

  it('joins consecutive rows of one document into one [CLS] … [SEP] sequence', () => {
    const [packed, ...rest] = packExamples(rows, [0, 0, 0], 16, tok.special);
    expect(rest).toEqual([]);
    expect(tokens(packed.inputIds)).toEqual(['[CLS]', 'hel', '##lo', 'wor', '##ld', 'a', 'b', 'pla', '##yin', '##g', '[SEP]']);
    expect([...packed.wordIds]).toEqual([-1, 0, 0, 1, 1, 2, 3, 4, 4, 4, -1]);
    expect([...packed.specialMask]).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect([...packed.tokenTypeIds]).toEqual(new Array(11).fill(0));
    expect(packed.index).toBe(0);
  });

  it('never joins rows of different documents', () => {
    const packed = packExamples(rows, [0, 1, 1], 16, tok.special);
    expect(packed.map((p) => tokens(p.inputIds))).toEqual([
      ['[CLS]', 'hel', '##lo', 'wor', '##ld', '[SEP]'],
      ['[CLS]', 'a', 'b', 'pla', '##yin', '##g', '[SEP]'],
    ]);
    expect(packed.map((p) => p.index)).toEqual([0, 1]);
  });

  it('starts a new sequence for a row that does not fit, keeping it whole', () => {
    const packed = packExamples(rows, [0, 0, 0], 8, tok.special);
    expect(packed.map((p) => tokens(p.inputIds))).toEqual([
      ['[CLS]', 'hel', '##lo', 'wor', '##ld', 'a', 'b', '[SEP]'],
      ['[CLS]', 'pla', '##yin', '##g', '[SEP]'],
    ]);
    expect(packed.map((p) => p.index)).toEqual([0, 2]);
  });

  it('cuts a row longer than a sequence into pieces instead of dropping its tail', () => {
    const packed = packExamples(encode(['hello world playing']), [0], 5, tok.special);
    expect(packed.map((p) => tokens(p.inputIds))).toEqual([
      ['[CLS]', 'hel', '##lo', 'wor', '[SEP]'],
      ['[CLS]', '##ld', 'pla', '##yin', '[SEP]'],
      ['[CLS]', '##g', '[SEP]'],
    ]);
    expect(packed.map((p) => [...p.wordIds])).toEqual([[-1, 0, 0, 1, -1], [-1, 0, 1, 1, -1], [-1, 0, -1]]);
    const content = packed.flatMap((p) => tokens(p.inputIds).slice(1, -1));
    expect(content).toEqual(tokens(encode(['hello world playing'])[0].inputIds).slice(1, -1));
  });

  it('skips empty rows and refuses a length without room for content', () => {
    expect(packExamples(encode(['', 'a']), [0, 0], 8, tok.special).map((p) => tokens(p.inputIds))).toEqual([['[CLS]', 'a', '[SEP]']]);
    expect(() => packExamples(rows, [0, 0, 0], 2, tok.special)).toThrow(/max length ≥ 3/);
  });
});

describe('planPacking', () => {
  it('places whole rows while they fit, cuts a row longer than a sequence, and keeps documents apart', () => {
    // Budget 4 content tokens per sequence (maxLength 6).
    expect(planPacking([2, 1, 3, 0, 9, 1], [0, 0, 0, 0, 0, 1], 6)).toEqual([
      [{ row: 0, start: 0, end: 2 }, { row: 1, start: 0, end: 1 }],
      [{ row: 2, start: 0, end: 3 }],
      [{ row: 4, start: 0, end: 4 }],
      [{ row: 4, start: 4, end: 8 }],
      [{ row: 4, start: 8, end: 9 }],
      [{ row: 5, start: 0, end: 1 }],
    ]);
  });
});

describe('countPackedSequences', () => {
  const texts = ['hello world', 'a b', 'playing', '', 'hello world playing a b hello world playing'];
  const encoded = encodeDataset({ rows: texts.map((text) => ({ text })) }, tok, { columns: { text: 'text' }, maxLength: 512 });

  it('counts the sequences packExamples makes, from the untruncated lengths alone', () => {
    for (const documents of [[0, 0, 0, 0, 0], [0, 1, 1, 2, 2], [0, 1, 2, 3, 4]]) {
      for (const maxLength of [3, 5, 8, 16, 64]) {
        const packed = packExamples(encoded.examples, documents, maxLength, tok.special);
        expect(countPackedSequences(encoded.lengths, documents, maxLength), `${documents} at ${maxLength}`).toBe(packed.length);
      }
    }
  });

  it('cuts rows at the encoding limit first, as they are encoded for packing', () => {
    // 600 tokens: encoded at 512, the 88 beyond are lost; at max length 600 the whole row is kept.
    expect(countPackedSequences([600], [0], 128)).toBe(Math.ceil(510 / 126));
    expect(countPackedSequences([600], [0], 600)).toBe(1);
  });
});
