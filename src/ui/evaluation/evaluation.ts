/** What the evaluation panel shows, derived from one EvalMetrics: headline numbers, confusion cells, per-class rows. */
import type { ClassificationReport } from '../../train/metrics';
import type { EntityReport, EvalMetrics, MisclassifiedExample } from '../../worker/protocol';
import { formatPercent, formatSmall, type Stat } from '../common';

/** Class names by id: the data's labels, or LABEL_i where the data does not name a class. */
export function classNames(numClasses: number, labels: readonly string[] | undefined): string[] {
  return Array.from({ length: numClasses }, (_, i) => labels?.[i] ?? `LABEL_${i}`);
}

export function headline(evaluation: EvalMetrics): Stat[] {
  const loss = { label: 'Validation loss', value: formatSmall(evaluation.loss) };
  if (evaluation.answers) {
    const { exactMatch, f1, questions, unanswerable } = evaluation.answers;
    return [
      { label: 'Exact match', value: formatPercent(exactMatch) },
      { label: 'F1', value: formatPercent(f1) },
      { label: 'Questions', value: unanswerable > 0 ? `${questions} (${unanswerable} unanswerable)` : String(questions) },
      loss,
    ];
  }
  if (evaluation.entities) {
    const { micro, accuracy } = evaluation.entities;
    return [
      { label: 'Entity F1', value: formatPercent(micro.f1) },
      { label: 'Precision', value: formatPercent(micro.precision) },
      { label: 'Recall', value: formatPercent(micro.recall) },
      { label: 'Tag accuracy', value: formatPercent(accuracy) },
      loss,
    ];
  }
  if (evaluation.classification) {
    return [
      { label: 'Accuracy', value: formatPercent(evaluation.classification.accuracy) },
      { label: 'Macro-F1', value: formatPercent(evaluation.classification.macroF1) },
      loss,
    ];
  }
  if (evaluation.maskedAccuracy !== undefined) {
    return [
      { label: 'Masked accuracy', value: formatPercent(evaluation.maskedAccuracy) },
      { label: 'Perplexity', value: evaluation.perplexity === undefined ? '–' : formatSmall(evaluation.perplexity) },
      loss,
    ];
  }
  if (evaluation.mse !== undefined) {
    return [
      { label: 'MSE', value: formatSmall(evaluation.mse) },
      { label: 'RMSE', value: formatSmall(Math.sqrt(evaluation.mse)) },
      { label: 'Pearson r', value: formatSmall(evaluation.pearson ?? Number.NaN) },
      { label: 'Spearman ρ', value: formatSmall(evaluation.spearman ?? Number.NaN) },
      loss,
    ];
  }
  return [loss];
}

export interface ConfusionCell {
  label: number;
  predicted: number;
  count: number;
  /** Share of the true class's examples (the row), in [0, 1]; 0 for an empty row. */
  share: number;
  correct: boolean;
}

export interface ConfusionRow {
  label: number;
  support: number;
  cells: ConfusionCell[];
}

/** The confusion matrix with each cell's share of its row, so rare classes are as readable as common ones. */
export function confusionRows(confusion: readonly (readonly number[])[]): ConfusionRow[] {
  const size = confusion.length;
  if (confusion.some((row) => row.length !== size)) {
    throw new RangeError(`a confusion matrix must be square, got ${size} rows of lengths ${confusion.map((row) => row.length).join(', ')}`);
  }
  return confusion.map((row, label) => {
    const support = row.reduce((a, b) => a + b, 0);
    return {
      label,
      support,
      cells: row.map((count, predicted) => ({ label, predicted, count, share: support === 0 ? 0 : count / support, correct: label === predicted })),
    };
  });
}

/** Background of a cell: the right/wrong colour mixed into the panel by the cell's share of its row. */
export function cellBackground(cell: ConfusionCell): string {
  if (cell.count === 0) return 'transparent';
  const tone = cell.correct ? 'var(--good)' : 'var(--bad)';
  const percent = Math.round(12 + cell.share * 78);
  return `color-mix(in srgb, ${tone} ${percent}%, var(--panel))`;
}

/** Cells dark enough to need light text. */
export function needsLightText(cell: ConfusionCell): boolean {
  return cell.count > 0 && cell.share >= 0.55;
}

export interface ClassRow {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function classRows(report: ClassificationReport, names: readonly string[]): ClassRow[] {
  return report.perClass.map((metrics, id) => ({ name: names[id] ?? `LABEL_${id}`, ...metrics }));
}

/** Token classification: a row per entity type, then the micro average over all entities. */
export function entityRows(report: EntityReport): ClassRow[] {
  return [...Object.entries(report.perType).map(([name, scores]) => ({ name, ...scores })), { name: 'All (micro)', ...report.micro }];
}

/** A confusion cell picked to filter the misclassified list, by class name. */
export interface MistakeFilter {
  label: string;
  predicted: string;
}

export function filterMistakes(mistakes: readonly MisclassifiedExample[], filter: MistakeFilter | null): MisclassifiedExample[] {
  if (!filter) return [...mistakes];
  return mistakes.filter((m) => m.label === filter.label && m.predicted === filter.predicted);
}

/** Errors in the confusion matrix (every off-diagonal count), which the listed examples are a sample of. */
export function mistakeCount(confusion: readonly (readonly number[])[]): number {
  return confusion.reduce((total, row, label) => total + row.reduce((n, count, predicted) => n + (label === predicted ? 0 : count), 0), 0);
}

/**
 * Why an evaluation shows a model that has not learned, or null: every prediction one class (with more than one
 * class among the labels), or a validation loss still at ln(classes), what a uniform guess scores and where a
 * fresh classifier head starts. Either looks like a result in the numbers, so the panel says it in words.
 */
export function notLearned(evaluation: EvalMetrics, names: readonly string[]): string | null {
  const report = evaluation.classification;
  if (!report) return null;
  const classes = report.confusion.length;
  const predicted = report.confusion[0].map((_, p) => report.confusion.reduce((n, row) => n + row[p], 0));
  const present = report.confusion.filter((row) => row.some((count) => count > 0)).length;
  const only = predicted.filter((count) => count > 0);
  const chance = Math.log(classes);
  const flat = classes > 1 && Math.abs(evaluation.loss - chance) < 0.01 * chance;
  if (present > 1 && only.length === 1) {
    const name = names[predicted.findIndex((count) => count > 0)] ?? 'one class';
    return `The model predicts “${name}” for every row: it has not learned to tell the classes apart${flat ? ` (the validation loss, ${formatSmall(evaluation.loss)}, is still a uniform guess's)` : ''}.`;
  }
  if (flat) return `The validation loss, ${formatSmall(evaluation.loss)}, is still what a uniform guess over ${classes} classes scores: the model has not learned yet.`;
  return null;
}
