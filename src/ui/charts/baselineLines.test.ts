import { describe, expect, it } from 'vitest';
import type { BaselineReport } from '../../worker/protocol';
import { baselineLines } from './baselineLines';

const report = (fields: Partial<BaselineReport>): BaselineReport => ({
  kind: 'classification',
  method: 'm',
  trainRows: 10,
  trainRowsAvailable: 10,
  validationRows: 2,
  hashBits: 18,
  nonZeros: 100,
  iterations: 5,
  converged: true,
  seconds: 0.1,
  notes: [],
  ...fields,
});
const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

describe('baselineLines', () => {
  it('draws the baseline\'s accuracy and macro-F1 beside the chart\'s series of the same names', () => {
    const keys = [{ key: 'accuracy', label: 'Accuracy' }, { key: 'macroF1', label: 'Macro-F1' }];
    expect(baselineLines(report({ accuracy: 0.716, macroF1: 0.7 }), keys, percent)).toEqual([
      { key: 'accuracy', value: 0.716, label: 'linear baseline accuracy 71.6%' },
      { key: 'macroF1', value: 0.7, label: 'linear baseline macro-F1 70.0%' },
    ]);
  });

  it('draws regression\'s RMSE as MSE on the MSE chart, and nothing for MLM or before the baseline exists', () => {
    const regression = report({ kind: 'regression', rmse: 0.5, pearson: 0.9 });
    expect(baselineLines(regression, [{ key: 'mse', label: 'MSE' }], String)).toEqual([{ key: 'mse', value: 0.25, label: 'linear baseline MSE 0.25' }]);
    expect(baselineLines(regression, [{ key: 'maskedAccuracy', label: 'Masked accuracy' }], String)).toEqual([]);
    expect(baselineLines(null, [{ key: 'accuracy', label: 'Accuracy' }], String)).toEqual([]);
  });
});
