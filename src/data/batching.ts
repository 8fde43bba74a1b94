/**
 * Length-bucketed batches with dynamic padding to a few fixed lengths. The WebGPU backend keeps a pooled
 * buffer for every tensor shape it has seen, so shapes must repeat: sequence lengths come from
 * BUCKET_LENGTHS (capped at maxLength), and every batch has exactly `batchSize` rows — a short last batch is
 * filled with padding rows whose `weights` entry is 0, so losses and metrics must weight rows by `weights`
 * (or use `validRows`).
 *
 * Planning (which rows, which length) is separate from collating (building the typed arrays), so an epoch of
 * a large dataset is materialized one batch at a time.
 */
import type { LabelKind } from './columns';
import type { EncodedExample } from './encode';
import { DataError } from './errors';
import type { QaWindow } from './qa';
import { createRng } from './random';

export const BUCKET_LENGTHS: readonly number[] = [16, 32, 64, 128, 256, 512];

/** Row-major [batchSize, seqLen] arrays. */
export interface Batch {
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
  /** 1 for real tokens. A padding row attends only to its position 0, so no attention row is all masked. */
  attentionMask: Int32Array;
  batchSize: number;
  seqLen: number;
  /** [batchSize]: class ids (Int32Array) or regression targets (Float32Array); 0 on padding rows. */
  labels?: Int32Array | Float32Array;
  /** Source row (`EncodedExample.index`) of each real row, in batch order. */
  indices: number[];
  /** Real rows come first; rows from `validRows` on are padding. */
  validRows: number;
  /** [batchSize]: 1 for real rows, 0 for padding rows. */
  weights: Float32Array;
  /** [batchSize, seqLen] whole-word ids, -1 on specials and padding; only with `includeWordIds` (for MLM). */
  wordIds?: Int32Array;
  /** Token classification: [batchSize, seqLen] tag ids, 0 where `tokenWeights` is 0. */
  tokenLabels?: Int32Array;
  /**
   * Token classification: [batchSize, seqLen], 1 on each word's first token, 0 on its other tokens, specials and
   * padding. The loss is the mean over these, so their sum is what a batch weighs (not `weights`).
   */
  tokenWeights?: Float32Array;
  /** Question answering: [batchSize] token positions of each row's answer start and end (0 on padding rows). */
  startPositions?: Int32Array;
  endPositions?: Int32Array;
  /** Question answering: each real row's window, for mapping its logits back to the context. */
  windows?: QaWindow[];
}

/** Which examples (positions in the examples array) form a batch, and the length they are padded to. */
export interface BatchPlan {
  rows: number[];
  seqLen: number;
}

export interface PlanOptions {
  batchSize: number;
  maxLength: number;
  /** Shuffle examples and batch order, seeded per epoch (default true; false for evaluation). */
  shuffle?: boolean;
  seed?: number;
  epoch?: number;
}

export interface CollateOptions {
  batchSize: number;
  padId: number;
  /** 'numeric' gives Float32Array labels (regression); default 'categorical' (Int32Array). */
  labelKind?: LabelKind;
  includeWordIds?: boolean;
  /** Fill a short batch with padding rows up to batchSize (default true). */
  padRows?: boolean;
}

/** The bucket lengths below maxLength, then maxLength itself. */
export function bucketLengths(maxLength: number): number[] {
  return [...BUCKET_LENGTHS.filter((b) => b < maxLength), maxLength];
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new DataError('bad-option', `The batch size must be a positive integer, got ${batchSize}.`);
  }
}

/**
 * Groups examples by bucket, shortest bucket first. A bucket's leftover rows (fewer than a batch) move up
 * into the next bucket instead of forming a partial batch, so an epoch has at most one partial batch.
 */
export function planBatches(examples: readonly Pick<EncodedExample, 'inputIds'>[], options: PlanOptions): BatchPlan[] {
  const { batchSize, maxLength, shuffle = true, seed = 0, epoch = 0 } = options;
  checkBatchSize(batchSize);
  const buckets = bucketLengths(maxLength);
  const order = examples.map((_, i) => i);
  const rng = createRng(seed).fork(`batches:${epoch}`);
  if (shuffle) rng.shuffle(order);

  const byBucket: number[][] = buckets.map(() => []);
  for (const i of order) {
    const n = examples[i].inputIds.length;
    const b = buckets.findIndex((len) => n <= len);
    if (b < 0) throw new DataError('bad-option', `Example ${i} has ${n} tokens, more than maxLength ${maxLength}.`);
    byBucket[b].push(i);
  }
  const plans: BatchPlan[] = [];
  let carry: number[] = [];
  byBucket.forEach((rows, b) => {
    const pending = carry.concat(rows);
    const full = pending.length - (pending.length % batchSize);
    for (let start = 0; start < full; start += batchSize) {
      plans.push({ rows: pending.slice(start, start + batchSize), seqLen: buckets[b] });
    }
    carry = pending.slice(full);
    if (b === buckets.length - 1 && carry.length > 0) {
      const longest = Math.max(...carry.map((i) => examples[i].inputIds.length));
      plans.push({ rows: carry, seqLen: buckets[buckets.findIndex((len) => longest <= len)] });
    }
  });
  return shuffle ? rng.shuffle(plans) : plans;
}

export function collate(examples: readonly EncodedExample[], plan: BatchPlan, options: CollateOptions): Batch {
  const { padId, labelKind = 'categorical', includeWordIds = false, padRows = true } = options;
  checkBatchSize(options.batchSize);
  const { seqLen } = plan;
  const validRows = plan.rows.length;
  if (validRows > options.batchSize) {
    throw new DataError('bad-option', `A plan of ${validRows} rows does not fit a batch of ${options.batchSize}.`);
  }
  const batchSize = padRows ? options.batchSize : validRows;
  const labeled = plan.rows.filter((i) => examples[i].label !== undefined).length;
  if (labeled !== 0 && labeled !== validRows) {
    throw new DataError('bad-option', 'Some examples in a batch have labels and some do not.');
  }

  const inputIds = new Int32Array(batchSize * seqLen).fill(padId); // [batch, seq]
  const tokenTypeIds = new Int32Array(batchSize * seqLen); // [batch, seq]
  const attentionMask = new Int32Array(batchSize * seqLen); // [batch, seq]
  const wordIds = includeWordIds ? new Int32Array(batchSize * seqLen).fill(-1) : undefined; // [batch, seq]
  const weights = new Float32Array(batchSize); // [batch]
  const labels =
    labeled === 0 ? undefined : labelKind === 'numeric' ? new Float32Array(batchSize) : new Int32Array(batchSize);
  const tagged = plan.rows.filter((i) => examples[i].tokenLabels !== undefined).length;
  if (tagged !== 0 && tagged !== validRows) throw new DataError('bad-option', 'Some examples in a batch have tags and some do not.');
  const tokenLabels = tagged === 0 ? undefined : new Int32Array(batchSize * seqLen); // [batch, seq]
  const tokenWeights = tagged === 0 ? undefined : new Float32Array(batchSize * seqLen); // [batch, seq]
  const answered = plan.rows.filter((i) => examples[i].qa !== undefined).length;
  if (answered !== 0 && answered !== validRows) throw new DataError('bad-option', 'Some examples in a batch are question windows and some are not.');
  const startPositions = answered === 0 ? undefined : new Int32Array(batchSize); // [batch]
  const endPositions = answered === 0 ? undefined : new Int32Array(batchSize); // [batch]

  plan.rows.forEach((i, r) => {
    const ex = examples[i];
    const n = ex.inputIds.length;
    if (n > seqLen) throw new DataError('bad-option', `Example ${i} has ${n} tokens, more than the batch's ${seqLen}.`);
    const at = r * seqLen;
    inputIds.set(ex.inputIds, at);
    tokenTypeIds.set(ex.tokenTypeIds, at);
    attentionMask.fill(1, at, at + n);
    wordIds?.set(ex.wordIds, at);
    weights[r] = 1;
    if (labels) labels[r] = ex.label as number;
    ex.tokenLabels?.forEach((tag, t) => {
      if (tag < 0) return;
      tokenLabels![at + t] = tag;
      tokenWeights![at + t] = 1;
    });
    if (startPositions && endPositions) [startPositions[r], endPositions[r]] = [ex.qa!.startPosition, ex.qa!.endPosition];
  });
  for (let r = validRows; r < batchSize; r++) attentionMask[r * seqLen] = 1;

  const batch: Batch = {
    inputIds,
    tokenTypeIds,
    attentionMask,
    batchSize,
    seqLen,
    indices: plan.rows.map((i) => examples[i].index),
    validRows,
    weights,
  };
  if (labels) batch.labels = labels;
  if (wordIds) batch.wordIds = wordIds;
  if (tokenLabels && tokenWeights) Object.assign(batch, { tokenLabels, tokenWeights });
  if (startPositions && endPositions) Object.assign(batch, { startPositions, endPositions, windows: plan.rows.map((i) => examples[i].qa!) });
  return batch;
}

/**
 * What a batch's loss is a mean over, summed: its tokenWeights for token classification, else its row weights (a
 * masked-LM loss is a mean over the masked batch's maskedWeights instead). Parts of a batch weigh by this.
 */
export function lossWeight(batch: Pick<Batch, 'weights' | 'tokenWeights'>): number {
  return (batch.tokenWeights ?? batch.weights).reduce((sum, w) => sum + w, 0);
}

/** One epoch's batches, built lazily. */
export function* epochBatches(
  examples: readonly EncodedExample[],
  options: PlanOptions & CollateOptions,
): Generator<Batch, void, undefined> {
  for (const plan of planBatches(examples, options)) yield collate(examples, plan, options);
}

/**
 * A batch cut into `parts` batches of consecutive rows, each of ceil(batchSize / parts) rows (the last one padded
 * with weight-0 rows to that size, so every part has one shape from step to step). Real rows come first in a batch,
 * so a short batch leaves its last parts with padding only (weight 0). For data parallelism (train/parallel.ts).
 */
export function splitRows(batch: Batch, parts: number, padId: number): Batch[] {
  if (!Number.isInteger(parts) || parts < 1) throw new DataError('bad-option', `parts must be a whole number >= 1, got ${parts}`);
  const rows = Math.ceil(batch.batchSize / parts);
  const { seqLen } = batch;
  const cut = <T extends Int32Array | Float32Array>(values: T, first: number, fill = 0): T => {
    const perRow = values.length / batch.batchSize;
    const out = new (values.constructor as new (n: number) => T)(rows * perRow);
    out.fill(fill);
    out.set(values.subarray(first * perRow, Math.min(first + rows, batch.batchSize) * perRow));
    return out;
  };
  return Array.from({ length: parts }, (_, k) => {
    const first = k * rows;
    const validRows = Math.max(0, Math.min(rows, batch.validRows - first));
    const attentionMask = cut(batch.attentionMask, first);
    // Rows past the batch's end become padding rows as collate makes them: attending to position 0 only.
    for (let r = Math.max(0, batch.batchSize - first); r < rows; r++) attentionMask[r * seqLen] = 1;
    const part: Batch = {
      inputIds: cut(batch.inputIds, first, padId),
      tokenTypeIds: cut(batch.tokenTypeIds, first),
      attentionMask,
      batchSize: rows,
      seqLen,
      indices: batch.indices.slice(first, first + validRows),
      validRows,
      weights: cut(batch.weights, first),
    };
    if (batch.labels) part.labels = cut(batch.labels, first);
    if (batch.wordIds) part.wordIds = cut(batch.wordIds, first, -1);
    if (batch.tokenLabels && batch.tokenWeights) Object.assign(part, { tokenLabels: cut(batch.tokenLabels, first), tokenWeights: cut(batch.tokenWeights, first) });
    if (batch.startPositions && batch.endPositions) {
      Object.assign(part, { startPositions: cut(batch.startPositions, first), endPositions: cut(batch.endPositions, first), windows: batch.windows?.slice(first, first + validRows) });
    }
    return part;
  });
}
