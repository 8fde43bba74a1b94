/**
 * The linear baseline on the validation-metric chart: one horizontal line per metric the chart draws, at the
 * baseline's reading of it (accuracy and macro-F1; MSE, its RMSE squared, for regression).
 */
import type { BaselineReport } from '../../worker/protocol';
import type { SeriesKey } from './series';

export interface BaselineLine {
  /** The chart series it belongs beside (drawn in that series' colour). */
  key: string;
  value: number;
  label: string;
}

const READINGS: Record<string, { name: string; value: (report: BaselineReport) => number | undefined }> = {
  accuracy: { name: 'accuracy', value: (r) => r.accuracy },
  macroF1: { name: 'macro-F1', value: (r) => r.macroF1 },
  mse: { name: 'MSE', value: (r) => (r.rmse === undefined ? undefined : r.rmse ** 2) },
};

export function baselineLines(report: BaselineReport | null, keys: readonly SeriesKey[], format: (value: number) => string): BaselineLine[] {
  if (!report) return [];
  return keys.flatMap(({ key }) => {
    const reading = READINGS[key];
    const value = reading?.value(report);
    if (value === undefined || !Number.isFinite(value)) return [];
    return [{ key, value, label: `linear baseline ${reading.name} ${format(value)}` }];
  });
}
