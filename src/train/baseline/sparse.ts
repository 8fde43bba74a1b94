/**
 * Sparse rows in CSR layout and the two products a linear model needs: scores X·W and gradients Xᵀ·V, for
 * `width` outputs per row (1 for binary logistic and ridge, one per class for multinomial). Dense matrices are
 * row-major with `width` columns: W[column * width + k], V[row * width + k].
 */

export interface SparseMatrix {
  numRows: number;
  numColumns: number;
  /** Row r's entries are indptr[r] ..< indptr[r + 1]. */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** One row on its own: ascending columns and their values. */
export interface SparseRow {
  columns: Int32Array;
  values: Float64Array;
}

/** Appends rows to arrays that double as they fill, so the row count need not be known in advance. */
export class SparseBuilder {
  private indptr: number[] = [0];
  private indices = new Int32Array(1024);
  private values = new Float32Array(1024);

  constructor(private readonly numColumns: number) {}

  get nonZeros(): number {
    return this.indptr[this.indptr.length - 1];
  }

  get numRows(): number {
    return this.indptr.length - 1;
  }

  /** Appends the first `size` entries of `indices` and `values` as one row. */
  addRow(indices: Int32Array, values: Float32Array, size: number): void {
    const start = this.nonZeros;
    const end = start + size;
    if (end > this.indices.length) {
      const capacity = Math.max(end, this.indices.length * 2);
      this.indices = copyInto(this.indices, new Int32Array(capacity), start);
      this.values = copyInto(this.values, new Float32Array(capacity), start);
    }
    // Plain loops: TypedArray.prototype.set costs microseconds a call in V8, more than a short row's copy.
    copyInto(indices, this.indices, size, start);
    copyInto(values, this.values, size, start);
    this.indptr.push(end);
  }

  /** The rows so far, as views of the builder's arrays (no copy: the builder must not be used afterwards). */
  build(): SparseMatrix {
    const nnz = this.nonZeros;
    return {
      numRows: this.numRows,
      numColumns: this.numColumns,
      indptr: Int32Array.from(this.indptr),
      indices: this.indices.subarray(0, nnz),
      values: this.values.subarray(0, nnz),
    };
  }
}

/** out[r, k] = Σ_j X[r, j] · W[j, k]  (out: [numRows, width], overwritten). */
export function multiply(x: SparseMatrix, w: Float64Array, width: number, out: Float64Array): void {
  const { indptr, indices, values } = x;
  for (let r = 0; r < x.numRows; r++) {
    const end = indptr[r + 1];
    if (width === 1) {
      let sum = 0;
      for (let p = indptr[r]; p < end; p++) sum += values[p] * w[indices[p]];
      out[r] = sum;
      continue;
    }
    const row = r * width;
    for (let k = 0; k < width; k++) out[row + k] = 0;
    for (let p = indptr[r]; p < end; p++) {
      const v = values[p];
      const col = indices[p] * width;
      for (let k = 0; k < width; k++) out[row + k] += v * w[col + k];
    }
  }
}

/** out[j, k] = Σ_r X[r, j] · V[r, k]  (out: [numColumns, width], overwritten). */
export function multiplyTransposed(x: SparseMatrix, v: Float64Array, width: number, out: Float64Array): void {
  const { indptr, indices, values } = x;
  out.fill(0, 0, x.numColumns * width);
  for (let r = 0; r < x.numRows; r++) {
    const end = indptr[r + 1];
    if (width === 1) {
      const vr = v[r];
      if (vr === 0) continue;
      for (let p = indptr[r]; p < end; p++) out[indices[p]] += values[p] * vr;
      continue;
    }
    const row = r * width;
    for (let p = indptr[r]; p < end; p++) {
      const value = values[p];
      const col = indices[p] * width;
      for (let k = 0; k < width; k++) out[col + k] += value * v[row + k];
    }
  }
}

/** One row's scores: intercepts[k] + Σ_j row[j] · W[j, k]. */
export function rowScores(row: SparseRow, w: Float64Array, intercepts: Float64Array): Float64Array {
  const width = intercepts.length;
  const scores = Float64Array.from(intercepts);
  for (let p = 0; p < row.columns.length; p++) {
    const col = row.columns[p] * width;
    for (let k = 0; k < width; k++) scores[k] += row.values[p] * w[col + k];
  }
  return scores;
}

/** to[at + i] = from[i] for i < count; returns `to`. */
function copyInto<T extends Int32Array | Float32Array>(from: T, to: T, count: number, at = 0): T {
  for (let i = 0; i < count; i++) to[at + i] = from[i];
  return to;
}
