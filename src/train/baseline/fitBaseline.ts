/**
 * The linear baseline beside every classification and regression run: TF-IDF over hashed word 1–2-grams and
 * character 3–5-grams (tfidf.ts), then logistic regression (logistic.ts) for classes or ridge (ridge.ts) for
 * numbers, fitted on the run's training split and scored on its validation split with the metrics BERT's
 * evaluation reports. Regularisation is scikit-learn's default (C = 1, alpha = 1): the baseline a practitioner
 * gets by typing the model's name, neither tuned on the validation split nor weakened.
 *
 * Caps, so that it takes seconds on the studio's largest files (2,000,000 rows):
 * - hashing (2^18 columns per analyzer for binary and regression, fewer for many classes so that weights ×
 *   classes stays within PARAMETER_BUDGET) instead of a vocabulary, so memory does not grow with the data;
 * - training rows are read in a seeded random order until the TF-IDF matrix holds maxNonZeros values, or
 *   maxNonZeros / classes for multinomial (whose every solver pass costs classes × values); the rest of a
 *   larger training split is left out, and the report says how many rows were fitted;
 * - the solver stops after solver.maxIterations (100, sklearn's max_iter) even if not converged.
 * Every validation row is scored, as BERT's evaluation scores every one.
 */
import { createRng } from '../../data/random';
import type { Progress } from '../../progress';
import { TrainInputError } from '../errors';
import { classificationReport, meanSquaredError, pearsonCorrelation, spearmanCorrelation } from '../metrics';
import { DEFAULT_LBFGS, type LbfgsOptions } from './lbfgs';
import { fitLogistic, predictProbabilities } from './logistic';
import { DEFAULT_RIDGE, fitRidge, type RidgeOptions } from './ridge';
import { rowScores, type SparseRow } from './sparse';
import { fitTfidf, tfidfTransformer } from './tfidf';

export type BaselineTask =
  /** Targets are class ids into `labels`. */
  | { kind: 'classification'; labels: readonly string[] }
  | { kind: 'regression' };

export interface BaselineSplit {
  texts: readonly string[];
  /** Class ids (classification) or regression targets, one per text. */
  targets: ArrayLike<number>;
}

export interface BaselineInput {
  task: BaselineTask;
  train: BaselineSplit;
  validation: BaselineSplit;
}

export interface BaselineSettings {
  /** Columns per analyzer are 2^bits; null picks the most PARAMETER_BUDGET allows, up to 2^18. */
  bits: number | null;
  /** Stored TF-IDF values of the fitted rows (8 bytes each), divided by the class count for multinomial. */
  maxNonZeros: number;
  /** Logistic regression's inverse regularisation strength (sklearn's C). */
  C: number;
  /** Ridge's regularisation strength (sklearn's alpha). */
  alpha: number;
  solver: LbfgsOptions;
  ridge: RidgeOptions;
  /** Seeds the order in which training rows are read (which rows a capped fit keeps). */
  seed: number;
}

export const DEFAULT_BASELINE_SETTINGS: Readonly<BaselineSettings> = {
  bits: null,
  maxNonZeros: 2 ** 23,
  C: 1,
  alpha: 1,
  solver: DEFAULT_LBFGS,
  ridge: DEFAULT_RIDGE,
  seed: 0,
};

/** Weights × outputs of the linear model (its solver keeps about 25 vectors of this size). */
export const PARAMETER_BUDGET = 2 ** 19;
const MAX_BITS = 18;
const MIN_BITS = 8;

export interface BaselineReport {
  kind: BaselineTask['kind'];
  /** What was fitted, in words. */
  method: string;
  /** Classification: on the validation split, as BERT's evaluation computes them. */
  accuracy?: number;
  macroF1?: number;
  /** Regression: root mean squared error and Pearson's r (NaN, null in JSON, when the predictions are constant). */
  rmse?: number;
  pearson?: number;
  spearman?: number;
  /** Training rows fitted, of trainRowsAvailable (fewer when the feature budget ran out). */
  trainRows: number;
  trainRowsAvailable: number;
  validationRows: number;
  hashBits: number;
  nonZeros: number;
  iterations: number;
  converged: boolean;
  /**
   * Seconds of work for features, fit and scoring, not counting the time it yielded to other work (in the
   * worker, the run's training steps).
   */
  seconds: number;
  /** What a reader should know about this fit: left-out rows, classes it cannot predict, degenerate data. */
  notes: string[];
}

/** Rows scored between two progress reports. */
const ROWS_PER_REPORT = 256;

function checkSplit(split: BaselineSplit, where: string, task: BaselineTask): void {
  if (split.texts.length !== split.targets.length) {
    throw new TrainInputError(`the ${where} split has ${split.texts.length} texts but ${split.targets.length} targets`);
  }
  if (split.texts.length === 0) throw new TrainInputError(`the ${where} split is empty: the linear baseline needs rows to ${where === 'training' ? 'fit' : 'score'}`);
  for (let i = 0; i < split.targets.length; i++) {
    const t = split.targets[i];
    const ok = task.kind === 'regression' ? Number.isFinite(t) : Number.isInteger(t) && t >= 0 && t < task.labels.length;
    if (!ok) throw new TrainInputError(`the ${where} target ${t} at row ${i} is not ${task.kind === 'regression' ? 'a finite number' : `a class id in [0, ${task.labels.length})`}`);
  }
}

/** The hash size that keeps weights × outputs within PARAMETER_BUDGET. */
export function hashBitsFor(outputs: number): number {
  return Math.max(MIN_BITS, Math.min(MAX_BITS, Math.floor(Math.log2(PARAMETER_BUDGET / (2 * outputs)))));
}

function sortedClasses(targets: ArrayLike<number>): number[] {
  return [...new Set(Array.from(targets))].sort((a, b) => a - b);
}

/**
 * Fits and scores the baseline. A generator of progress reports (stage "baseline"; item "features", "fit" or
 * "score"), so the caller decides when to yield to its event loop and can stop by not resuming it.
 */
export function* baselineSteps(input: BaselineInput, settings: BaselineSettings = DEFAULT_BASELINE_SETTINGS): Generator<Progress, Omit<BaselineReport, 'seconds'>> {
  const { task, train, validation } = input;
  checkSplit(train, 'training', task);
  checkSplit(validation, 'validation', task);
  const notes: string[] = [];
  const allClasses = task.kind === 'classification' ? sortedClasses(train.targets) : [];
  const outputs = allClasses.length > 2 ? allClasses.length : 1;
  const bits = settings.bits ?? hashBitsFor(outputs);

  const order = createRng(settings.seed).shuffle(Array.from(train.texts, (_, i) => i));
  const { vectorizer, matrix } = yield* mapYields(
    fitTfidf(order.map((i) => train.texts[i]), { bits, maxNonZeros: Math.floor(settings.maxNonZeros / outputs) }),
    (loaded) => ({ stage: 'baseline', item: 'features', loaded, total: order.length }),
  );
  const fitted = order.slice(0, matrix.numRows);
  if (fitted.length < order.length) {
    notes.push(`Fitted on ${fitted.length.toLocaleString('en')} of ${order.length.toLocaleString('en')} training rows (a random sample: the feature budget caps the rest).`);
  }
  if (matrix.indptr[matrix.numRows] === 0) {
    notes.push('Every fitted training text is empty: the baseline predicts from the training targets alone.');
  }

  let predict: (row: SparseRow) => number;
  let method: string;
  let iterations = 0;
  let converged = true;
  const fitProgress = (loaded: number): Progress => ({ stage: 'baseline', item: 'fit', loaded, total: task.kind === 'regression' ? settings.ridge.maxIterations : settings.solver.maxIterations });
  const featureWords = `TF-IDF of word 1–2-grams and character 3–5-grams (hashed into 2 × ${(2 ** bits).toLocaleString('en')} columns)`;
  if (task.kind === 'regression') {
    const targets = Float64Array.from(fitted, (i) => train.targets[i]);
    const fit = yield* mapYields(fitRidge(matrix, targets, settings.alpha, settings.ridge), fitProgress);
    ({ iterations, converged } = fit);
    predict = (row) => rowScores(row, fit.model.weights, fit.model.intercepts)[0];
    method = `${featureWords} + ridge regression (alpha = ${settings.alpha})`;
  } else {
    const classes = sortedClasses(Array.from(fitted, (i) => train.targets[i]));
    const name = (id: number) => `“${task.labels[id]}”`;
    const unseen = sortedClasses(validation.targets).filter((id) => !classes.includes(id));
    if (unseen.length > 0) notes.push(`${unseen.map(name).join(', ')} ${unseen.length === 1 ? 'is' : 'are'} in the validation split but not among the fitted training rows: the baseline never predicts ${unseen.length === 1 ? 'it' : 'them'}.`);
    if (classes.length === 1) {
      notes.push(`The fitted training rows all have the label ${name(classes[0])}: the baseline predicts it for every row.`);
      predict = () => classes[0];
      method = `${featureWords}; one class in training, so a constant prediction`;
    } else {
      const index = new Map(classes.map((id, k) => [id, k]));
      const local = Int32Array.from(fitted, (i) => index.get(train.targets[i])!);
      const fit = yield* mapYields(fitLogistic(matrix, local, classes.length, settings.C, settings.solver), fitProgress);
      ({ iterations, converged } = fit);
      predict = (row) => {
        const probabilities = predictProbabilities(fit.model, row);
        return classes[probabilities.indexOf(Math.max(...probabilities))];
      };
      method = `${featureWords} + ${classes.length > 2 ? 'multinomial' : 'binary'} logistic regression (C = ${settings.C})`;
    }
  }

  const transform = tfidfTransformer(vectorizer);
  const predictions = new Float64Array(validation.texts.length);
  for (let r = 0; r < predictions.length; r++) {
    if (r > 0 && r % ROWS_PER_REPORT === 0) yield { stage: 'baseline', item: 'score', loaded: r, total: predictions.length };
    predictions[r] = predict(transform(validation.texts[r]));
  }
  const common = {
    kind: task.kind,
    method,
    trainRows: fitted.length,
    trainRowsAvailable: order.length,
    validationRows: predictions.length,
    hashBits: bits,
    nonZeros: matrix.indptr[matrix.numRows],
    iterations,
    converged,
    notes,
  };
  if (task.kind === 'regression') {
    const { targets } = validation;
    return { ...common, rmse: Math.sqrt(meanSquaredError(predictions, targets)), pearson: pearsonCorrelation(predictions, targets), spearman: spearmanCorrelation(predictions, targets) };
  }
  const report = classificationReport(predictions, validation.targets, task.labels.length);
  return { ...common, accuracy: report.accuracy, macroF1: report.macroF1 };
}

/** Passes a sub-generator's result through while turning each of its yields into a progress report. */
function* mapYields<T, R>(inner: Generator<T, R>, map: (value: T) => Progress): Generator<Progress, R> {
  let step = inner.next();
  for (; !step.done; step = inner.next()) yield map(step.value);
  return step.value;
}

export interface FitBaselineOptions {
  settings?: BaselineSettings;
  onProgress?: (progress: Progress) => void;
  /** Aborting stops the fit at its next report; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Work between two yields to the event loop, 50 ms by default: short enough that pause and stop still answer
   * at once, long enough that a baseline sharing the worker with training steps (on wasm, ~0.5 s each) still
   * gets on.
   */
  sliceMs?: number;
}

/**
 * Runs baselineSteps in slices of about `sliceMs`, yielding to the event loop between them so that a worker
 * still receives messages (pause, stop) while the baseline fits.
 */
export async function fitBaseline(input: BaselineInput, options: FitBaselineOptions = {}): Promise<BaselineReport> {
  const sliceMs = options.sliceMs ?? 50;
  const steps = baselineSteps(input, options.settings);
  let busyMs = 0;
  let sliceStart = performance.now();
  options.signal?.throwIfAborted();
  let step = steps.next();
  for (; !step.done; step = steps.next()) {
    const elapsed = performance.now() - sliceStart;
    if (elapsed < sliceMs) continue;
    // Progress goes out once per slice, not per report: a few dozen messages a second at most.
    options.onProgress?.(step.value);
    busyMs += elapsed;
    await new Promise((resolve) => setTimeout(resolve, 0));
    options.signal?.throwIfAborted();
    sliceStart = performance.now();
  }
  busyMs += performance.now() - sliceStart;
  return { ...step.value, seconds: busyMs / 1000 };
}
