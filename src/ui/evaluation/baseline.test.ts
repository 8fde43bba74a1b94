import { describe, expect, it } from 'vitest';
import type { BaselineReport, EvalMetrics } from '../../worker/protocol';
import { baselineStatusText, baselineView, SUGGESTIONS } from './baseline';

const classification: BaselineReport = {
  kind: 'classification',
  method: 'TF-IDF of word 1–2-grams and character 3–5-grams (hashed into 2 × 262,144 columns) + binary logistic regression (C = 1)',
  accuracy: 0.75,
  macroF1: 0.74,
  trainRows: 398,
  trainRowsAvailable: 398,
  validationRows: 44,
  hashBits: 18,
  nonZeros: 1000,
  iterations: 12,
  converged: true,
  seconds: 0.42,
  notes: [],
};
const bert = (accuracy: number, macroF1 = accuracy): EvalMetrics => ({
  step: 10,
  epoch: 1,
  loss: 0.5,
  isBest: true,
  classification: { accuracy, macroF1, perClass: [], confusion: [] },
});

describe('baselineView', () => {
  it('puts BERT\'s accuracy and macro-F1 beside the baseline\'s and says by how many points BERT leads', () => {
    const view = baselineView(classification, bert(0.791, 0.78));
    expect(view.rows).toEqual([
      { metric: 'Accuracy', bert: '79.1%', baseline: '75.0%' },
      { metric: 'Macro-F1', bert: '78.0%', baseline: '74.0%' },
    ]);
    expect(view.verdict).toBe('BERT +4.1 points over the linear baseline (accuracy).');
    expect(view.behind).toBe(false);
    expect(view.suggestions).toEqual([]);
    expect(view.details).toBe(`${classification.method}. Fitted on 398 training rows (0.4 s of compute), scored on the 44 validation rows BERT is scored on.`);
  });

  it('says plainly when BERT loses or ties, and what to try', () => {
    const losing = baselineView(classification, bert(0.682));
    expect(losing.verdict).toBe('BERT is 6.8 points below the linear baseline (accuracy): on this split the linear model classifies better.');
    expect(losing.behind).toBe(true);
    expect(losing.suggestions).toEqual(SUGGESTIONS);
    expect(losing.suggestions.join(' ')).toMatch(/learning-rate finder.*more epochs.*larger model from the Hub/);
    const tied = baselineView(classification, bert(0.7502));
    expect(tied.verdict).toBe('BERT ties the linear baseline (accuracy): it adds nothing over it yet.');
    expect(tied.behind).toBe(true);
  });

  it('shows the baseline alone before BERT is evaluated, with its notes and a capped fit\'s row count', () => {
    const view = baselineView({ ...classification, trainRows: 25_000, trainRowsAvailable: 1_800_000, notes: ['Fitted on a sample.'] }, null);
    expect(view.rows.map((r) => r.bert)).toEqual(['–', '–']);
    expect(view.verdict).toBeNull();
    expect(view.details).toMatch(/Fitted on 25,000 of 1.80M training rows/);
    expect(view.notes).toEqual(['Fitted on a sample.']);
  });

  it('compares RMSE for regression (lower is better) and shows Pearson\'s r and Spearman\'s rho beside it', () => {
    const regression: BaselineReport = { ...classification, kind: 'regression', accuracy: undefined, macroF1: undefined, rmse: 0.6, pearson: 0.8, spearman: 0.7 };
    const evaluation = { ...bert(0), classification: undefined, mse: 0.25, pearson: 0.9, spearman: 0.85 };
    const ahead = baselineView(regression, evaluation);
    expect(ahead.rows).toEqual([
      { metric: 'RMSE', bert: '0.5', baseline: '0.6' },
      { metric: 'Pearson r', bert: '0.9', baseline: '0.8' },
      { metric: 'Spearman ρ', bert: '0.85', baseline: '0.7' },
    ]);
    expect(ahead.verdict).toBe('BERT\'s RMSE is 0.1 lower than the linear baseline\'s (0.5 vs 0.6).');
    const behind = baselineView(regression, { ...evaluation, mse: 0.49 });
    expect(behind.verdict).toBe('BERT\'s RMSE is 0.1 higher than the linear baseline\'s (0.7 vs 0.6): on this split the linear model predicts better.');
    expect(behind.behind).toBe(true);
    expect(baselineView({ ...regression, pearson: Number.NaN }, null).rows[1]).toEqual({ metric: 'Pearson r', bert: '–', baseline: '–' });
  });
});

describe('baselineStatusText', () => {
  it('describes a fit under way, a cancelled one and a failed one', () => {
    expect(baselineStatusText({ state: 'running', progress: { stage: 'baseline', item: 'features', loaded: 200, total: 400 } })).toBe(
      'Fitting the linear baseline: computing TF-IDF features (50%)…',
    );
    expect(baselineStatusText({ state: 'running', progress: { stage: 'baseline', item: 'fit', loaded: 3, total: 100 } })).toBe('Fitting the linear baseline: fitting (3%)…');
    expect(baselineStatusText({ state: 'cancelled' })).toMatch(/cancelled with the run/);
    expect(baselineStatusText({ state: 'failed', message: 'the validation split is empty' })).toBe(
      'The linear baseline could not be fitted: the validation split is empty',
    );
  });
});
