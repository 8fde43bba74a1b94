import { describe, expect, it } from 'vitest';
import { type SequenceTokens, assemble, bertTemplate, longestFirst, truncate } from './encoding';

/** HF's original one-token-at-a-time longest_first loop, as the reference. */
function loop(lengthA: number, lengthB: number, remove: number): [number, number] {
  let a = lengthA;
  let b = lengthB;
  for (let i = 0; i < remove; i++) {
    if (a > b) a--;
    else b--;
  }
  return [a, b];
}

function seq(n: number, base = 10): SequenceTokens {
  return {
    ids: Array.from({ length: n }, (_, i) => base + i),
    tokens: Array.from({ length: n }, (_, i) => `t${base + i}`),
    offsets: Array.from({ length: n }, (_, i) => [i, i + 1] as [number, number]),
    wordIds: Array.from({ length: n }, (_, i) => i),
    special: Array<number>(n).fill(0),
  };
}

const template = bertTemplate({ id: 2, token: '[CLS]' }, { id: 3, token: '[SEP]' }, { id: 0, token: '[PAD]' });

describe('longestFirst', () => {
  it('matches the one-token-at-a-time loop for every small case', () => {
    for (let a = 0; a <= 9; a++) {
      for (let b = 0; b <= 9; b++) {
        for (let remove = 0; remove <= a + b; remove++) expect([a, b, remove, ...longestFirst(a, b, remove)]).toEqual([a, b, remove, ...loop(a, b, remove)]);
      }
    }
  });
});

describe('truncate', () => {
  it('cuts a single sequence to maxLength - 2', () => {
    const [a, b] = truncate(seq(10), undefined, 5, template);
    expect(a.ids).toEqual([10, 11, 12]);
    expect(a.offsets).toHaveLength(3);
    expect(b).toBeUndefined();
  });

  it('leaves sequences that fit untouched', () => {
    const a = seq(2);
    const b = seq(2, 20);
    expect(truncate(a, b, 7, template)).toEqual([a, b]);
  });

  it('cuts a pair to maxLength - 3, longest first', () => {
    const [a, b] = truncate(seq(6), seq(2, 20), 8, template);
    expect(a.ids).toEqual([10, 11, 12]);
    expect(b?.ids).toEqual([20, 21]);
  });
});

describe('assemble', () => {
  it('adds [CLS]/[SEP] around one sequence and pads to padTo', () => {
    const e = assemble(seq(2), undefined, template, 6);
    expect(e.inputIds).toEqual([2, 10, 11, 3, 0, 0]);
    expect(e.attentionMask).toEqual([1, 1, 1, 1, 0, 0]);
    expect(e.specialTokensMask).toEqual([1, 0, 0, 1, 1, 1]);
    expect(e.sequenceIds).toEqual([null, 0, 0, null, null, null]);
    expect(e.tokens).toEqual(['[CLS]', 't10', 't11', '[SEP]', '[PAD]', '[PAD]']);
  });

  it('marks the pair and its closing [SEP] with token type 1', () => {
    const e = assemble(seq(1), seq(1, 20), template, undefined);
    expect(e.inputIds).toEqual([2, 10, 3, 20, 3]);
    expect(e.tokenTypeIds).toEqual([0, 0, 0, 1, 1]);
    expect(e.sequenceIds).toEqual([null, 0, null, 1, null]);
    expect(e.offsets).toEqual([[0, 0], [0, 1], [0, 0], [0, 1], [0, 0]]);
  });
});
