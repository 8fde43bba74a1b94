/**
 * Ridge regression as scikit-learn's Ridge(alpha) fits it: minimise ‖y − Xw − b‖² + α‖w‖² with the intercept
 * b unpenalised, which is the centred problem (X_cᵀX_c + αI)·w = X_cᵀ(y − ȳ), b = ȳ − x̄·w. Solved by
 * conjugate gradients with X_c = X − 1·x̄ᵀ applied implicitly, so X stays sparse (sklearn's sparse_cg does
 * the same).
 */
import { multiply, multiplyTransposed, type SparseMatrix } from './sparse';

export interface RidgeModel {
  weights: Float64Array;
  /** Length 1, so a ridge model scores rows as a one-output linear model does (rowScores). */
  intercepts: Float64Array;
}

export interface RidgeOptions {
  maxIterations: number;
  /** Stop when the residual's norm is at most this share of the right-hand side's. */
  tolerance: number;
}

export interface RidgeFit {
  model: RidgeModel;
  iterations: number;
  converged: boolean;
}

export const DEFAULT_RIDGE: Readonly<RidgeOptions> = { maxIterations: 200, tolerance: 1e-6 };

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Column means x̄ of X. */
function columnMeans(x: SparseMatrix): Float64Array {
  const means = new Float64Array(x.numColumns);
  for (let p = 0; p < x.indptr[x.numRows]; p++) means[x.indices[p]] += x.values[p];
  return means.map((sum) => sum / x.numRows);
}

/** Fits w and b; a generator that yields the CG iteration count. */
export function* fitRidge(x: SparseMatrix, targets: Float64Array, alpha: number, options: RidgeOptions = DEFAULT_RIDGE): Generator<number, RidgeFit> {
  const n = x.numRows;
  const d = x.numColumns;
  const means = columnMeans(x);
  const mean = targets.reduce((a, b) => a + b, 0) / n;
  const rows = new Float64Array(n);
  /** out = (X_cᵀX_c + αI)·v. */
  const normal = (v: Float64Array, out: Float64Array): void => {
    multiply(x, v, 1, rows);
    const shift = dot(means, v);
    let sum = 0;
    for (let r = 0; r < n; r++) {
      rows[r] -= shift;
      sum += rows[r];
    }
    multiplyTransposed(x, rows, 1, out);
    for (let j = 0; j < d; j++) out[j] += alpha * v[j] - means[j] * sum;
  };

  const weights = new Float64Array(d);
  // Right-hand side X_cᵀ(y − ȳ) = Xᵀ(y − ȳ): the centred targets sum to zero, so x̄ drops out.
  const residual = new Float64Array(d);
  multiplyTransposed(x, targets.map((y) => y - mean), 1, residual);
  const limit = options.tolerance * Math.sqrt(dot(residual, residual));
  const direction = Float64Array.from(residual);
  const product = new Float64Array(d);
  let squared = dot(residual, residual);
  let iterations = 0;
  while (Math.sqrt(squared) > limit && iterations < options.maxIterations) {
    normal(direction, product);
    const step = squared / dot(direction, product);
    for (let j = 0; j < d; j++) {
      weights[j] += step * direction[j];
      residual[j] -= step * product[j];
    }
    const next = dot(residual, residual);
    for (let j = 0; j < d; j++) direction[j] = residual[j] + (next / squared) * direction[j];
    squared = next;
    iterations++;
    yield iterations;
  }
  return {
    model: { weights, intercepts: Float64Array.of(mean - dot(means, weights)) },
    iterations,
    converged: Math.sqrt(squared) <= limit,
  };
}
