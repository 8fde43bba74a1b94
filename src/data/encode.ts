/**
 * Tokenizes dataset rows into unpadded examples (padding happens per batch in batching.ts) and measures
 * token lengths before truncation, for the length histogram and the truncation rate.
 */
import type { ProgressCallback } from '../progress';
import type { Encoding, Tokenizer } from '../tokenizer/types';
import type { ColumnChoice } from './columns';
import { DataError, rowLabel } from './errors';
import { encodeLabel, type LabelSpace } from './labels';
import type { QaWindow } from './qa';
import type { CellValue, Row } from './parse';
import { quantile } from './stats';

/** One tokenized row, unpadded: every array has the example's token length. */
export interface EncodedExample {
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
  /** Word index unique across the whole example (the pair's words continue after the text's); -1 for specials. */
  wordIds: Int32Array;
  /** 1 for [CLS]/[SEP]/other special tokens. */
  specialMask: Uint8Array;
  /** Class id or regression target, when a label column and label space were given. */
  label?: number;
  /** Token classification: the tag id of each token, IGNORE_INDEX (-100) past a word's first token and on specials. */
  tokenLabels?: Int32Array;
  /** Question answering: this window of the question's context, its answer's token positions and offsets. */
  qa?: QaWindow;
  /** Index of the source row in the dataset's `rows`. */
  index: number;
}

export interface HistogramBin {
  /** Inclusive lower and exclusive upper token length. */
  start: number;
  end: number;
  count: number;
}

export interface TokenLengthStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  maxLength: number;
  /** Rows longer than maxLength, which lose tokens. */
  truncated: number;
  truncationRate: number;
  histogram: HistogramBin[];
}

export interface EncodeDatasetOptions {
  columns: Pick<ColumnChoice, 'text' | 'textPair' | 'label'>;
  /** Tokens per example including specials; at least 3 ([CLS] a [SEP], or room for a pair's second [SEP]). */
  maxLength: number;
  /** Give each example its label (needs `columns.label`). */
  labels?: LabelSpace;
  /** Which rows to encode (e.g. a split's train indices); default all rows in order. */
  rows?: readonly number[];
  /** Names the data in label errors, e.g. "validation". */
  where?: string;
  onProgress?: ProgressCallback;
  /** Report progress every this many rows (default 1000). */
  progressEvery?: number;
  signal?: AbortSignal;
  /**
   * Encodings of every row of the same dataset at a limit ≥ maxLength (with their full lengths): a row whose
   * full length fits maxLength is taken from here instead of being tokenized again.
   */
  reuse?: EncodedDataset;
}

export interface EncodedDataset {
  examples: EncodedExample[];
  /** Token length of each example before truncation, aligned with `examples`. */
  lengths: Int32Array;
  stats: TokenLengthStats;
}

const MIN_MAX_LENGTH = 3;

/** Rows are encoded once at this limit for the length report; runs reuse those encodings when they fit. */
export const FULL_ENCODING_LIMIT = 512;

/** A cell as the tokenizer reads it: a blank cell is empty text. */
export function cellText(value: CellValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

export function encodeDataset(
  dataset: { rows: readonly Row[] },
  tokenizer: Tokenizer,
  options: EncodeDatasetOptions,
): EncodedDataset {
  const { columns, maxLength, labels, where = 'training', onProgress, signal } = options;
  if (!Number.isInteger(maxLength) || maxLength < MIN_MAX_LENGTH) {
    throw new DataError('bad-option', `The maximum length must be an integer ≥ ${MIN_MAX_LENGTH}, got ${maxLength}.`);
  }
  if (labels && !columns.label) throw new DataError('bad-option', 'A label space was given without a label column.');
  const every = Math.max(1, options.progressEvery ?? 1000);
  const rows = options.rows ?? dataset.rows.map((_, i) => i);
  const examples: EncodedExample[] = [];
  const lengths = new Int32Array(rows.length);

  rows.forEach((index, k) => {
    const row = dataset.rows[index];
    if (row === undefined) throw new DataError('bad-option', `There is no ${rowLabel(index)} to encode.`);
    const reused = reuseRow(options.reuse, index, maxLength);
    const { example, fullLength } = reused ?? encodeText(
      tokenizer,
      cellText(row[columns.text]),
      columns.textPair === undefined ? undefined : cellText(row[columns.textPair]),
      maxLength,
      index,
    );
    if (labels && columns.label) example.label = encodeLabel(row[columns.label] ?? null, labels, index, where);
    examples.push(example);
    lengths[k] = fullLength;
    if ((k + 1) % every === 0) {
      signal?.throwIfAborted();
      onProgress?.({ stage: 'tokenize', loaded: k + 1, total: rows.length });
    }
  });
  onProgress?.({ stage: 'tokenize', loaded: rows.length, total: rows.length });
  return { examples, lengths, stats: tokenLengthStats(lengths, maxLength) };
}

function reuseRow(reuse: EncodedDataset | undefined, index: number, maxLength: number): { example: EncodedExample; fullLength: number } | null {
  if (!reuse || index >= reuse.examples.length) return null;
  const fullLength = reuse.lengths[index];
  const example = reuse.examples[index];
  if (fullLength > maxLength || example.index !== index) return null;
  return { example: { ...example, label: undefined }, fullLength };
}

/**
 * Encodes once without a limit to learn the full length, and again with the limit only when the text is
 * too long, so truncation (longest-first for pairs) stays the tokenizer's job.
 */
export function encodeText(
  tokenizer: Tokenizer,
  text: string,
  pair: string | undefined,
  maxLength: number,
  index: number,
): { example: EncodedExample; fullLength: number; encoding: Encoding } {
  const full = tokenizer.encode(text, pair);
  const fullLength = full.inputIds.length;
  const enc = fullLength > maxLength ? tokenizer.encode(text, pair, { maxLength }) : full;
  const n = enc.inputIds.length;
  const aligned = [enc.tokenTypeIds, enc.wordIds, enc.sequenceIds, enc.specialTokensMask].every((a) => a.length === n);
  if (!aligned || n > maxLength) {
    throw new DataError(
      'tokenizer',
      `The tokenizer returned inconsistent arrays for ${rowLabel(index)} (${n} ids, limit ${maxLength}).`,
      { row: index },
    );
  }
  // Pair words are numbered from 0 again by the tokenizer; shift them past the text's words so whole-word
  // masking never joins a text word with a pair word.
  let pairOffset = 0;
  for (let t = 0; t < n; t++) {
    const w = enc.wordIds[t];
    if (enc.sequenceIds[t] === 0 && w !== null) pairOffset = Math.max(pairOffset, w + 1);
  }
  const wordIds = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const w = enc.wordIds[t];
    wordIds[t] = w === null ? -1 : enc.sequenceIds[t] === 1 ? w + pairOffset : w;
  }
  return {
    example: {
      inputIds: Int32Array.from(enc.inputIds),
      tokenTypeIds: Int32Array.from(enc.tokenTypeIds),
      wordIds,
      specialMask: Uint8Array.from(enc.specialTokensMask),
      index,
    },
    fullLength,
    encoding: enc,
  };
}

/** The smallest 1/2/5 × 10^k width that covers `max` in at most `maxBins` bins. */
function binWidth(max: number, maxBins: number): number {
  for (let scale = 1; ; scale *= 10) {
    for (const step of [1, 2, 5]) {
      if (Math.ceil((max + 1) / (step * scale)) <= maxBins) return step * scale;
    }
  }
}

/**
 * Token lengths ascending, by counting: they are small non-negative integers, and the page recomputes these
 * stats whenever max length changes (a comparison sort of 200k lengths took 150 ms of its main thread).
 */
function sortLengths(lengths: ArrayLike<number>): Float64Array {
  let max = 0;
  for (let i = 0; i < lengths.length; i++) max = Math.max(max, lengths[i]);
  const counts = new Int32Array(max + 1);
  for (let i = 0; i < lengths.length; i++) counts[lengths[i]]++;
  const sorted = new Float64Array(lengths.length);
  let k = 0;
  for (let n = 0; n <= max; n++) sorted.fill(n, k, (k += counts[n]));
  return sorted;
}

export function tokenLengthStats(lengths: ArrayLike<number>, maxLength: number, maxBins = 32): TokenLengthStats {
  const sorted = sortLengths(lengths);
  const count = sorted.length;
  let sum = 0;
  let truncated = 0;
  for (const n of sorted) {
    sum += n;
    if (n > maxLength) truncated++;
  }
  const max = count > 0 ? sorted[count - 1] : 0;
  const width = binWidth(max, maxBins);
  const histogram: HistogramBin[] = Array.from({ length: Math.ceil((max + 1) / width) }, (_, i) => ({
    start: i * width,
    end: (i + 1) * width,
    count: 0,
  }));
  for (const n of sorted) histogram[Math.floor(n / width)].count++;
  return {
    count,
    min: count > 0 ? sorted[0] : 0,
    max,
    mean: count > 0 ? sum / count : 0,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    maxLength,
    truncated,
    truncationRate: count > 0 ? truncated / count : 0,
    histogram,
  };
}
