/**
 * What the evaluation panel says about the linear baseline: BERT's metrics beside the baseline's, a sentence on
 * which is ahead, and — when BERT is not — what to try. Pure, so every sentence is unit-tested.
 */
import type { BaselineReport, BaselineStatus, EvalMetrics } from '../../worker/protocol';
import { formatCount, formatPercent, formatSmall, progressFraction } from '../common';

export interface BaselineRow {
  metric: string;
  bert: string;
  baseline: string;
}

export interface BaselineView {
  rows: BaselineRow[];
  /** Who is ahead on the headline metric, or null without a comparable BERT evaluation. */
  verdict: string | null;
  /** BERT is behind or level: the panel lists `suggestions`. */
  behind: boolean;
  suggestions: string[];
  /** What was fitted, on how many rows, how fast. */
  details: string;
  notes: string[];
}

/** What to try when a linear model does as well as BERT: the usual causes are too little training or too small a model. */
export const SUGGESTIONS = [
  'Find a learning rate with the learning-rate finder (Training panel), then train again.',
  'Train for more epochs: the validation curve may not have flattened yet.',
  'Load a larger model from the Hub (e.g. google/bert_uncased_L-4_H-256_A-4, or bert-base-uncased on a GPU).',
];

/** A signed difference at one decimal, "+4.1" / "−3.2" / "0.0". */
function signed(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return Number(0).toFixed(digits);
  return `${value > 0 ? '+' : '−'}${text}`;
}

function classificationView(report: BaselineReport, evaluation: EvalMetrics | null): Pick<BaselineView, 'rows' | 'verdict' | 'behind'> {
  const bert = evaluation?.classification;
  const rows = [
    { metric: 'Accuracy', bert: bert ? formatPercent(bert.accuracy) : '–', baseline: formatPercent(report.accuracy ?? Number.NaN) },
    { metric: 'Macro-F1', bert: bert ? formatPercent(bert.macroF1) : '–', baseline: formatPercent(report.macroF1 ?? Number.NaN) },
  ];
  if (!bert || report.accuracy === undefined) return { rows, verdict: null, behind: false };
  const points = signed(100 * (bert.accuracy - report.accuracy), 1);
  if (points.startsWith('+')) return { rows, verdict: `BERT ${points} points over the linear baseline (accuracy).`, behind: false };
  if (points.startsWith('−')) {
    return {
      rows,
      verdict: `BERT is ${points.slice(1)} points below the linear baseline (accuracy): on this split the linear model classifies better.`,
      behind: true,
    };
  }
  return { rows, verdict: 'BERT ties the linear baseline (accuracy): it adds nothing over it yet.', behind: true };
}

function regressionView(report: BaselineReport, evaluation: EvalMetrics | null): Pick<BaselineView, 'rows' | 'verdict' | 'behind'> {
  const bertRmse = evaluation?.mse === undefined ? undefined : Math.sqrt(evaluation.mse);
  const rows = [
    { metric: 'RMSE', bert: bertRmse === undefined ? '–' : formatSmall(bertRmse), baseline: formatSmall(report.rmse ?? Number.NaN) },
    { metric: 'Pearson r', bert: formatSmall(evaluation?.pearson ?? Number.NaN), baseline: formatSmall(report.pearson ?? Number.NaN) },
    { metric: 'Spearman ρ', bert: formatSmall(evaluation?.spearman ?? Number.NaN), baseline: formatSmall(report.spearman ?? Number.NaN) },
  ];
  if (bertRmse === undefined || report.rmse === undefined) return { rows, verdict: null, behind: false };
  const [bert, baseline] = [formatSmall(bertRmse), formatSmall(report.rmse)];
  if (bertRmse < report.rmse && bert !== baseline) {
    return { rows, verdict: `BERT's RMSE is ${formatSmall(report.rmse - bertRmse)} lower than the linear baseline's (${bert} vs ${baseline}).`, behind: false };
  }
  if (bert === baseline) return { rows, verdict: `BERT ties the linear baseline (RMSE ${bert}): it adds nothing over it yet.`, behind: true };
  return {
    rows,
    verdict: `BERT's RMSE is ${formatSmall(bertRmse - report.rmse)} higher than the linear baseline's (${bert} vs ${baseline}): on this split the linear model predicts better.`,
    behind: true,
  };
}

export function baselineView(report: BaselineReport, evaluation: EvalMetrics | null): BaselineView {
  const compared = report.kind === 'classification' ? classificationView(report, evaluation) : regressionView(report, evaluation);
  const rows = report.trainRows === report.trainRowsAvailable
    ? `${formatCount(report.trainRows)} training rows`
    : `${formatCount(report.trainRows)} of ${formatCount(report.trainRowsAvailable)} training rows`;
  return {
    ...compared,
    suggestions: compared.behind ? SUGGESTIONS : [],
    details: `${report.method}. Fitted on ${rows} (${report.seconds.toFixed(1)} s of compute), scored on the ${formatCount(report.validationRows)} validation rows BERT is scored on.`,
    notes: report.notes,
  };
}

const STEPS: Record<string, string> = {
  features: 'computing TF-IDF features',
  fit: 'fitting',
  score: 'scoring the validation rows',
};

/** A baseline that is not (or not yet) there, in words. */
export function baselineStatusText(status: Exclude<BaselineStatus, { state: 'done' }>): string {
  switch (status.state) {
    case 'running': {
      const fraction = progressFraction(status.progress);
      const step = STEPS[status.progress.item ?? ''] ?? 'working';
      return `Fitting the linear baseline: ${step}${fraction === undefined ? '' : ` (${Math.round(fraction * 100)}%)`}…`;
    }
    case 'cancelled':
      return 'The linear baseline was cancelled with the run; the next run fits it again.';
    case 'failed':
      return `The linear baseline could not be fitted: ${status.message}`;
  }
}
