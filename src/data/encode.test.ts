import { describe, expect, it } from 'vitest';
import type { Progress } from '../progress';
import type { Tokenizer } from '../tokenizer/types';
import { encodeDataset, tokenLengthStats } from './encode';
import { buildLabelSpace } from './labels';
import { expectDataError, fakeTokenizer } from './testing';

const rows = [
  { text: 'hello world', other: 'ok', label: 'pos' },
  { text: 'playing', other: 'a b', label: 'neg' },
  { text: null, other: 'x', label: 'pos' },
];

describe('encodeDataset', () => {
  it('encodes single texts with specials marked and word ids -1 on specials', () => {
    const tok = fakeTokenizer();
    const { examples, lengths } = encodeDataset({ rows }, tok, { columns: { text: 'text' }, maxLength: 16 });
    const [first, second, empty] = examples;
    // [CLS] hel ##lo wor ##ld [SEP]
    const tokens = [...first.inputIds].map((id) => tok.idToToken(id));
    expect(tokens).toEqual(['[CLS]', 'hel', '##lo', 'wor', '##ld', '[SEP]']);
    expect([...first.wordIds]).toEqual([-1, 0, 0, 1, 1, -1]);
    expect([...first.specialMask]).toEqual([1, 0, 0, 0, 0, 1]);
    expect([...first.tokenTypeIds]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(first.inputIds).toBeInstanceOf(Int32Array);
    expect(second.index).toBe(1);
    expect([...empty.inputIds]).toEqual([tok.special.cls, tok.special.sep]);
    expect([...lengths]).toEqual([6, 5, 2]);
    expect(first.label).toBeUndefined();
  });

  it('numbers pair words after the text words and sets token types', () => {
    const { examples } = encodeDataset({ rows }, fakeTokenizer(), {
      columns: { text: 'text', textPair: 'other' },
      maxLength: 16,
    });
    // [CLS] pla ##yin ##g [SEP] a b [SEP]
    expect([...examples[1].wordIds]).toEqual([-1, 0, 0, 0, -1, 1, 2, -1]);
    expect([...examples[1].tokenTypeIds]).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
  });

  it('truncates to maxLength, keeps the full length, and counts truncation', () => {
    const { examples, lengths, stats } = encodeDataset({ rows }, fakeTokenizer(), {
      columns: { text: 'text' },
      maxLength: 4,
    });
    expect(examples.map((e) => e.inputIds.length)).toEqual([4, 4, 2]);
    expect(examples[0].wordIds[3]).toBe(-1);
    expect([...lengths]).toEqual([6, 5, 2]);
    expect(stats.truncated).toBe(2);
    expect(stats.truncationRate).toBeCloseTo(2 / 3);
  });

  it('attaches labels, encodes a subset of rows, and names the data in label errors', () => {
    const space = buildLabelSpace(['neg', 'pos'], 'categorical');
    const { examples } = encodeDataset({ rows }, fakeTokenizer(), {
      columns: { text: 'text', label: 'label' },
      maxLength: 8,
      labels: space,
      rows: [2, 0],
    });
    expect(examples.map((e) => [e.index, e.label])).toEqual([
      [2, 1],
      [0, 1],
    ]);
    const odd = [{ text: 'a', label: 'meh' }];
    const options = { columns: { text: 'text', label: 'label' }, maxLength: 8, labels: space, where: 'validation' };
    const err = expectDataError(() => encodeDataset({ rows: odd }, fakeTokenizer(), options), 'unknown-label');
    expect(err.message).toMatch(/validation data has label "meh" in row 1/);
  });

  it('reports progress every N rows and at the end, and stops when aborted', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ text: `row ${i}` }));
    const events: Progress[] = [];
    encodeDataset({ rows: many }, fakeTokenizer(), {
      columns: { text: 'text' },
      maxLength: 8,
      progressEvery: 3,
      onProgress: (p) => events.push(p),
    });
    expect(events).toEqual([
      { stage: 'tokenize', loaded: 3, total: 7 },
      { stage: 'tokenize', loaded: 6, total: 7 },
      { stage: 'tokenize', loaded: 7, total: 7 },
    ]);
    const controller = new AbortController();
    controller.abort();
    expect(() =>
      encodeDataset({ rows: many }, fakeTokenizer(), {
        columns: { text: 'text' },
        maxLength: 8,
        progressEvery: 3,
        signal: controller.signal,
      }),
    ).toThrow(/abort/i);
  });

  it('rejects bad options and a tokenizer that returns ragged arrays', () => {
    const opts = { columns: { text: 'text' }, maxLength: 8 };
    expectDataError(() => encodeDataset({ rows }, fakeTokenizer(), { ...opts, maxLength: 2 }), 'bad-option');
    expectDataError(() => encodeDataset({ rows }, fakeTokenizer(), { ...opts, maxLength: 8.5 }), 'bad-option');
    const space = buildLabelSpace(['neg', 'pos'], 'categorical');
    expectDataError(() => encodeDataset({ rows }, fakeTokenizer(), { ...opts, labels: space }), 'bad-option');
    expectDataError(() => encodeDataset({ rows }, fakeTokenizer(), { ...opts, rows: [5] }), 'bad-option');
    const real = fakeTokenizer();
    const broken: Tokenizer = { ...real, encode: (t, p, o) => ({ ...real.encode(t, p, o), wordIds: [null] }) };
    expect(expectDataError(() => encodeDataset({ rows }, broken, opts), 'tokenizer').row).toBe(0);
  });
});

describe('tokenLengthStats', () => {
  it('gives quantiles, a histogram covering every length, and the truncation rate', () => {
    const lengths = [3, 5, 7, 9, 11, 13, 15, 17, 19, 100];
    const s = tokenLengthStats(lengths, 16);
    expect([s.count, s.min, s.max, s.mean]).toEqual([10, 3, 100, 19.9]);
    expect(s.p50).toBeCloseTo(12);
    expect(s.p90).toBeCloseTo(27.1);
    expect([s.truncated, s.truncationRate]).toEqual([3, 0.3]);
    expect(s.histogram.reduce((n, b) => n + b.count, 0)).toBe(10);
    expect(s.histogram.length).toBeLessThanOrEqual(32);
    // Width 5 covers 0..100 in 21 bins; 100 lands in the last.
    expect(s.histogram[0]).toEqual({ start: 0, end: 5, count: 1 });
    expect(s.histogram.at(-1)).toEqual({ start: 100, end: 105, count: 1 });
  });

  it('handles no rows', () => {
    const s = tokenLengthStats([], 16);
    expect([s.count, s.max, s.mean, s.truncationRate]).toEqual([0, 0, 0, 0]);
    expect(s.histogram).toEqual([{ start: 0, end: 1, count: 0 }]);
  });
});
