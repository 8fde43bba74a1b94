/**
 * The held-out comparison (`npm run compare -- --heldout`): per seed, a labelled file is split into train and
 * test (stratified, the studio's own split); the bundled model is fine-tuned on train with the studio's
 * default settings (no hyperparameter flags, so the CLI fits them to the model and data) and predicts test,
 * and the built-in linear baseline is fitted on the same train rows and scored on the same test rows. The
 * test rows take no part in either model's training or model selection.
 */
import Papa from 'papaparse';
import { parseDataset, type Row } from '../../src/data/parse';
import { splitTrainValidation } from '../../src/data/split';
import { classificationReport } from '../../src/train/metrics';

export interface LabelledRows {
  texts: string[];
  labels: string[];
  /** Sorted label names: class id = index. */
  classes: string[];
}

export interface Scores {
  accuracy: number;
  macro_f1: number;
}

export interface HeldoutRun {
  seed: number;
  train_rows: number;
  test_rows: number;
  bert: Scores;
  baseline: Scores;
  command: string;
}

export interface HeldoutComparison {
  task: string;
  runs: HeldoutRun[];
  mean: { bert: number; baseline: number };
  /** Mean BERT test accuracy minus the baseline's, in points. */
  difference_points: number;
  verdict: string;
  command: string;
}

/** The text and label columns of a CSV, JSON or JSONL file. */
export function readLabelled(text: string, fileName: string, textColumn = 'text', labelColumn = 'label'): LabelledRows {
  const { rows } = parseDataset(text, fileName);
  const cell = (row: Row, column: string, index: number): string => {
    const value = row[column];
    if (value === null || value === undefined || String(value).trim() === '') {
      throw new Error(`${fileName}: row ${index + 1} has no "${column}"`);
    }
    return String(value);
  };
  const texts = rows.map((row, i) => cell(row, textColumn, i));
  const labels = rows.map((row, i) => cell(row, labelColumn, i));
  return { texts, labels, classes: [...new Set(labels)].sort() };
}

/** Row indices of a stratified train/test split (the split the studio uses for validation). */
export function splitRows(rows: LabelledRows, seed: number, testFraction: number): { train: number[]; test: number[] } {
  const strata = rows.labels.map((label) => rows.classes.indexOf(label));
  const { train, validation } = splitTrainValidation(rows.texts.length, { seed, validationFraction: testFraction, strata });
  return { train, test: validation };
}

/** A text,label CSV of the given rows. */
export function toCsv(rows: LabelledRows, indices: readonly number[]): string {
  return `${Papa.unparse({ fields: ['text', 'label'], data: indices.map((i) => [rows.texts[i], rows.labels[i]]) }, { newline: '\n' })}\n`;
}

/** Accuracy and macro-F1 of predicted label names against the true ones. */
export function score(predicted: readonly string[], truth: readonly string[], classes: readonly string[]): Scores {
  if (predicted.length !== truth.length) throw new Error(`${predicted.length} predictions for ${truth.length} rows`);
  const id = (label: string): number => {
    const index = classes.indexOf(label);
    if (index < 0) throw new Error(`unknown label "${label}" (known: ${classes.join(', ')})`);
    return index;
  };
  const report = classificationReport(predicted.map(id), truth.map(id), classes.length);
  return { accuracy: report.accuracy, macro_f1: report.macroF1 };
}

/** Predicted labels from the CLI's predict JSONL (one record per row, in order). */
export function predictedLabels(jsonl: string): string[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const label = (JSON.parse(line) as { label?: unknown }).label;
      if (typeof label !== 'string') throw new Error(`prediction ${i + 1} has no label`);
      return label;
    });
}

const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

export function summariseHeldout(task: string, runs: HeldoutRun[], command: string): HeldoutComparison {
  if (runs.length === 0) throw new Error('the held-out comparison needs at least one run');
  const bert = mean(runs.map((r) => r.bert.accuracy));
  const baseline = mean(runs.map((r) => r.baseline.accuracy));
  const difference_points = 100 * (bert - baseline);
  const wins = runs.filter((r) => r.bert.accuracy > r.baseline.accuracy).length;
  const verdict =
    difference_points > 0
      ? `The fine-tuned model beats the linear baseline by ${difference_points.toFixed(1)} points of mean test accuracy (ahead on ${wins} of ${runs.length} seeds).`
      : `The fine-tuned model loses to the linear baseline by ${(-difference_points).toFixed(1)} points of mean test accuracy (ahead on ${wins} of ${runs.length} seeds): on this data the bag-of-words model is the better choice.`;
  return { task, runs, mean: { bert, baseline }, difference_points, verdict, command };
}
