import { describe, expect, it } from 'vitest';
import type { AttentionMap } from '../../worker/protocol';
import { AttentionMapError, attentionRollout, meanOverHeads, type Matrix } from './attentionMath';
import {
  cellReadout,
  choiceAt,
  compareNote,
  gridColumn,
  headViewLines,
  headViewMatrices,
  heatmapView,
  modelGrid,
  prepareAttention,
  shownTokens,
  strongestKeys,
} from './attentionView';

const tokens = ['[CLS]', 'hi', 'there', '[SEP]'];

function uniform(n: number): Matrix {
  return Array.from({ length: n }, () => new Array<number>(n).fill(1 / n));
}

/** Every query attends to one key. */
function onto(key: number, n = 4): Matrix {
  return Array.from({ length: n }, () => Array.from({ length: n }, (_, k) => (k === key ? 1 : 0)));
}

function attentionMap(attentions: Matrix[][], mapTokens = tokens): AttentionMap {
  return { tokens: mapTokens, offsets: mapTokens.map(() => [0, 0] as [number, number]), attentions };
}

// current: 2 layers × 2 heads; pretrained: the same shape, all uniform.
const current = attentionMap([
  [onto(0), onto(1)],
  [onto(2), uniform(4)],
]);
const pretrained = attentionMap([
  [uniform(4), uniform(4)],
  [uniform(4), uniform(4)],
]);

describe('prepareAttention', () => {
  it('checks both maps and rolls each out through every layer', () => {
    const prepared = prepareAttention({ current, pretrained });
    expect(prepared.dims).toEqual({ layers: 2, heads: 2, tokens: 4 });
    expect(prepared.rollouts.current).toHaveLength(2);
    expect(prepared.rollouts.current[1]).toEqual(attentionRollout(current.attentions, 1));
  });

  it('refuses maps of different models or texts', () => {
    const oneLayer = attentionMap([[uniform(4), uniform(4)]]);
    expect(() => prepareAttention({ current, pretrained: oneLayer })).toThrow(/pretrained model has 1 layers × 2 heads, the current one 2 × 2/);
    const otherText = attentionMap(pretrained.attentions, ['[CLS]', 'bye', 'there', '[SEP]']);
    expect(() => prepareAttention({ current, pretrained: otherText })).toThrow(/different tokens/);
    expect(() => prepareAttention({ current, pretrained: attentionMap([]) })).toThrow(AttentionMapError);
  });
});

describe('shownTokens', () => {
  it('hides specials and asks for renormalised rows', () => {
    expect(shownTokens(tokens, true)).toEqual({ keep: [1, 2], renormalise: true });
    expect(shownTokens(tokens, false)).toEqual({ keep: [0, 1, 2, 3], renormalise: false });
  });

  it('shows everything when nothing but specials is left or nothing is hidden', () => {
    expect(shownTokens(['[CLS]', '[SEP]'], true)).toEqual({ keep: [0, 1], renormalise: false });
    expect(shownTokens(['a', 'b'], true)).toEqual({ keep: [0, 1], renormalise: false });
  });
});

describe('heatmapView', () => {
  const prepared = prepareAttention({ current, pretrained });

  it('shows the chosen head under both weights with their difference on shared scales', () => {
    const view = heatmapView(prepared, { kind: 'head', layer: 0, head: 1 }, false);
    expect(view.tokens).toEqual(tokens);
    expect(view.current).toEqual(onto(1));
    expect(view.pretrained).toEqual(uniform(4));
    expect(view.difference[0]).toEqual([-0.25, 0.75, -0.25, -0.25]);
    expect(view.max).toBe(1);
    expect(view.maxDifference).toBe(0.75);
  });

  it('renormalises rows over the tokens left when specials are hidden', () => {
    const view = heatmapView(prepared, { kind: 'mean', layer: 0 }, true);
    expect(view.tokens).toEqual(['hi', 'there']);
    // layer 0 mean: half onto [CLS], half onto "hi" → only "hi" is left
    expect(view.current).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(view.pretrained).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
  });

  it('takes the rollout over all tokens before hiding any', () => {
    const full = heatmapView(prepared, { kind: 'rollout', layer: 1 }, false);
    const hidden = heatmapView(prepared, { kind: 'rollout', layer: 1 }, true);
    const row = full.current[1].slice(1, 3);
    const sum = row[0] + row[1];
    expect(hidden.current[0][0]).toBeCloseTo(row[0] / sum, 12);
    expect(hidden.current[0][1]).toBeCloseTo(row[1] / sum, 12);
  });

  it('reports no difference when the weights are the pretrained ones', () => {
    const same = prepareAttention({ current: pretrained, pretrained });
    expect(heatmapView(same, { kind: 'head', layer: 1, head: 0 }, false).maxDifference).toBe(0);
  });
});

describe('modelGrid and headViewMatrices', () => {
  const prepared = prepareAttention({ current, pretrained });

  it('lays out each layer as its heads, their mean and the rollout', () => {
    const grid = modelGrid(prepared, 'current', false);
    expect(grid).toHaveLength(2);
    expect(grid[1]).toHaveLength(4);
    expect(grid[1][0]).toEqual(onto(2));
    expect(grid[1][2]).toEqual(meanOverHeads([onto(2), uniform(4)]));
    expect(grid[1][3]).toEqual(prepared.rollouts.current[1]);
    expect(modelGrid(prepared, 'pretrained', true)[0][0]).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
  });

  it('gives every head of the layer, or only the chosen matrix', () => {
    expect(headViewMatrices(prepared, 'current', { kind: 'head', layer: 0, head: 1 }, true, false)).toEqual([onto(0), onto(1)]);
    expect(headViewMatrices(prepared, 'current', { kind: 'head', layer: 0, head: 1 }, false, false)).toEqual([onto(1)]);
    expect(headViewMatrices(prepared, 'current', { kind: 'mean', layer: 1 }, false, true)).toHaveLength(1);
  });
});

describe('headViewLines', () => {
  it('keeps weights above the threshold, tagged by matrix, weakest first', () => {
    const lines = headViewLines([
      [
        [0.9, 0.1],
        [0.01, 0.99],
      ],
      [
        [0.5, 0.5],
        [0, 1],
      ],
    ], 0.05);
    expect(lines.map((l) => l.weight)).toEqual([0.1, 0.5, 0.5, 0.9, 0.99, 1]);
    expect(lines.at(-1)).toEqual({ series: 1, from: 1, to: 1, weight: 1 });
    expect(lines.some((l) => l.weight === 0.01)).toBe(false);
  });

  it('keeps only the strongest lines past the cap', () => {
    const lines = headViewLines([uniform(4), onto(2)], 0.02, 3);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.weight === 1 && l.series === 1 && l.to === 2)).toBe(true);
  });

  it('draws nothing for no matrices', () => {
    expect(headViewLines([])).toEqual([]);
  });
});

describe('cellReadout', () => {
  const matrix = [
    [0.25, 0.75],
    [-0.1, 0],
  ];

  it('names the query and key tokens and the value', () => {
    expect(cellReadout(['play', '##ing'], matrix, 0, 1, false)).toBe('play → ##ing: 0.750');
  });

  it('signs differences', () => {
    expect(cellReadout(['play', '##ing'], matrix, 1, 0, true)).toBe('##ing → play: -0.100');
    expect(cellReadout(['play', '##ing'], matrix, 1, 1, true)).toBe('##ing → ##ing: +0.000');
  });

  it('says nothing for a cell outside the map', () => {
    expect(cellReadout(['play', '##ing'], matrix, 2, 0, false)).toBe('');
    expect(cellReadout(['play'], matrix, 0, 1, false)).toBe('');
  });
});

describe('gridColumn and choiceAt', () => {
  it('puts heads first, then the mean, then the rollout, and maps back', () => {
    const choices = [
      { kind: 'head', layer: 1, head: 0 },
      { kind: 'head', layer: 1, head: 2 },
      { kind: 'mean', layer: 1 },
      { kind: 'rollout', layer: 1 },
    ] as const;
    expect(choices.map((c) => gridColumn(c, 3))).toEqual([0, 2, 3, 4]);
    for (const choice of choices) expect(choiceAt(1, gridColumn(choice, 3), 3)).toEqual(choice);
  });
});

describe('strongestKeys', () => {
  it('averages the matrices and ranks the keys, ties by position', () => {
    const a = [[0.6, 0.4, 0]];
    const b = [[0.2, 0.4, 0.4]];
    expect(strongestKeys([a, b], 0, 2)).toEqual([
      { key: 0, weight: 0.4 },
      { key: 1, weight: 0.4 },
    ]);
  });

  it('gives nothing for a query that is not there', () => {
    expect(strongestKeys([[[1]]], 3, 2)).toEqual([]);
    expect(strongestKeys([], 0, 2)).toEqual([]);
  });
});

describe('compareNote', () => {
  const same = attentionMap([
    [uniform(4), uniform(4)],
    [uniform(4), uniform(4)],
  ]);
  // Layer 0 unchanged, layer 1 changed.
  const upper = prepareAttention({ current: attentionMap([[uniform(4), uniform(4)], [onto(2), uniform(4)]]), pretrained });

  it('says when nothing has changed, before and after fine-tuning', () => {
    const unchanged = prepareAttention({ current: same, pretrained });
    expect(compareNote(unchanged, 0, null, false)).toMatch(/still equal the pretrained ones/);
    expect(compareNote(unchanged, 1, new Set([0, 1]), true)).toMatch(/changed only what sits above the encoder/);
  });

  it('measures the chosen layer rather than trusting the freeze map', () => {
    expect(compareNote(upper, 0, new Set([0]), true)).toBe('Layer 0 was frozen and its attention did not change: no layer below it trained either.');
    expect(compareNote(upper, 0, new Set(), true)).toBe("Layer 0's attention did not change.");
    expect(compareNote(upper, 1, new Set([1]), true)).toBe('Layer 1 was frozen, yet its attention changed: layers below it trained, so its input did.');
    expect(compareNote(upper, 1, new Set([0]), true)).toBeNull();
  });
});
