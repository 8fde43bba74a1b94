import { describe, expect, it } from 'vitest';
import { TrainInputError } from '../errors';
import { baselineSteps, DEFAULT_BASELINE_SETTINGS, fitBaseline, hashBitsFor, PARAMETER_BUDGET, type BaselineInput } from './fitBaseline';
import { drain } from './testing';

const LABELS = ['negative', 'positive'];
const POSITIVE = ['good food', 'great staff', 'lovely room', 'good coffee', 'great view', 'lovely and good'];
const NEGATIVE = ['bad food', 'awful staff', 'dirty room', 'bad coffee', 'awful view', 'dirty and bad'];

/** A separable sentiment split: `copies` of every sentence in training, one of each in validation. */
function sentiment(copies = 3): BaselineInput {
  const texts = [...POSITIVE, ...NEGATIVE];
  const targets = [...POSITIVE.map(() => 1), ...NEGATIVE.map(() => 0)];
  return {
    task: { kind: 'classification', labels: LABELS },
    train: { texts: Array.from({ length: copies }, () => texts).flat(), targets: Array.from({ length: copies }, () => targets).flat() },
    validation: { texts, targets },
  };
}

describe('fitBaseline', () => {
  it('fits logistic regression on the training split and scores every validation row', async () => {
    const report = await fitBaseline(sentiment());
    expect(report).toMatchObject({ kind: 'classification', accuracy: 1, macroF1: 1, trainRows: 36, trainRowsAvailable: 36, validationRows: 12, hashBits: 18, notes: [] });
    expect(report.method).toBe('TF-IDF of word 1–2-grams and character 3–5-grams (hashed into 2 × 262,144 columns) + binary logistic regression (C = 1)');
    expect(report.converged).toBe(true);
    expect(report.seconds).toBeGreaterThan(0);
  });

  it('fits ridge for regression and reports RMSE and Pearson\'s r', async () => {
    const report = await fitBaseline({
      task: { kind: 'regression' },
      train: { texts: ['good', 'good good', 'bad', 'bad bad', 'fine', 'okay'], targets: [4, 5, 2, 1, 3, 3] },
      validation: { texts: ['good', 'bad', 'fine'], targets: [4.5, 1.5, 3] },
    });
    expect(report.kind).toBe('regression');
    expect(report.method).toMatch(/\+ ridge regression \(alpha = 1\)$/);
    expect(report.rmse).toBeGreaterThan(0);
    expect(report.pearson).toBeGreaterThan(0.9);
  });

  it('shrinks the hash space as classes multiply, so weights × classes stays within the budget', () => {
    expect(hashBitsFor(1)).toBe(18);
    expect(hashBitsFor(3)).toBe(16);
    expect(hashBitsFor(10)).toBe(14);
    expect(2 * 2 ** hashBitsFor(10) * 10).toBeLessThanOrEqual(PARAMETER_BUDGET);
    expect(hashBitsFor(1000)).toBe(8);
  });

  it('fits a random sample of the training rows when the feature budget runs out, and says so', async () => {
    const input = sentiment(20);
    const report = await fitBaseline(input, { settings: { ...DEFAULT_BASELINE_SETTINGS, maxNonZeros: 2000 } });
    expect(report.trainRows).toBeLessThan(report.trainRowsAvailable);
    expect(report.trainRowsAvailable).toBe(240);
    expect(report.nonZeros).toBeLessThanOrEqual(2000);
    expect(report.notes).toEqual([`Fitted on ${report.trainRows} of 240 training rows (a random sample: the feature budget caps the rest).`]);
  });
});

describe('fitBaseline on degenerate data', () => {
  it('predicts the one training class for every row, with a note, when training has a single class', async () => {
    const report = await fitBaseline({
      task: { kind: 'classification', labels: LABELS },
      train: { texts: ['good', 'great', 'lovely'], targets: [1, 1, 1] },
      validation: { texts: ['good', 'bad', 'awful', 'great'], targets: [1, 0, 0, 1] },
    });
    expect(report.accuracy).toBe(0.5);
    expect(report.iterations).toBe(0);
    expect(report.method).toMatch(/one class in training, so a constant prediction$/);
    expect(report.notes).toEqual([
      '“negative” is in the validation split but not among the fitted training rows: the baseline never predicts it.',
      'The fitted training rows all have the label “positive”: the baseline predicts it for every row.',
    ]);
  });

  it('never predicts a label only the validation split has, and counts it in macro-F1', async () => {
    const labels = ['a', 'b', 'c'];
    const report = await fitBaseline({
      task: { kind: 'classification', labels },
      train: { texts: ['apple apple', 'apple pie', 'banana split', 'banana bread'], targets: [0, 0, 1, 1] },
      validation: { texts: ['apple tart', 'banana cake', 'cherry'], targets: [0, 1, 2] },
    });
    expect(report.notes).toEqual(['“c” is in the validation split but not among the fitted training rows: the baseline never predicts it.']);
    expect(report.method).toMatch(/binary logistic regression/);
    // "cherry" goes to a or b: that class has precision 1/2 (F1 2/3), the other F1 1, and c F1 0.
    expect(report.accuracy).toBeCloseTo(2 / 3, 12);
    expect(report.macroF1).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12);
  });

  it('predicts from the class frequencies alone when every training text is empty', async () => {
    const report = await fitBaseline({
      task: { kind: 'classification', labels: LABELS },
      train: { texts: ['', '', '', ' \t'], targets: [1, 1, 1, 0] },
      validation: { texts: ['good', ''], targets: [1, 0] },
    });
    expect(report.nonZeros).toBe(0);
    expect(report.accuracy).toBe(0.5); // the majority class, "positive", for both rows
    expect(report.notes).toEqual(['Every fitted training text is empty: the baseline predicts from the training targets alone.']);
  });

  it('predicts the training mean (Pearson\'s r undefined) for regression on empty texts', async () => {
    const report = await fitBaseline({
      task: { kind: 'regression' },
      train: { texts: ['', ''], targets: [1, 3] },
      validation: { texts: ['x', 'y'], targets: [1, 2] },
    });
    expect(report.rmse).toBeCloseTo(Math.sqrt((1 + 0) / 2), 12);
    expect(report.pearson).toBeNaN();
  });

  it('rejects an empty split, mismatched lengths and targets outside the task', async () => {
    const input = sentiment();
    const empty = { texts: [], targets: [] };
    await expect(fitBaseline({ ...input, train: empty })).rejects.toThrow('the training split is empty: the linear baseline needs rows to fit');
    await expect(fitBaseline({ ...input, validation: empty })).rejects.toThrow('the validation split is empty: the linear baseline needs rows to score');
    await expect(fitBaseline({ ...input, validation: { texts: ['a'], targets: [0, 1] } })).rejects.toThrow('the validation split has 1 texts but 2 targets');
    await expect(fitBaseline({ ...input, validation: { texts: ['a'], targets: [2] } })).rejects.toThrow(TrainInputError);
    await expect(fitBaseline({ task: { kind: 'regression' }, train: { texts: ['a'], targets: [Number.NaN] }, validation: { texts: ['a'], targets: [1] } })).rejects.toThrow(
      'the training target NaN at row 0 is not a finite number',
    );
  });
});

describe('fitBaseline as a background task', () => {
  it('reports progress in its three stages and reaches the same result as running the steps straight through', async () => {
    const stages = new Set<string>();
    const training = sentiment(200);
    const input = { ...training, validation: training.train };
    const report = await fitBaseline(input, { sliceMs: 0, onProgress: (p) => stages.add(`${p.stage}:${p.item}`) });
    expect([...stages]).toEqual(['baseline:features', 'baseline:fit', 'baseline:score']);
    const { accuracy, iterations, nonZeros } = drain(baselineSteps(input));
    expect(report).toMatchObject({ accuracy, iterations, nonZeros });
  });

  it('lets timers and messages run between slices', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await fitBaseline(sentiment(400), { sliceMs: 1 });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('stops with the abort reason when its signal is aborted', async () => {
    const controller = new AbortController();
    const fit = fitBaseline(sentiment(400), { signal: controller.signal, sliceMs: 0, onProgress: () => controller.abort(new Error('stopped by the user')) });
    await expect(fit).rejects.toThrow('stopped by the user');
    const aborted = AbortSignal.abort();
    await expect(fitBaseline(sentiment(), { signal: aborted })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
