/**
 * Evaluation metrics as pure functions over numbers already read back from the device, and early stopping.
 * Conventions follow scikit-learn: confusion[label][prediction]; a class with no predictions has precision 0
 * (zero_division=0); macro-F1 averages over the classes that occur in the labels or the predictions.
 */
// From the data layer, not model/losses, so these pure functions load without tfjs (the linear baseline uses them).
import { IGNORE_INDEX } from '../data/masking';
import { TrainInputError } from './errors';

function checkPairs(predictions: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (predictions.length !== labels.length) {
    throw new TrainInputError(`${predictions.length} predictions for ${labels.length} labels`);
  }
  if (labels.length === 0) throw new TrainInputError('no examples to score');
}

function checkClass(value: number, numClasses: number, what: string, index: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= numClasses) {
    throw new TrainInputError(`${what} ${value} at index ${index} is not a class id in [0, ${numClasses})`);
  }
}

/** The predicted class of each row of row-major logits [n, numClasses] (the first maximum on ties). */
export function argmaxRows(logits: ArrayLike<number>, numClasses: number): Int32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1 || logits.length % numClasses !== 0) {
    throw new TrainInputError(`${logits.length} logits do not split into rows of ${numClasses} classes`);
  }
  const out = new Int32Array(logits.length / numClasses);
  for (let row = 0; row < out.length; row++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) {
      if (logits[row * numClasses + c] > logits[row * numClasses + best]) best = c;
    }
    out[row] = best;
  }
  return out;
}

export function accuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPairs(predictions, labels);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct += 1;
  return correct / labels.length;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose label is this class. */
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  macroF1: number;
  /** Indexed by class id. */
  perClass: ClassMetrics[];
  /** confusion[label][prediction] = count. */
  confusion: number[][];
}

export function classificationReport(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): ClassificationReport {
  checkPairs(predictions, labels);
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new TrainInputError(`numClasses must be a whole number >= 1, got ${numClasses}`);
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    checkClass(labels[i], numClasses, 'label', i);
    checkClass(predictions[i], numClasses, 'prediction', i);
    confusion[labels[i]][predictions[i]] += 1;
  }
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  const perClass = confusion.map((row, c) => {
    const truePositives = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, r) => sum + r[c], 0);
    const precision = ratio(truePositives, predicted);
    const recall = ratio(truePositives, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support, predicted };
  });
  const present = perClass.filter((m) => m.support > 0 || m.predicted > 0);
  return {
    accuracy: accuracy(predictions, labels),
    macroF1: present.reduce((sum, m) => sum + m.f1, 0) / present.length,
    perClass: perClass.map(({ precision, recall, f1, support }) => ({ precision, recall, f1, support })),
    confusion,
  };
}

/** For regression (num_labels 1). */
export function meanSquaredError(predictions: ArrayLike<number>, targets: ArrayLike<number>): number {
  checkPairs(predictions, targets);
  let sum = 0;
  for (let i = 0; i < targets.length; i++) sum += (predictions[i] - targets[i]) ** 2;
  return sum / targets.length;
}

/**
 * Pearson's correlation of predictions with targets (regression), NaN when either is constant, as scipy's
 * pearsonr gives (JSON writes it as null).
 */
export function pearsonCorrelation(predictions: ArrayLike<number>, targets: ArrayLike<number>): number {
  checkPairs(predictions, targets);
  const n = targets.length;
  let sumP = 0;
  let sumT = 0;
  for (let i = 0; i < n; i++) {
    sumP += predictions[i];
    sumT += targets[i];
  }
  const [meanP, meanT] = [sumP / n, sumT / n];
  let cross = 0;
  let varP = 0;
  let varT = 0;
  for (let i = 0; i < n; i++) {
    const [p, t] = [predictions[i] - meanP, targets[i] - meanT];
    cross += p * t;
    varP += p * p;
    varT += t * t;
  }
  // Exactly constant values can leave rounding noise in the variance, so they are caught by comparison.
  if (varP === 0 || varT === 0 || isConstant(predictions) || isConstant(targets)) return Number.NaN;
  return Math.max(-1, Math.min(1, cross / Math.sqrt(varP * varT)));
}

/**
 * Spearman's rank correlation (regression): Pearson's of the ranks, ties given their average rank, as scipy's
 * spearmanr; NaN when either side is constant.
 */
export function spearmanCorrelation(predictions: ArrayLike<number>, targets: ArrayLike<number>): number {
  checkPairs(predictions, targets);
  return pearsonCorrelation(averageRanks(predictions), averageRanks(targets));
}

/** 1-based ranks, tied values sharing the mean of the ranks they span (scipy.stats.rankdata's "average"). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // the mean of ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

function isConstant(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/** Share of labelled positions (label ≠ IGNORE_INDEX) where the predicted token id is the label. */
export function maskedTokenAccuracy(predictedIds: ArrayLike<number>, labelIds: ArrayLike<number>): number {
  checkPairs(predictedIds, labelIds);
  let labelled = 0;
  let correct = 0;
  for (let i = 0; i < labelIds.length; i++) {
    if (labelIds[i] === IGNORE_INDEX) continue;
    labelled += 1;
    if (predictedIds[i] === labelIds[i]) correct += 1;
  }
  if (labelled === 0) throw new TrainInputError(`every label is ${IGNORE_INDEX}: no masked tokens to score`);
  return correct / labelled;
}

/** exp of the mean cross-entropy (in nats) over all masked tokens — mean over tokens, not over batches. */
export function perplexity(meanCrossEntropy: number): number {
  if (!(meanCrossEntropy >= 0 && Number.isFinite(meanCrossEntropy))) {
    throw new TrainInputError(`mean cross-entropy must be a finite number >= 0, got ${meanCrossEntropy}`);
  }
  return Math.exp(meanCrossEntropy);
}

export interface EarlyStoppingOptions {
  /** Evaluations in a row without improvement after which to stop (Hugging Face's early_stopping_patience). */
  patience: number;
  /** How much better than the best a value must be to count as an improvement. */
  minDelta?: number;
  /** 'min' for losses, 'max' for accuracy or F1. */
  mode: 'min' | 'max';
}

export interface EarlyStoppingDecision {
  stop: boolean;
  improved: boolean;
  /** The step of the best evaluation so far (the checkpoint to keep) and its value; -1 and NaN before one counts. */
  bestStep: number;
  bestValue: number;
  /** Evaluations in a row without improvement. */
  sinceBest: number;
}

/** What an EarlyStopping has seen, for checkpoints. */
export interface EarlyStoppingState {
  best: { step: number; value: number } | null;
  sinceBest: number;
}

/** Watches one validation metric. A NaN value never counts as an improvement. */
export class EarlyStopping {
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly mode: 'min' | 'max';
  private best: { step: number; value: number } | null = null;
  private sinceBest = 0;

  constructor({ patience, minDelta = 0, mode }: EarlyStoppingOptions) {
    if (!Number.isInteger(patience) || patience < 1) {
      throw new TrainInputError(`early-stopping patience must be a whole number >= 1, got ${patience}`, 'earlyStoppingPatience');
    }
    if (!(minDelta >= 0 && Number.isFinite(minDelta))) {
      throw new TrainInputError(`early-stopping minDelta must be a number >= 0, got ${minDelta}`, 'earlyStoppingMinDelta');
    }
    if (mode !== 'min' && mode !== 'max') throw new TrainInputError(`early-stopping mode must be "min" or "max", got ${mode}`);
    this.patience = patience;
    this.minDelta = minDelta;
    this.mode = mode;
  }

  /** Records the evaluation at optimizer step `step` and says whether training should stop. */
  update(value: number, step: number): EarlyStoppingDecision {
    const improved =
      !Number.isNaN(value) &&
      (this.best === null ||
        (this.mode === 'min' ? value < this.best.value - this.minDelta : value > this.best.value + this.minDelta));
    if (improved) {
      this.best = { step, value };
      this.sinceBest = 0;
    } else {
      this.sinceBest += 1;
    }
    return {
      stop: this.sinceBest >= this.patience,
      improved,
      bestStep: this.best?.step ?? -1,
      bestValue: this.best?.value ?? Number.NaN,
      sinceBest: this.sinceBest,
    };
  }

  state(): EarlyStoppingState {
    return { best: this.best && { ...this.best }, sinceBest: this.sinceBest };
  }

  /** Continues from `state()` of an earlier run, so a resumed run stops where the uninterrupted one would. */
  restore(state: EarlyStoppingState): void {
    if (!Number.isInteger(state.sinceBest) || state.sinceBest < 0) {
      throw new TrainInputError(`early-stopping state has a bad count ${state.sinceBest}`);
    }
    this.best = state.best && { ...state.best };
    this.sinceBest = state.sinceBest;
  }
}
