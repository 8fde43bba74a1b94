import { describe, expect, it } from 'vitest';
import type { AttentionMap } from '../../worker/protocol';
import {
  AttentionMapError,
  attentionRollout,
  attentionRollouts,
  checkAttentionMap,
  clampChoice,
  describeChoice,
  matMul,
  matrixFor,
  maxAbs,
  maxValue,
  meanOverHeads,
  project,
  rowNormalise,
  subtract,
  visibleTokens,
  type Matrix,
} from './attentionMath';

const attendFirst: Matrix = [
  [1, 0],
  [1, 0],
];
const attendSecond: Matrix = [
  [0, 1],
  [0, 1],
];

function expectClose(actual: Matrix, expected: Matrix): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 12)));
}

function map(attentions: number[][][][], tokens = ['[CLS]', 'hi', '[SEP]']): AttentionMap {
  return { tokens, offsets: tokens.map(() => [0, 0] as [number, number]), attentions };
}

/** A seeded row-stochastic [layers][heads][n][n] tensor. */
function randomAttentions(layers: number, heads: number, n: number): Matrix[][] {
  let seed = 7;
  const next = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  return Array.from({ length: layers }, () =>
    Array.from({ length: heads }, () => rowNormalise(Array.from({ length: n }, () => Array.from({ length: n }, next)))),
  );
}

describe('checkAttentionMap', () => {
  const identity3 = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];

  it('returns the dimensions of a well-formed map', () => {
    expect(checkAttentionMap(map([[identity3, identity3], [identity3, identity3]]))).toEqual({ layers: 2, heads: 2, tokens: 3 });
  });

  it.each([
    ['no tokens', map([], []), /no tokens/],
    ['no layers', map([]), /no layers/],
    ['a layer without heads', map([[]]), /layer 0 has no heads/],
    ['uneven head counts', map([[identity3, identity3], [identity3]]), /layer 1 has 1 heads, layer 0 has 2/],
    ['a missing row', map([[identity3.slice(0, 2)]]), /layer 0 head 0 has 2 rows for 3 tokens/],
    ['a short row', map([[[[1, 0, 0], [0, 1], [0, 0, 1]]]]), /layer 0 head 0 row 2 has 2 values for 3 tokens/],
    ['a NaN', map([[[[1, 0, 0], [0, NaN, 0], [0, 0, 1]]]]), /row 2 has a value that is not finite/],
  ])('rejects %s with an AttentionMapError', (_, bad, message) => {
    expect(() => checkAttentionMap(bad)).toThrow(AttentionMapError);
    expect(() => checkAttentionMap(bad)).toThrow(message);
  });

  it('rejects offsets that do not match the tokens', () => {
    const bad = { ...map([[identity3]]), offsets: [[0, 0]] as [number, number][] };
    expect(() => checkAttentionMap(bad)).toThrow(/1 offsets for 3 tokens/);
  });
});

describe('meanOverHeads', () => {
  it('averages elementwise', () => {
    expect(meanOverHeads([attendFirst, attendSecond])).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
  });

  it('rejects an empty list', () => {
    expect(() => meanOverHeads([])).toThrow(AttentionMapError);
  });
});

describe('rowNormalise', () => {
  it('makes rows sum to one and leaves zero rows at zero', () => {
    expect(rowNormalise([
      [1, 3],
      [0, 0],
    ])).toEqual([
      [0.25, 0.75],
      [0, 0],
    ]);
  });
});

describe('matMul', () => {
  it('multiplies rows by columns', () => {
    expect(matMul([
      [1, 2],
      [3, 4],
    ], [
      [5, 6],
      [7, 8],
    ])).toEqual([
      [19, 22],
      [43, 50],
    ]);
  });
});

describe('attentionRollout', () => {
  it('adds the residual, normalises and multiplies later layers on the left', () => {
    // Ã1 = [[1, 0], [.5, .5]], Ã2 = [[.5, .5], [0, 1]], R = Ã2 · Ã1
    const attentions = [[attendFirst], [attendSecond]];
    expectClose(attentionRollout(attentions, 0), [
      [1, 0],
      [0.5, 0.5],
    ]);
    expectClose(attentionRollout(attentions), [
      [0.75, 0.25],
      [0.5, 0.5],
    ]);
  });

  it('averages the heads of each layer first', () => {
    // mean = [[.5, .5], [.5, .5]] → Ã = [[.75, .25], [.25, .75]]
    expectClose(attentionRollout([[attendFirst, attendSecond]]), [
      [0.75, 0.25],
      [0.25, 0.75],
    ]);
  });

  it('keeps every row a distribution through many layers', () => {
    const rollout = attentionRollout(randomAttentions(4, 3, 5));
    for (const row of rollout) {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(Math.min(...row)).toBeGreaterThan(0);
    }
  });

  it('gives the rollout through each layer in one pass', () => {
    const [first, second] = attentionRollouts([[attendFirst], [attendSecond]]);
    expectClose(first, [
      [1, 0],
      [0.5, 0.5],
    ]);
    expectClose(second, [
      [0.75, 0.25],
      [0.5, 0.5],
    ]);
  });

  it('rejects a layer the model does not have', () => {
    expect(() => attentionRollout([[attendFirst]], 1)).toThrow(/no layer 1 to roll out through \(the model has 1\)/);
    expect(() => attentionRollout([[attendFirst]], -1)).toThrow(AttentionMapError);
  });
});

describe('matrixFor', () => {
  const attentions = [[attendFirst, attendSecond], [attendSecond, attendSecond]];

  it('picks a head, the mean of a layer or the rollout through it', () => {
    expect(matrixFor(attentions, { kind: 'head', layer: 0, head: 1 })).toBe(attendSecond);
    expect(matrixFor(attentions, { kind: 'mean', layer: 0 })).toEqual(meanOverHeads(attentions[0]));
    expect(matrixFor(attentions, { kind: 'rollout', layer: 1 })).toEqual(attentionRollout(attentions, 1));
  });

  it('names the missing layer or head', () => {
    expect(() => matrixFor(attentions, { kind: 'mean', layer: 2 })).toThrow(/no layer 2 \(the model has 2\)/);
    expect(() => matrixFor(attentions, { kind: 'head', layer: 0, head: 5 })).toThrow(/no head 5 in layer 0 \(it has 2\)/);
  });
});

describe('clampChoice and describeChoice', () => {
  const dims = { layers: 2, heads: 2, tokens: 4 };

  it('moves an out-of-range choice to the nearest one that exists', () => {
    expect(clampChoice({ kind: 'head', layer: 11, head: 11 }, dims)).toEqual({ kind: 'head', layer: 1, head: 1 });
    expect(clampChoice({ kind: 'rollout', layer: 5 }, dims)).toEqual({ kind: 'rollout', layer: 1 });
    expect(clampChoice({ kind: 'head', layer: 0, head: 1 }, dims)).toEqual({ kind: 'head', layer: 0, head: 1 });
  });

  it('counts from zero, as Hugging Face and the freeze map do', () => {
    expect(describeChoice({ kind: 'head', layer: 0, head: 1 })).toBe('Layer 0 · head 1');
    expect(describeChoice({ kind: 'mean', layer: 2 })).toBe('Layer 2 · mean of heads');
    expect(describeChoice({ kind: 'rollout', layer: 0 })).toBe('Rollout through layer 0');
  });
});

describe('hiding special tokens', () => {
  const tokens = ['[CLS]', 'play', '##ing', '[SEP]', '[PAD]'];
  const matrix: Matrix = [
    [0.2, 0.2, 0.2, 0.2, 0.2],
    [0.5, 0.1, 0.3, 0.1, 0],
    [0.6, 0.2, 0.2, 0, 0],
    [1, 0, 0, 0, 0],
    [0.2, 0.2, 0.2, 0.2, 0.2],
  ];

  it('keeps every token unless asked, and never hides [MASK] or word pieces', () => {
    expect(visibleTokens(tokens, false)).toEqual([0, 1, 2, 3, 4]);
    expect(visibleTokens(tokens, true)).toEqual([1, 2]);
    expect(visibleTokens(['[CLS]', '[MASK]', '[SEP]'], true)).toEqual([1]);
    expect(visibleTokens(['<s>', ' hi', '</s>', '<pad>'], true)).toEqual([1]);
  });

  it('takes the kept rows and columns, renormalising rows over the kept keys when asked', () => {
    expectClose(project(matrix, [1, 2], false), [
      [0.1, 0.3],
      [0.2, 0.2],
    ]);
    expectClose(project(matrix, [1, 2], true), [
      [0.25, 0.75],
      [0.5, 0.5],
    ]);
  });
});

describe('comparing maps', () => {
  it('subtracts elementwise and finds the scale ends', () => {
    const diff = subtract(attendFirst, attendSecond);
    expect(diff).toEqual([
      [1, -1],
      [1, -1],
    ]);
    expect(maxAbs(diff)).toBe(1);
    expect(maxValue([[-2, 0.25]], [[0.5]])).toBe(0.5);
    expect(maxValue([[-1]])).toBe(0);
  });

  it('refuses maps of different lengths', () => {
    expect(() => subtract(attendFirst, [[1]])).toThrow(/cannot compare 2 tokens with 1/);
  });
});
