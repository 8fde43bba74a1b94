/**
 * L2-regularised logistic regression as scikit-learn's LogisticRegression(C) fits it with its default lbfgs
 * solver: binary (one weight vector, sigmoid) for two classes, multinomial (one vector per class, softmax)
 * for more. It minimises
 *
 *   0.5·‖W‖² + C · Σᵢ log-loss(xᵢ·W + b, yᵢ)     (intercepts b unpenalised),
 *
 * here divided by C·n so that the gradient tolerance means the same at every data size. The objective is
 * strictly convex in W, so any solver that reaches its minimum gives sklearn's probabilities.
 */
import { minimizeLbfgs, type LbfgsOptions, type Objective } from './lbfgs';
import { multiply, multiplyTransposed, rowScores, type SparseMatrix, type SparseRow } from './sparse';

/** One intercept (binary: the score is the log-odds of the second class) or one per class (multinomial). */
export interface LogisticModel {
  /** [numColumns, intercepts.length] row-major. */
  weights: Float64Array;
  intercepts: Float64Array;
}

export interface LogisticFit {
  model: LogisticModel;
  iterations: number;
  converged: boolean;
}

/** Scores per row for `width` outputs, given parameters θ = [W (numColumns × width), b (width)]. */
function scoresOf(x: SparseMatrix, theta: Float64Array, width: number, out: Float64Array): void {
  const size = x.numColumns * width;
  multiply(x, theta, width, out);
  for (let r = 0; r < x.numRows; r++) {
    for (let k = 0; k < width; k++) out[r * width + k] += theta[size + k];
  }
}

/** log(1 + eˣ) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * The objective above for targets in [0, numClasses): per row, the loss and its derivative with respect to
 * the scores (the residual p − y), then ∇W = Xᵀ·residual / n + W / (C·n) and ∇b = Σ residual / n.
 */
export function logisticObjective(x: SparseMatrix, targets: Int32Array, numClasses: number, C: number): Objective {
  const n = x.numRows;
  const width = numClasses === 2 ? 1 : numClasses;
  const size = x.numColumns * width;
  const scores = new Float64Array(n * width);
  return (theta, gradient) => {
    scoresOf(x, theta, width, scores);
    let loss = 0;
    // `scores` becomes the residual in place: each row's scores are read before they are overwritten.
    for (let r = 0; r < n; r++) {
      const y = targets[r];
      if (width === 1) {
        const z = scores[r];
        loss += softplus(z) - (y === 1 ? z : 0);
        scores[r] = 1 / (1 + Math.exp(-z)) - y;
        continue;
      }
      const row = r * width;
      let max = -Infinity;
      for (let k = 0; k < width; k++) max = Math.max(max, scores[row + k]);
      let sum = 0;
      for (let k = 0; k < width; k++) sum += Math.exp(scores[row + k] - max);
      const logSum = max + Math.log(sum);
      loss += logSum - scores[row + y];
      for (let k = 0; k < width; k++) scores[row + k] = Math.exp(scores[row + k] - logSum) - (k === y ? 1 : 0);
    }
    multiplyTransposed(x, scores, width, gradient);
    let penalty = 0;
    for (let i = 0; i < size; i++) {
      penalty += theta[i] * theta[i];
      gradient[i] = gradient[i] / n + theta[i] / (C * n);
    }
    for (let k = 0; k < width; k++) {
      let sum = 0;
      for (let r = 0; r < n; r++) sum += scores[r * width + k];
      gradient[size + k] = sum / n;
    }
    return loss / n + penalty / (2 * C * n);
  };
}

/** Fits on rows with targets in [0, numClasses), numClasses ≥ 2; yields the solver's iteration count. */
export function* fitLogistic(
  x: SparseMatrix,
  targets: Int32Array,
  numClasses: number,
  C: number,
  solver: LbfgsOptions,
): Generator<number, LogisticFit> {
  if (numClasses < 2) throw new RangeError(`logistic regression needs at least 2 classes, got ${numClasses}`);
  const width = numClasses === 2 ? 1 : numClasses;
  const size = x.numColumns * width;
  const result = yield* minimizeLbfgs(logisticObjective(x, targets, numClasses, C), new Float64Array(size + width), solver);
  return {
    model: { weights: result.x.subarray(0, size), intercepts: result.x.slice(size) },
    iterations: result.iterations,
    converged: result.converged,
  };
}

/** Class probabilities of one row: [P(class 0), P(class 1)] for binary, the softmax otherwise. */
export function predictProbabilities(model: LogisticModel, row: SparseRow): Float64Array {
  const scores = rowScores(row, model.weights, model.intercepts);
  if (scores.length === 1) {
    const positive = 1 / (1 + Math.exp(-scores[0]));
    return Float64Array.of(1 - positive, positive);
  }
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
