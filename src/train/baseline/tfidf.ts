/**
 * TF-IDF features over hashed word 1–2-grams and character 3–5-grams (analyzers.ts). The same numbers as
 * scikit-learn's
 *
 *   FeatureUnion([make_pipeline(HashingVectorizer(analyzer, n_features=2**bits, alternate_sign=False, norm=None),
 *                               TfidfTransformer()) for analyzer in (word 1–2, char_wb 3–5)])
 *
 * value = count × idf with idf = ln((1 + n) / (1 + df)) + 1 (smooth_idf) over the n fitted rows, then each
 * analyzer's block of a row scaled to unit L2 norm; the word block is hashed columns [0, 2^bits), the
 * character block the next 2^bits. Hashing keeps memory fixed whatever the vocabulary, and needs no vocabulary
 * pass. The fitted matrix keeps only the hashed columns some fitted row has, renumbered in order: a linear
 * model on it carries no weight that no row could move (such weights stay 0 under an L2 penalty anyway).
 * Within a row, entries are in the order their n-grams first occur, not sorted.
 */
import { charWbNgrams, wordNgrams, type ColumnSink } from './analyzers';
import { SparseBuilder, type SparseMatrix, type SparseRow } from './sparse';

export interface TfidfOptions {
  /** Each analyzer hashes into 2^bits columns. */
  bits: number;
  /** Rows are taken in order until the next would take the matrix past this many stored values. */
  maxNonZeros: number;
}

export interface TfidfVectorizer {
  /** Hashed columns per analyzer (2^bits). */
  blockSize: number;
  /** Per hashed column of both blocks; columns no fitted row had get ln(1 + n) + 1, as sklearn's do. */
  idf: Float64Array;
  /** The hashed column of each feature (each column of the fitted matrix), ascending. */
  features: Int32Array;
  /** Hashed column → feature, or -1 for a column no fitted row had. */
  featureOf: Int32Array;
}

export interface TfidfFit {
  vectorizer: TfidfVectorizer;
  /**
   * One row per fitted text, over vectorizer.features: the first `matrix.numRows` texts (fewer than given when
   * the budget ran out).
   */
  matrix: SparseMatrix;
}

/** Rows between two reports of progress, so a caller can yield to its event loop. */
const ROWS_PER_REPORT = 256;

/**
 * Counts a text's hashed n-grams in a dense scratch row and lists the columns it touched, in the order first
 * seen. Everything per row lives in reused scratch arrays: at a few hundred n-grams a row, allocating (or
 * sorting, or TypedArray.set) per row cost more than the hashing itself.
 */
class RowCounter {
  private readonly dense: Int32Array;
  /** The last counted row: columns[0, size) and their counts. */
  columns = new Int32Array(1024);
  counts = new Float32Array(1024);
  size = 0;
  private readonly sinks: [ColumnSink, ColumnSink];

  constructor(readonly blockSize: number) {
    this.dense = new Int32Array(2 * blockSize);
    const add = (column: number): void => {
      if (this.dense[column]++ > 0) return;
      if (this.size === this.columns.length) this.columns = grown(this.columns, new Int32Array(this.size * 2));
      this.columns[this.size++] = column;
    };
    this.sinks = [add, (column) => add(column + blockSize)];
  }

  count(text: string): void {
    this.size = 0;
    wordNgrams(text, this.blockSize, this.sinks[0]);
    charWbNgrams(text, this.blockSize, this.sinks[1]);
    if (this.counts.length < this.size) this.counts = new Float32Array(this.columns.length);
    const { columns, counts, dense } = this;
    for (let i = 0; i < this.size; i++) {
      counts[i] = dense[columns[i]];
      dense[columns[i]] = 0;
    }
  }
}

function grown<T extends Int32Array | Float32Array>(old: T, next: T): T {
  for (let i = 0; i < old.length; i++) next[i] = old[i];
  return next;
}

/**
 * Counts → count × idf, each block scaled to unit L2 norm (a block with no n-gram stays all zero), written
 * to `out` (which may be `counts` itself).
 */
function weigh(
  columns: Int32Array,
  counts: Float32Array,
  size: number,
  vectorizer: Pick<TfidfVectorizer, 'blockSize' | 'idf'>,
  out: Float32Array | Float64Array,
): void {
  const { blockSize, idf } = vectorizer;
  let wordSquares = 0;
  let charSquares = 0;
  for (let i = 0; i < size; i++) {
    const value = counts[i] * idf[columns[i]];
    out[i] = value;
    if (columns[i] < blockSize) wordSquares += value * value;
    else charSquares += value * value;
  }
  const wordScale = wordSquares > 0 ? 1 / Math.sqrt(wordSquares) : 0;
  const charScale = charSquares > 0 ? 1 / Math.sqrt(charSquares) : 0;
  for (let i = 0; i < size; i++) out[i] *= columns[i] < blockSize ? wordScale : charScale;
}

/**
 * Fits the IDF on `texts` (taken in order, within the budget) and returns their TF-IDF rows. A generator: it
 * yields the number of texts read every few hundred rows, so the caller can yield to its event loop.
 */
export function* fitTfidf(texts: readonly string[], options: TfidfOptions): Generator<number, TfidfFit> {
  const blockSize = 2 ** options.bits;
  const counter = new RowCounter(blockSize);
  const counted = new SparseBuilder(2 * blockSize);
  const df = new Int32Array(2 * blockSize);
  // The row loops run in plain functions: V8 does not optimise loops in a generator's own body.
  for (let start = 0; start < texts.length; start += ROWS_PER_REPORT) {
    if (start > 0) yield start;
    const end = Math.min(texts.length, start + ROWS_PER_REPORT);
    if (!countRows(texts, start, end, counter, counted, df, options.maxNonZeros)) break;
  }
  const matrix = counted.build();
  const n = matrix.numRows;
  const idf = Float64Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
  weighRows(matrix, { blockSize, idf });
  const { features, featureOf } = renumber(matrix, df);
  return { vectorizer: { blockSize, idf, features, featureOf }, matrix: { ...matrix, numColumns: features.length } };
}

/** Renumbers the matrix's hashed columns to features (the columns some row has, in column order), in place. */
function renumber(matrix: SparseMatrix, df: Int32Array): Pick<TfidfVectorizer, 'features' | 'featureOf'> {
  const featureOf = new Int32Array(df.length);
  let count = 0;
  for (let column = 0; column < df.length; column++) featureOf[column] = df[column] > 0 ? count++ : -1;
  const features = new Int32Array(count);
  for (let column = 0; column < df.length; column++) if (featureOf[column] >= 0) features[featureOf[column]] = column;
  const { indices } = matrix;
  for (let p = 0; p < indices.length; p++) indices[p] = featureOf[indices[p]];
  return { features, featureOf };
}

/** Adds the counts of texts[start, end) and their document frequencies; false once the budget is reached. */
function countRows(
  texts: readonly string[],
  start: number,
  end: number,
  counter: RowCounter,
  counted: SparseBuilder,
  df: Int32Array,
  maxNonZeros: number,
): boolean {
  for (let r = start; r < end; r++) {
    counter.count(texts[r]);
    const { columns, counts, size } = counter;
    if (r > 0 && counted.nonZeros + size > maxNonZeros) return false;
    for (let i = 0; i < size; i++) df[columns[i]] += 1;
    counted.addRow(columns, counts, size);
  }
  return true;
}

/** Counts → TF-IDF values, in place. */
function weighRows(matrix: SparseMatrix, vectorizer: Pick<TfidfVectorizer, 'blockSize' | 'idf'>): void {
  const { indptr, indices, values } = matrix;
  for (let r = 0; r < matrix.numRows; r++) {
    const [start, end] = [indptr[r], indptr[r + 1]];
    const row = values.subarray(start, end);
    weigh(indices.subarray(start, end), row, end - start, vectorizer, row);
  }
}

/**
 * TF-IDF rows of more texts under a fitted vectorizer, one text at a time, over its features. N-grams no fitted
 * row had still count towards the row's norms, as in sklearn, but are left out of the row: no model weighs
 * them. The row returned is scratch space, valid until the next call.
 */
export function tfidfTransformer(vectorizer: TfidfVectorizer): (text: string) => SparseRow {
  const counter = new RowCounter(vectorizer.blockSize);
  let columns = new Int32Array(1024);
  let values = new Float64Array(1024);
  return (text) => {
    counter.count(text);
    if (values.length < counter.size) [columns, values] = [new Int32Array(counter.columns.length), new Float64Array(counter.columns.length)];
    weigh(counter.columns, counter.counts, counter.size, vectorizer, values);
    const size = keepFeatures(counter.columns, values, counter.size, vectorizer.featureOf, columns);
    return { columns: columns.subarray(0, size), values: values.subarray(0, size) };
  };
}

/** Moves the entries whose column is a feature to the front, renumbered into `out`; returns how many. */
function keepFeatures(hashed: Int32Array, values: Float64Array, size: number, featureOf: Int32Array, out: Int32Array): number {
  let kept = 0;
  for (let i = 0; i < size; i++) {
    const feature = featureOf[hashed[i]];
    if (feature < 0) continue;
    out[kept] = feature;
    values[kept++] = values[i];
  }
  return kept;
}
