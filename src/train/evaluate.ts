/** Scoring a model on labelled examples without dropout: the loss and the task's metrics. */
import * as tf from '@tensorflow/tfjs';
import { epochBatches } from '../data/batching';
import type { EncodedExample } from '../data/encode';
import type { QaItem } from '../data/qa';
import { maskTokens } from '../data/masking';
import { createRng } from '../data/random';
import type { ProgressCallback } from '../progress';
import type { Tokenizer } from '../tokenizer/types';
import { lossWeight, type Batch } from '../data/batching';
import { answerReport, bestAnswer, type AnswerReport, type WindowLogits } from './answers';
import { entityReport, type EntityReport } from './entities';
import { argmaxRows, classificationReport, maskedTokenAccuracy, meanSquaredError, pearsonCorrelation, perplexity, spearmanCorrelation, type ClassificationReport } from './metrics';
import { taskForward, type Model, type Task } from './objective';

/** A validation example the model got wrong, for the evaluation panel. */
export interface MisclassifiedExample {
  /** Source row of the validation data (`EncodedExample.index`). */
  row: number;
  text: string;
  label: string;
  predicted: string;
  /** The model's probability for the predicted class. */
  confidence?: number;
}

/** How many misclassified examples an evaluation lists: the most confident mistakes, which most often show label noise. */
export const MAX_MISCLASSIFIED = 50;

export interface EvalMetrics {
  step: number;
  epoch: number;
  loss: number;
  classification?: ClassificationReport;
  mse?: number;
  /** Regression: Pearson's r of predictions and targets (NaN when the predictions are constant). */
  pearson?: number;
  /** Spearman's rank correlation of predictions with targets (regression). */
  spearman?: number;
  maskedAccuracy?: number;
  perplexity?: number;
  /** Token classification: entity-level scores by seqeval's default rules, per type and micro. */
  entities?: EntityReport;
  /** Question answering: SQuAD's exact match and F1 of the best span over each question's windows. */
  answers?: AnswerReport;
  /** Classification with `textOf`: up to MAX_MISCLASSIFIED mistakes, most confident first. */
  misclassified?: MisclassifiedExample[];
  isBest: boolean;
}

export interface EvalOptions {
  task: Task;
  regression: boolean;
  numLabels: number;
  tokenizer: Pick<Tokenizer, 'vocabSize' | 'special'>;
  batchSize: number;
  maxLength: number;
  mlmProbability: number;
  wholeWordMasking: boolean;
  /** The text of a source row; given, classification evaluations list their misclassified examples. */
  textOf?: (row: number) => string;
  /** Examples scored so far, after each batch (stage 'evaluate'): a large validation set takes minutes. */
  onProgress?: ProgressCallback;
  /** Checked before each batch; true ends the evaluation with EvaluationCancelled. */
  cancelled?: () => boolean;
}

/** An evaluation ended by its `cancelled` check (a run stopped while it evaluated). */
export class EvaluationCancelled extends Error {
  readonly code = 'cancelled';

  constructor() {
    super('The evaluation was cancelled.');
    this.name = 'EvaluationCancelled';
  }
}

/** A fixed mask for MLM evaluation, so every evaluation scores the same targets. */
const EVAL_MASK_SEED = 0x5eed;

export async function evaluateModel(
  model: Model,
  examples: readonly EncodedExample[],
  options: EvalOptions,
  step = 0,
  epoch = 0,
): Promise<EvalMetrics> {
  const { task, regression, numLabels, tokenizer } = options;
  if (examples.length === 0) throw new Error('there is no data to evaluate on');
  const rng = createRng(EVAL_MASK_SEED);
  let lossSum = 0;
  let weightSum = 0;
  const predictions: number[] = [];
  const targets: number[] = [];
  const mistakes: Mistake[] = [];
  const sentences: WordTags = { truth: [], predicted: [] };
  const questions = new Map<number, { item: QaItem; windows: WindowLogits[] }>();
  const listMistakes = task === 'classify' && !regression && options.textOf !== undefined;
  const batches = epochBatches(examples, {
    batchSize: options.batchSize,
    maxLength: options.maxLength,
    shuffle: false,
    padId: tokenizer.special.pad,
    labelKind: regression ? 'numeric' : 'categorical',
    includeWordIds: task === 'mlm',
  });
  let scored = 0;
  for (const batch of batches) {
    if (options.cancelled?.()) throw new EvaluationCancelled();
    const masked = task === 'mlm'
      ? maskTokens(batch, { tokenizer, rng, probability: options.mlmProbability, wholeWord: options.wholeWordMasking })
      : undefined;
    const [loss, logits] = tf.tidy(() => {
      const output = taskForward(model, task, batch, masked, { training: false });
      return [output.loss, output.logits] as const;
    });
    const [lossValue, logitValues] = await Promise.all([loss.data(), logits.data()]);
    tf.dispose([loss, logits]);
    const width = logits.shape[1];
    scored += batch.validRows;
    options.onProgress?.({ stage: 'evaluate', loaded: scored, total: examples.length });
    if (task === 'ner') {
      const tagged = wordTags(batch, argmaxRows(logitValues, width));
      const weight = lossWeight(batch);
      lossSum += lossValue[0] * weight;
      weightSum += weight;
      sentences.truth.push(...tagged.truth);
      sentences.predicted.push(...tagged.predicted);
      continue;
    }
    if (task === 'qa') {
      collectWindows(batch, logitValues, questions);
      lossSum += lossValue[0] * batch.validRows;
      weightSum += batch.validRows;
      continue;
    }
    const rows = masked ? masked.maskedCount : batch.validRows;
    lossSum += lossValue[0] * rows;
    weightSum += rows;
    const predicted = regression ? logitValues.subarray(0, rows) : argmaxRows(logitValues.subarray(0, rows * width), width);
    const expected = masked ? masked.maskedLabels.subarray(0, rows) : batch.labels!.subarray(0, rows);
    predictions.push(...predicted);
    targets.push(...expected);
    if (listMistakes) mistakes.push(...batchMistakes(logitValues, width, predicted, expected, batch.indices));
  }
  const loss = lossSum / weightSum;
  const metrics: EvalMetrics = { step, epoch, loss, isBest: false };
  if (task === 'qa') {
    metrics.answers = scoreAnswers([...questions.values()]);
  } else if (task === 'ner') {
    const name = (id: number): string => model.config.id2label[id] ?? `LABEL_${id}`;
    metrics.entities = entityReport(sentences.truth.map((tags) => tags.map(name)), sentences.predicted.map((tags) => tags.map(name)));
  } else if (task === 'mlm') {
    metrics.maskedAccuracy = maskedTokenAccuracy(predictions, targets);
    metrics.perplexity = perplexity(loss);
  } else if (regression) {
    metrics.mse = meanSquaredError(predictions, targets);
    metrics.pearson = pearsonCorrelation(predictions, targets);
    metrics.spearman = spearmanCorrelation(predictions, targets);
  } else {
    metrics.classification = classificationReport(predictions, targets, numLabels);
    if (listMistakes) metrics.misclassified = describeMistakes(mistakes, options.textOf!, model.config.id2label);
  }
  return metrics;
}

/** Each real row's start and end logits ([batch * seq, 2] in `logits`), gathered by the question its window is of. */
function collectWindows(batch: Batch, logits: Float32Array | Int32Array | Uint8Array, questions: Map<number, { item: QaItem; windows: WindowLogits[] }>): void {
  const { seqLen, windows } = batch;
  if (!windows) throw new Error('a question-answering batch needs its windows');
  windows.forEach((window, r) => {
    const at = r * seqLen * 2;
    const start = Float32Array.from({ length: seqLen }, (_, t) => logits[at + 2 * t]);
    const end = Float32Array.from({ length: seqLen }, (_, t) => logits[at + 2 * t + 1]);
    const question = questions.get(batch.indices[r]) ?? { item: window.item, windows: [] };
    question.windows.push({ start, end, offsets: window.offsets });
    questions.set(batch.indices[r], question);
  });
}

/** The best span of each question against its gold answers; the null answer is allowed when some have none (SQuAD v2). */
function scoreAnswers(questions: readonly { item: QaItem; windows: WindowLogits[] }[]): AnswerReport {
  const allowNull = questions.some(({ item }) => item.answers.length === 0);
  return answerReport(questions.map(({ item, windows }) => ({
    predicted: bestAnswer(windows, item.context, { allowNull }).answer?.text ?? '',
    answers: item.answers.map((answer) => answer.text),
  })));
}

/** The scored words of a token-classification batch: tag ids per sentence. */
interface WordTags {
  truth: number[][];
  predicted: number[][];
}

/** Each real row's true and predicted tags at its words' first tokens (tokenWeights 1); `predicted` is [batch * seq]. */
function wordTags(batch: Batch, predicted: Int32Array): WordTags {
  const out: WordTags = { truth: [], predicted: [] };
  const { tokenLabels, tokenWeights, seqLen } = batch;
  if (!tokenLabels || !tokenWeights) throw new Error('a token-classification batch needs token labels');
  for (let r = 0; r < batch.validRows; r++) {
    const truth: number[] = [];
    const guess: number[] = [];
    for (let t = r * seqLen; t < (r + 1) * seqLen; t++) {
      if (tokenWeights[t] === 0) continue;
      truth.push(tokenLabels[t]);
      guess.push(predicted[t]);
    }
    out.truth.push(truth);
    out.predicted.push(guess);
  }
  return out;
}

interface Mistake {
  row: number;
  label: number;
  predicted: number;
  confidence: number;
}

/** The wrongly predicted rows of one batch; `logits` is [rows, width] row-major. */
function batchMistakes(
  logits: ArrayLike<number>,
  width: number,
  predicted: ArrayLike<number>,
  expected: ArrayLike<number>,
  indices: readonly number[],
): Mistake[] {
  const out: Mistake[] = [];
  for (let r = 0; r < predicted.length; r++) {
    if (predicted[r] === expected[r]) continue;
    const confidence = softmaxAt(logits, r * width, width, predicted[r]);
    out.push({ row: indices[r], label: expected[r], predicted: predicted[r], confidence });
  }
  return out;
}

/** The softmax probability of class `index` in the row of `width` logits starting at `start`. */
function softmaxAt(logits: ArrayLike<number>, start: number, width: number, index: number): number {
  let max = -Infinity;
  for (let c = 0; c < width; c++) max = Math.max(max, logits[start + c]);
  let sum = 0;
  for (let c = 0; c < width; c++) sum += Math.exp(logits[start + c] - max);
  return Math.exp(logits[start + index] - max) / sum;
}

function describeMistakes(mistakes: Mistake[], textOf: (row: number) => string, id2label: readonly string[]): MisclassifiedExample[] {
  const name = (id: number): string => id2label[id] ?? `LABEL_${id}`;
  return mistakes
    .sort((a, b) => b.confidence - a.confidence || a.row - b.row)
    .slice(0, MAX_MISCLASSIFIED)
    .map((m) => ({ row: m.row, text: textOf(m.row), label: name(m.label), predicted: name(m.predicted), confidence: m.confidence }));
}
