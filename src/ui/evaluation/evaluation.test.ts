import { describe, expect, it } from 'vitest';
import type { EvalMetrics, MisclassifiedExample } from '../../worker/protocol';
import { cellBackground, classNames, classRows, confusionRows, entityRows, filterMistakes, headline, mistakeCount, needsLightText, notLearned } from './evaluation';

const report = {
  accuracy: 0.75,
  macroF1: 0.7,
  perClass: [
    { precision: 0.8, recall: 0.9, f1: 0.85, support: 10 },
    { precision: 0.5, recall: 0.25, f1: 0.33, support: 4 },
  ],
  confusion: [
    [9, 1],
    [3, 1],
  ],
};
const base: EvalMetrics = { step: 10, epoch: 1, loss: 0.4321, isBest: true };

describe('classNames', () => {
  it('uses the data\'s labels and names the rest by id', () => {
    expect(classNames(3, ['neg', 'pos'])).toEqual(['neg', 'pos', 'LABEL_2']);
    expect(classNames(2, undefined)).toEqual(['LABEL_0', 'LABEL_1']);
  });
});

describe('headline', () => {
  it('shows accuracy and macro-F1 for classification', () => {
    expect(headline({ ...base, classification: report })).toEqual([
      { label: 'Accuracy', value: '75.0%' },
      { label: 'Macro-F1', value: '70.0%' },
      { label: 'Validation loss', value: '0.432' },
    ]);
  });

  it('shows masked accuracy and perplexity for MLM, MSE, RMSE and both correlations for regression, else the loss', () => {
    expect(headline({ ...base, maskedAccuracy: 0.3, perplexity: 12.5 }).map((s) => s.value)).toEqual(['30.0%', '12.5', '0.432']);
    expect(headline({ ...base, mse: 0.25, pearson: 0.9, spearman: 0.75 }).map((s) => [s.label, s.value])).toEqual([
      ['MSE', '0.25'],
      ['RMSE', '0.5'],
      ['Pearson r', '0.9'],
      ['Spearman ρ', '0.75'],
      ['Validation loss', '0.432'],
    ]);
    expect(headline(base)).toEqual([{ label: 'Validation loss', value: '0.432' }]);
  });

  it('shows exact match and F1 for question answering, and how many questions have no answer', () => {
    expect(headline({ ...base, answers: { exactMatch: 0.5, f1: 0.625, questions: 8, unanswerable: 2 } }).map((s) => [s.label, s.value])).toEqual([
      ['Exact match', '50.0%'],
      ['F1', '62.5%'],
      ['Questions', '8 (2 unanswerable)'],
      ['Validation loss', '0.432'],
    ]);
  });

  it('shows entity F1, precision, recall and tag accuracy for token classification, and a row per type then micro', () => {
    const entities = {
      perType: { LOC: { precision: 1, recall: 0.5, f1: 2 / 3, support: 2 }, PER: { precision: 0.5, recall: 1, f1: 2 / 3, support: 1 } },
      micro: { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
      accuracy: 0.9,
    };
    expect(headline({ ...base, entities }).map((s) => [s.label, s.value])).toEqual([
      ['Entity F1', '66.7%'],
      ['Precision', '66.7%'],
      ['Recall', '66.7%'],
      ['Tag accuracy', '90.0%'],
      ['Validation loss', '0.432'],
    ]);
    expect(entityRows(entities).map((row) => [row.name, row.support])).toEqual([['LOC', 2], ['PER', 1], ['All (micro)', 3]]);
  });
});

describe('confusionRows', () => {
  it('gives each cell its share of the true class', () => {
    const rows = confusionRows(report.confusion);
    expect(rows.map((r) => r.support)).toEqual([10, 4]);
    expect(rows[1].cells[0]).toEqual({ label: 1, predicted: 0, count: 3, share: 0.75, correct: false });
    expect(rows[0].cells[0].correct).toBe(true);
  });

  it('handles a class with no examples', () => {
    expect(confusionRows([[0, 0], [1, 1]])[0].cells.map((c) => c.share)).toEqual([0, 0]);
  });

  it('rejects a matrix that is not square', () => {
    expect(() => confusionRows([[1, 2], [3]])).toThrow(/must be square/);
  });
});

describe('cell colours', () => {
  const [[right, wrong], [rare]] = confusionRows([[9, 1], [0, 2]]).map((r) => r.cells);
  it('tints right answers green and mistakes red by share; empty cells stay clear', () => {
    expect(cellBackground(right)).toBe('color-mix(in srgb, var(--good) 82%, var(--panel))');
    expect(cellBackground(wrong)).toBe('color-mix(in srgb, var(--bad) 20%, var(--panel))');
    expect(cellBackground(rare)).toBe('transparent');
  });

  it('asks for light text on dark cells only', () => {
    expect([right, wrong, rare].map(needsLightText)).toEqual([true, false, false]);
  });
});

describe('classRows', () => {
  it('names each class\'s metrics', () => {
    expect(classRows(report, ['neg', 'pos'])[1]).toEqual({ name: 'pos', precision: 0.5, recall: 0.25, f1: 0.33, support: 4 });
  });
});

describe('mistakes', () => {
  const mistakes: MisclassifiedExample[] = [
    { row: 1, text: 'a', label: 'neg', predicted: 'pos', confidence: 0.9 },
    { row: 2, text: 'b', label: 'pos', predicted: 'neg', confidence: 0.8 },
  ];
  it('filters by the picked confusion cell', () => {
    expect(filterMistakes(mistakes, { label: 'pos', predicted: 'neg' }).map((m) => m.row)).toEqual([2]);
    expect(filterMistakes(mistakes, null)).toEqual(mistakes);
  });

  it('counts every off-diagonal example', () => {
    expect(mistakeCount(report.confusion)).toBe(4);
  });
});

describe('notLearned', () => {
  const names = ['negative', 'positive'];
  const withConfusion = (confusion: number[][], loss: number): EvalMetrics => ({
    ...base,
    loss,
    classification: { ...report, confusion, perClass: confusion.map(() => ({ precision: 0, recall: 0, f1: 0, support: 1 })) },
  });

  it('says when every prediction is one class, naming it', () => {
    const message = notLearned(withConfusion([[22, 0], [22, 0]], 0.693), names);
    expect(message).toMatch(/^The model predicts “negative” for every row: .*still a uniform guess's\)\.$/);
  });

  it('says when the loss is still ln(classes), whatever the predictions', () => {
    expect(notLearned(withConfusion([[12, 10], [11, 11]], Math.log(2) + 0.001), names)).toMatch(/uniform guess over 2 classes/);
  });

  it('says nothing about a model that learned, or a single-class validation set', () => {
    expect(notLearned(withConfusion([[14, 8], [8, 14]], 0.651), names)).toBeNull();
    expect(notLearned(withConfusion([[5, 0], [0, 0]], 0.2), names)).toBeNull();
    expect(notLearned({ ...base }, names)).toBeNull();
  });
});
