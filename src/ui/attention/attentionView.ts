/**
 * What each attention view draws, derived from the engine's two maps (current and pretrained weights) and
 * the user's choices. Components memoise these and only paint.
 */
import type { AttentionMap } from '../../worker/protocol';
import {
  AttentionMapError,
  attentionRollouts,
  checkAttentionMap,
  matrixFor,
  maxAbs,
  maxValue,
  meanOverHeads,
  project,
  subtract,
  visibleTokens,
  type AttentionDims,
  type HeadChoice,
  type Matrix,
} from './attentionMath';

/** Which weights the views show: the model as it is now, the checkpoint it started from, or both. */
export type WeightsView = 'current' | 'pretrained' | 'compare';
export type Weights = 'current' | 'pretrained';

/** Both maps checked, with the rollouts through every layer computed once. */
export interface PreparedAttention {
  dims: AttentionDims;
  tokens: string[];
  attentions: Record<Weights, Matrix[][]>;
  rollouts: Record<Weights, Matrix[]>;
}

export function prepareAttention(maps: Record<Weights, AttentionMap>): PreparedAttention {
  const dims = checkAttentionMap(maps.current);
  const other = checkAttentionMap(maps.pretrained);
  if (other.layers !== dims.layers || other.heads !== dims.heads) {
    throw new AttentionMapError(
      `the pretrained model has ${other.layers} layers × ${other.heads} heads, the current one ${dims.layers} × ${dims.heads}`,
    );
  }
  if (maps.pretrained.tokens.join('\u0000') !== maps.current.tokens.join('\u0000')) {
    throw new AttentionMapError('the pretrained and current maps are for different tokens');
  }
  return {
    dims,
    tokens: maps.current.tokens,
    attentions: { current: maps.current.attentions, pretrained: maps.pretrained.attentions },
    rollouts: { current: attentionRollouts(maps.current.attentions), pretrained: attentionRollouts(maps.pretrained.attentions) },
  };
}

/** The token indices on screen: hiding [CLS]/[SEP]/[PAD] of a text that has nothing else shows everything. */
export function shownTokens(tokens: readonly string[], hideSpecial: boolean): { keep: number[]; renormalise: boolean } {
  const visible = visibleTokens(tokens, hideSpecial);
  if (visible.length === 0 || visible.length === tokens.length) return { keep: tokens.map((_, i) => i), renormalise: false };
  return { keep: visible, renormalise: true };
}

export interface HeatmapView {
  tokens: string[];
  current: Matrix;
  pretrained: Matrix;
  /** current − pretrained. */
  difference: Matrix;
  /** Top of the shared sequential scale, so the two maps are coloured alike. */
  max: number;
  /** Ends of the diverging scale of the difference. */
  maxDifference: number;
}

/** The large heatmaps: the chosen matrix under both weights and their difference, over the shown tokens. */
export function heatmapView(prepared: PreparedAttention, choice: HeadChoice, hideSpecial: boolean): HeatmapView {
  const { keep, renormalise } = shownTokens(prepared.tokens, hideSpecial);
  const pick = (weights: Weights): Matrix =>
    project(matrixFor(prepared.attentions[weights], choice, prepared.rollouts[weights]), keep, renormalise);
  const current = pick('current');
  const pretrained = pick('pretrained');
  const difference = subtract(current, pretrained);
  return {
    tokens: keep.map((i) => prepared.tokens[i]),
    current,
    pretrained,
    difference,
    max: maxValue(current, pretrained),
    maxDifference: maxAbs(difference),
  };
}

/** The model view's thumbnails: for each layer, each head, then the mean of the heads, then the rollout. */
export function modelGrid(prepared: PreparedAttention, weights: Weights, hideSpecial: boolean): Matrix[][] {
  const { keep, renormalise } = shownTokens(prepared.tokens, hideSpecial);
  return prepared.attentions[weights].map((heads, layer) =>
    [...heads, meanOverHeads(heads), prepared.rollouts[weights][layer]].map((m) => project(m, keep, renormalise)),
  );
}

/** The matrices the head view draws: every head of the chosen layer, or just the chosen matrix. */
export function headViewMatrices(
  prepared: PreparedAttention,
  weights: Weights,
  choice: HeadChoice,
  allHeads: boolean,
  hideSpecial: boolean,
): Matrix[] {
  const { keep, renormalise } = shownTokens(prepared.tokens, hideSpecial);
  const matrices = allHeads
    ? prepared.attentions[weights][choice.layer]
    : [matrixFor(prepared.attentions[weights], choice, prepared.rollouts[weights])];
  return matrices.map((m) => project(m, keep, renormalise));
}

/** One line of the head view: query token `from` (left) attends to key token `to` (right). */
export interface HeadLine {
  /** Index into the matrices drawn (the head, when all heads are drawn). */
  series: number;
  from: number;
  to: number;
  weight: number;
}

/**
 * The head view's lines, weakest first so the strong ones are drawn on top. Weights under `minWeight` are
 * left out (they would be invisible), and only the `maxLines` strongest are kept: a long text has
 * tokens² lines per head, more than an SVG redraws smoothly on hover.
 */
export function headViewLines(matrices: readonly Matrix[], minWeight = 0.02, maxLines = 4000): HeadLine[] {
  const lines: HeadLine[] = [];
  matrices.forEach((matrix, series) =>
    matrix.forEach((row, from) =>
      row.forEach((weight, to) => {
        if (weight >= minWeight) lines.push({ series, from, to, weight });
      }),
    ),
  );
  lines.sort((a, b) => a.weight - b.weight);
  return lines.slice(Math.max(0, lines.length - maxLines));
}

/** The hover/keyboard readout of one heatmap cell: "play → ##ing: 0.231" (signed for differences). */
export function cellReadout(tokens: readonly string[], matrix: Matrix, row: number, col: number, signed: boolean): string {
  const value = matrix[row]?.[col];
  if (value === undefined || tokens[row] === undefined || tokens[col] === undefined) return '';
  const number = value.toFixed(3);
  return `${tokens[row]} → ${tokens[col]}: ${signed && value >= 0 ? '+' : ''}${number}`;
}

/** The model view's column of a choice: heads first, then the mean, then the rollout (see modelGrid). */
export function gridColumn(choice: HeadChoice, heads: number): number {
  switch (choice.kind) {
    case 'head':
      return choice.head;
    case 'mean':
      return heads;
    case 'rollout':
      return heads + 1;
  }
}

/** The choice behind a model-view cell (inverse of gridColumn). */
export function choiceAt(layer: number, column: number, heads: number): HeadChoice {
  if (column < heads) return { kind: 'head', layer, head: column };
  return column === heads ? { kind: 'mean', layer } : { kind: 'rollout', layer };
}

/** The keys a query attends to most, averaged over the matrices drawn: [{ key, weight }], strongest first. */
export function strongestKeys(matrices: readonly Matrix[], query: number, count: number): { key: number; weight: number }[] {
  if (matrices.length === 0 || !matrices[0][query]) return [];
  return matrices[0][query]
    .map((_, key) => ({ key, weight: matrices.reduce((sum, m) => sum + m[query][key], 0) / matrices.length }))
    .sort((a, b) => b.weight - a.weight || a.key - b.key)
    .slice(0, count);
}

/** Below this, current and pretrained attention are the same numbers computed twice. */
const UNCHANGED = 1e-6;

/** Whether any head of `layer` attends differently under the current weights than under the pretrained ones. */
export function layerChanged(prepared: PreparedAttention, layer: number): boolean {
  return prepared.attentions.current[layer].some((head, h) => maxAbs(subtract(head, prepared.attentions.pretrained[layer][h])) > UNCHANGED);
}

/**
 * What compare mode says about the chosen layer: measured, not assumed from the freeze map, since a frozen layer
 * still attends differently when a layer below it trained. `frozen`: the layers frozen at the last run's last
 * step (null when no run has been seen); `fineTuned`: whether a run has changed the weights.
 */
export function compareNote(prepared: PreparedAttention, layer: number, frozen: ReadonlySet<number> | null, fineTuned: boolean): string | null {
  const changed = prepared.attentions.current.map((_, l) => layerChanged(prepared, l));
  const wasFrozen = frozen?.has(layer) ?? false;
  if (!changed.some(Boolean)) {
    return fineTuned
      ? 'No layer attends differently from the pretrained weights: the runs so far changed only what sits above the encoder (the head or the pooler).'
      : 'The current weights still equal the pretrained ones: fine-tune, then compare.';
  }
  if (!changed[layer]) {
    return wasFrozen
      ? `Layer ${layer} was frozen and its attention did not change: no layer below it trained either.`
      : `Layer ${layer}'s attention did not change.`;
  }
  if (wasFrozen) return `Layer ${layer} was frozen, yet its attention changed: layers below it trained, so its input did.`;
  return null;
}
