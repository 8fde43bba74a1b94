/**
 * The arithmetic behind the attention views: pick a head, average the heads, roll attention out across
 * layers, hide special tokens, compare two maps. Pure functions over plain arrays, so the views only draw.
 */
import type { AttentionMap } from '../../worker/protocol';

/** A square attention matrix, [query][key]; each row is one query token's distribution over the keys. */
export type Matrix = number[][];

/** What the large heatmap and the head view show for the selected layer. */
export type HeadChoice =
  | { kind: 'head'; layer: number; head: number }
  | { kind: 'mean'; layer: number }
  /** Abnar & Zuidema's rollout from the embeddings through this layer. */
  | { kind: 'rollout'; layer: number };

export interface AttentionDims {
  layers: number;
  heads: number;
  tokens: number;
}

/** An attention map whose arrays do not fit together; the message names the first mismatch. */
export class AttentionMapError extends Error {
  constructor(message: string) {
    super(`Attention map: ${message}`);
    this.name = 'AttentionMapError';
  }
}

/** Checks that `map` is [layers][heads][tokens][tokens] of finite numbers with one offset per token. */
export function checkAttentionMap(map: AttentionMap): AttentionDims {
  const tokens = map.tokens.length;
  if (tokens === 0) throw new AttentionMapError('no tokens');
  if (map.offsets.length !== tokens) {
    throw new AttentionMapError(`${map.offsets.length} offsets for ${tokens} tokens`);
  }
  const layers = map.attentions.length;
  if (layers === 0) throw new AttentionMapError('no layers');
  const heads = map.attentions[0].length;
  if (heads === 0) throw new AttentionMapError('layer 0 has no heads');
  map.attentions.forEach((layer, l) => {
    if (layer.length !== heads) {
      throw new AttentionMapError(`layer ${l} has ${layer.length} heads, layer 0 has ${heads}`);
    }
    layer.forEach((matrix, h) => {
      const where = `layer ${l} head ${h}`;
      if (matrix.length !== tokens) throw new AttentionMapError(`${where} has ${matrix.length} rows for ${tokens} tokens`);
      matrix.forEach((row, q) => {
        if (row.length !== tokens) {
          throw new AttentionMapError(`${where} row ${q + 1} has ${row.length} values for ${tokens} tokens`);
        }
        if (!row.every(Number.isFinite)) throw new AttentionMapError(`${where} row ${q + 1} has a value that is not finite`);
      });
    });
  });
  return { layers, heads, tokens };
}

/** Elementwise mean of same-sized matrices (the heads of one layer). */
export function meanOverHeads(heads: readonly Matrix[]): Matrix {
  if (heads.length === 0) throw new AttentionMapError('no heads to average');
  const n = heads[0].length;
  return Array.from({ length: n }, (_, q) =>
    Array.from({ length: n }, (_, k) => heads.reduce((sum, head) => sum + head[q][k], 0) / heads.length),
  );
}

/** Each row divided by its sum, so rows are distributions again; an all-zero row stays zero. */
export function rowNormalise(matrix: Matrix): Matrix {
  return matrix.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return sum > 0 ? row.map((v) => v / sum) : row.map(() => 0);
  });
}

/** a · b for square matrices: (a·b)[i][j] = Σ_m a[i][m] b[m][j]. */
export function matMul(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const out: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < n; m++) {
      const aim = a[i][m];
      if (aim === 0) continue;
      for (let j = 0; j < n; j++) out[i][j] += aim * b[m][j];
    }
  }
  return out;
}

/**
 * Attention rollout (Abnar & Zuidema 2020) through every layer: each layer's head-averaged attention plus
 * the residual connection, Ã = rownorm(0.5·A + 0.5·I), multiplied from the first layer up, R_l = Ã_l · R_(l−1).
 * Row q of R_l says how much of each input token flows into token q's representation after layer l.
 */
export function attentionRollouts(attentions: readonly Matrix[][]): Matrix[] {
  const rollouts: Matrix[] = [];
  for (const layer of attentions) {
    const mean = meanOverHeads(layer);
    const withResidual = rowNormalise(mean.map((row, q) => row.map((v, k) => 0.5 * v + (q === k ? 0.5 : 0))));
    const previous = rollouts.at(-1);
    rollouts.push(previous ? matMul(withResidual, previous) : withResidual);
  }
  return rollouts;
}

/** The rollout through one layer (0-based), R = Ã_layer · … · Ã_1. */
export function attentionRollout(attentions: readonly Matrix[][], throughLayer = attentions.length - 1): Matrix {
  if (throughLayer < 0 || throughLayer >= attentions.length) {
    throw new AttentionMapError(`no layer ${throughLayer} to roll out through (the model has ${attentions.length})`);
  }
  return attentionRollouts(attentions.slice(0, throughLayer + 1))[throughLayer];
}

/**
 * The matrix a choice names, from [layer][head][query][key] attentions; pass `rollouts` (from
 * attentionRollouts) when they are already computed.
 */
export function matrixFor(attentions: readonly Matrix[][], choice: HeadChoice, rollouts?: readonly Matrix[]): Matrix {
  const layer = attentions[choice.layer];
  if (!layer) throw new AttentionMapError(`no layer ${choice.layer} (the model has ${attentions.length})`);
  switch (choice.kind) {
    case 'head': {
      const head = layer[choice.head];
      if (!head) throw new AttentionMapError(`no head ${choice.head} in layer ${choice.layer} (it has ${layer.length})`);
      return head;
    }
    case 'mean':
      return meanOverHeads(layer);
    case 'rollout':
      return rollouts?.[choice.layer] ?? attentionRollout(attentions, choice.layer);
  }
}

/** A choice moved inside `dims` (e.g. after a smaller model replaced the one it was made for). */
export function clampChoice(choice: HeadChoice, dims: AttentionDims): HeadChoice {
  const layer = Math.min(Math.max(choice.layer, 0), dims.layers - 1);
  if (choice.kind === 'head') return { kind: 'head', layer, head: Math.min(Math.max(choice.head, 0), dims.heads - 1) };
  return { kind: choice.kind, layer };
}

/**
 * "Layer 1 · head 0", "Layer 1 · mean of heads", "Rollout through layer 1": numbered from 0 as Hugging Face numbers
 * them (`encoder.layer.0` is the bottom, `attentions[layer][:, head]`), as the freeze map does.
 */
export function describeChoice(choice: HeadChoice): string {
  switch (choice.kind) {
    case 'head':
      return `Layer ${choice.layer} · head ${choice.head}`;
    case 'mean':
      return `Layer ${choice.layer} · mean of heads`;
    case 'rollout':
      return `Rollout through layer ${choice.layer}`;
  }
}

/** The tokens hidden by the "hide special tokens" toggle: BERT's, and RoBERTa's / XLM-R's. */
export const HIDDEN_SPECIAL_TOKENS: ReadonlySet<string> = new Set(['[CLS]', '[SEP]', '[PAD]', '<s>', '</s>', '<pad>']);

/** Indices of the tokens to show: all, or all but [CLS]/[SEP]/[PAD]. */
export function visibleTokens(tokens: readonly string[], hideSpecial: boolean): number[] {
  return tokens.flatMap((token, i) => (hideSpecial && HIDDEN_SPECIAL_TOKENS.has(token) ? [] : [i]));
}

/**
 * The rows and columns of `keep`; with `renormalise`, each row is rescaled to sum to 1 over the kept keys,
 * i.e. the query's attention redistributed as if the hidden tokens were not there.
 */
export function project(matrix: Matrix, keep: readonly number[], renormalise: boolean): Matrix {
  const sub = keep.map((q) => keep.map((k) => matrix[q][k]));
  return renormalise ? rowNormalise(sub) : sub;
}

/** a − b elementwise (fine-tuned minus pretrained). */
export function subtract(a: Matrix, b: Matrix): Matrix {
  if (a.length !== b.length) throw new AttentionMapError(`cannot compare ${a.length} tokens with ${b.length}`);
  return a.map((row, q) => row.map((v, k) => v - b[q][k]));
}

/** Largest value, at least 0 (the top of a sequential colour scale). */
export function maxValue(...matrices: Matrix[]): number {
  let max = 0;
  for (const m of matrices) for (const row of m) for (const v of row) if (v > max) max = v;
  return max;
}

/** Largest absolute value (the ends of a diverging colour scale). */
export function maxAbs(matrix: Matrix): number {
  let max = 0;
  for (const row of matrix) for (const v of row) if (Math.abs(v) > max) max = Math.abs(v);
  return max;
}
