// The linear baseline against scikit-learn (tools/reference/make_baseline_fixture.py): the same hashed columns,
// TF-IDF values, fitted probabilities and ridge predictions, and the same validation metrics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../tools/testing/fixtures';
import { fitBaseline } from './fitBaseline';
import { fitLogistic, predictProbabilities } from './logistic';
import { murmurhash3 } from './murmur';
import { fitRidge } from './ridge';
import { rowScores } from './sparse';
import { fitTfidf, tfidfTransformer } from './tfidf';
import { drain, TIGHT_SETTINGS } from './testing';

interface Rows {
  columns: number[];
  values: number[];
}

interface Split {
  texts: string[];
  targets: number[];
}

interface ClassificationCase {
  bits: number;
  labels: string[];
  train: Split;
  validation: Split;
  classes: number[];
  probabilities: number[][];
  predictions: number[];
  accuracy: number;
  macro_f1: number;
  tfidf?: { train: Rows[]; validation: Rows[] };
}

interface Fixture {
  C: number;
  alpha: number;
  murmurhash3: Record<string, number>;
  binary: ClassificationCase;
  multiclass: ClassificationCase;
  regression: { bits: number; train: Split; validation: Split; predictions: number[]; rmse: number; pearson: number };
}

const fixture = JSON.parse(readFileSync(join(FIXTURES_DIR, 'baseline', 'golden.json'), 'utf8')) as Fixture;

/** Largest |a − b| over paired numbers. */
function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** One row as (hashed column → value). */
function byColumn(columns: ArrayLike<number>, values: ArrayLike<number>): Map<number, number> {
  return new Map(Array.from(columns, (column, i) => [column, values[i]]));
}

function expectSameRow(ours: Map<number, number>, theirs: Map<number, number>): number {
  expect([...ours.keys()].sort((a, b) => a - b)).toEqual([...theirs.keys()].sort((a, b) => a - b));
  return worst([...theirs.keys()].map((c) => ours.get(c)!), [...theirs.values()]);
}

describe('MurmurHash3 against sklearn.utils.murmurhash3_32', () => {
  it('hashes UTF-8 bytes to the same signed 32-bit values', () => {
    for (const [text, expected] of Object.entries(fixture.murmurhash3)) {
      const bytes = new TextEncoder().encode(text);
      expect(murmurhash3(bytes, 0, bytes.length), text).toBe(expected);
    }
  });
});

describe('TF-IDF against HashingVectorizer + TfidfTransformer', () => {
  const { bits, train, validation, tfidf } = fixture.binary;
  const { vectorizer, matrix } = drain(fitTfidf(train.texts, { bits, maxNonZeros: Infinity }));

  it('gives every training row the same hashed columns and values (float32 storage: within 1e-7)', () => {
    let error = 0;
    for (let r = 0; r < train.texts.length; r++) {
      const [start, end] = [matrix.indptr[r], matrix.indptr[r + 1]];
      const hashed = Array.from(matrix.indices.subarray(start, end), (feature) => vectorizer.features[feature]);
      const expected = tfidf!.train[r];
      error = Math.max(error, expectSameRow(byColumn(hashed, matrix.values.subarray(start, end)), byColumn(expected.columns, expected.values)));
    }
    console.log(`baseline TF-IDF, training rows: largest difference from sklearn ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-7);
  });

  it('normalises validation rows over every n-gram, unseen ones included, and keeps only fitted columns', () => {
    const transform = tfidfTransformer(vectorizer);
    let error = 0;
    let dropped = 0;
    for (const [r, text] of validation.texts.entries()) {
      const row = transform(text);
      const expected = tfidf!.validation[r];
      const kept = expected.columns.flatMap((column, i) => (vectorizer.featureOf[column] >= 0 ? [[column, expected.values[i]] as const] : []));
      dropped += expected.columns.length - kept.length;
      const hashed = Array.from(row.columns, (feature) => vectorizer.features[feature]);
      error = Math.max(error, expectSameRow(byColumn(hashed, row.values), new Map(kept)));
    }
    console.log(`baseline TF-IDF, validation rows: largest difference from sklearn ${error.toExponential(2)} (${dropped} unseen n-gram columns)`);
    expect(dropped).toBeGreaterThan(0);
    expect(error).toBeLessThan(1e-12);
  });
});

describe.each(['binary', 'multiclass'] as const)('LogisticRegression(C=1), %s', (name) => {
  const task = fixture[name];

  it('reaches sklearn\'s optimum: the same validation probabilities within 1e-7', () => {
    const { vectorizer, matrix } = drain(fitTfidf(task.train.texts, { bits: task.bits, maxNonZeros: Infinity }));
    const local = Int32Array.from(task.train.targets, (t) => task.classes.indexOf(t));
    const { model, converged } = drain(fitLogistic(matrix, local, task.classes.length, fixture.C, TIGHT_SETTINGS.solver));
    expect(converged).toBe(true);
    const transform = tfidfTransformer(vectorizer);
    const error = Math.max(...task.validation.texts.map((text, r) => worst(predictProbabilities(model, transform(text)), task.probabilities[r])));
    console.log(`baseline logistic regression (${name}): largest probability difference from sklearn ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-7);
  });

  it('reports sklearn\'s accuracy and macro-F1 end to end', async () => {
    const report = await fitBaseline(
      { task: { kind: 'classification', labels: task.labels }, train: task.train, validation: task.validation },
      { settings: TIGHT_SETTINGS },
    );
    expect(report.accuracy).toBeCloseTo(task.accuracy, 12);
    expect(report.macroF1).toBeCloseTo(task.macro_f1, 12);
    expect(report.hashBits).toBe(task.bits);
  });
});

describe('Ridge(alpha=1)', () => {
  const task = fixture.regression;

  it('gives the exact ridge solution\'s validation predictions within 1e-7', () => {
    const { vectorizer, matrix } = drain(fitTfidf(task.train.texts, { bits: task.bits, maxNonZeros: Infinity }));
    const { model, converged } = drain(fitRidge(matrix, Float64Array.from(task.train.targets), fixture.alpha, TIGHT_SETTINGS.ridge));
    expect(converged).toBe(true);
    const transform = tfidfTransformer(vectorizer);
    const predictions = task.validation.texts.map((text) => rowScores(transform(text), model.weights, model.intercepts)[0]);
    const error = worst(predictions, task.predictions);
    console.log(`baseline ridge: largest prediction difference from sklearn ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-7);
  });

  it('reports sklearn\'s RMSE and scipy\'s Pearson r end to end', async () => {
    const report = await fitBaseline({ task: { kind: 'regression' }, train: task.train, validation: task.validation }, { settings: TIGHT_SETTINGS });
    expect(report.rmse).toBeCloseTo(task.rmse, 6);
    expect(report.pearson).toBeCloseTo(task.pearson, 6);
  });
});
