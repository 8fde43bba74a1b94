/**
 * Extractive question answering after the model: the best answer span of a question from its windows' start and
 * end logits, as Hugging Face's postprocess_qa_predictions picks it (n-best starts × n-best ends per window, the
 * start no later than the end, both in the context, at most maxAnswerLength tokens; SQuAD v2's null answer when the
 * [CLS] score beats the best span by more than a threshold), and SQuAD's exact-match and F1 over the gold answers.
 */

/** One window's logits ([tokens] each; past `offsets` they are padding) and its context offsets (QaWindow.offsets). */
export interface WindowLogits {
  start: ArrayLike<number>;
  end: ArrayLike<number>;
  /** [tokens * 2]: [start, end) in the context, -1 on the question and specials. */
  offsets: Int32Array;
}

export interface AnswerSpan {
  text: string;
  /** [start, end) in the context, in UTF-16 code units. */
  start: number;
  end: number;
  /** start logit + end logit. */
  logit: number;
  /** Softmax of the logit over the n-best spans (and the null answer, when allowed). */
  probability: number;
}

export interface SpanOptions {
  /** Starts and ends considered per window (HF: n_best_size, 20). */
  nBest?: number;
  /** Longest answer in tokens (HF: max_answer_length, 30). */
  maxAnswerLength?: number;
  /** SQuAD v2: answer nothing when the null score beats the best span by more than this (HF: null_score_diff_threshold, 0). */
  nullThreshold?: number;
  /** Whether the null answer is allowed (SQuAD v2); without it the best span is always given. */
  allowNull?: boolean;
}

export interface AnswerPrediction {
  /** The answer, or null when the model answers nothing (only with allowNull). */
  answer: AnswerSpan | null;
  /** The n-best spans, best first. */
  candidates: AnswerSpan[];
  /** The lowest [CLS] start + end logit over the windows (the null answer's score). */
  nullLogit: number;
}

/** Positions of the `n` largest values, largest first. */
function topIndices(values: ArrayLike<number>, count: number, n: number): number[] {
  return Array.from({ length: count }, (_, i) => i)
    .sort((a, b) => values[b] - values[a])
    .slice(0, n);
}

/** The question's answer from the logits of all its windows over `context`. [CLS] is each window's position 0. */
export function bestAnswer(windows: readonly WindowLogits[], context: string, options: SpanOptions = {}): AnswerPrediction {
  const { nBest = 20, maxAnswerLength = 30, nullThreshold = 0, allowNull = false } = options;
  let nullLogit = Infinity;
  const spans: Omit<AnswerSpan, 'text' | 'probability'>[] = [];
  for (const { start, end, offsets } of windows) {
    const tokens = offsets.length / 2;
    nullLogit = Math.min(nullLogit, start[0] + end[0]);
    const inContext = (t: number): boolean => t < tokens && offsets[2 * t] >= 0;
    for (const s of topIndices(start, tokens, nBest)) {
      for (const e of topIndices(end, tokens, nBest)) {
        if (!inContext(s) || !inContext(e) || e < s || e - s + 1 > maxAnswerLength) continue;
        spans.push({ start: offsets[2 * s], end: offsets[2 * e + 1], logit: start[s] + end[e] });
      }
    }
  }
  spans.sort((a, b) => b.logit - a.logit);
  const kept = spans.slice(0, nBest);
  const logits = [...kept.map((span) => span.logit), ...(allowNull ? [nullLogit] : [])];
  const top = Math.max(...logits);
  const total = logits.reduce((sum, logit) => sum + Math.exp(logit - top), 0);
  const candidates = kept.map((span) => ({ ...span, text: context.slice(span.start, span.end), probability: Math.exp(span.logit - top) / total }));
  const best = candidates[0];
  const empty = best === undefined || (allowNull && nullLogit - best.logit > nullThreshold);
  return { answer: empty ? null : best, candidates, nullLogit };
}

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** SQuAD's normalize_answer: lower case, no punctuation, no articles (a, an, the), single spaces. */
export function normalizeAnswer(text: string): string {
  const lower = text.toLowerCase();
  const unpunctuated = [...lower].filter((c) => !PUNCTUATION.has(c)).join('');
  return unpunctuated.replace(/\b(a|an|the)\b/g, ' ').split(/\s+/).filter(Boolean).join(' ');
}

function tokens(text: string): string[] {
  const normal = normalizeAnswer(text);
  return normal === '' ? [] : normal.split(' ');
}

/** 1 when the normalised prediction equals the normalised gold answer. */
export function exactMatch(prediction: string, gold: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(gold) ? 1 : 0;
}

/** Token-overlap F1 of the normalised texts; 1 or 0 when either is empty (SQuAD v2's rule, for no-answers). */
export function f1Score(prediction: string, gold: string): number {
  const predicted = tokens(prediction);
  const truth = tokens(gold);
  if (predicted.length === 0 || truth.length === 0) return predicted.length === truth.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of truth) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predicted) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / truth.length;
  return (2 * precision * recall) / (precision + recall);
}

export interface AnswerReport {
  /** Mean over questions of the best exact match over their gold answers, in [0, 1]. */
  exactMatch: number;
  /** Mean over questions of the best F1 over their gold answers, in [0, 1]. */
  f1: number;
  questions: number;
  /** Questions without a gold answer (SQuAD v2), which only an empty prediction gets right. */
  unanswerable: number;
}

/** SQuAD's scores: each prediction ('' for no answer) against its gold answers (none: unanswerable), max over them. */
export function answerReport(pairs: readonly { predicted: string; answers: readonly string[] }[]): AnswerReport {
  let em = 0;
  let f1 = 0;
  let unanswerable = 0;
  for (const { predicted, answers } of pairs) {
    const golds = answers.length === 0 ? [''] : answers;
    if (answers.length === 0) unanswerable += 1;
    em += Math.max(...golds.map((gold) => exactMatch(predicted, gold)));
    f1 += Math.max(...golds.map((gold) => f1Score(predicted, gold)));
  }
  const n = Math.max(1, pairs.length);
  return { exactMatch: em / n, f1: f1 / n, questions: pairs.length, unanswerable };
}
