/** A dataset as a run keeps and saves it: its files' texts, the columns picked and the split. */
import type { DataPlan } from './prepare';

export interface TextFile {
  fileName: string;
  text: string;
}

/** Column picks: unset fields are auto-detected; null turns a detected second text or label off. */
export interface ColumnChoice {
  text?: string;
  textPair?: string | null;
  label?: string | null;
}

export interface DataSpec {
  task: DataPlan['task'];
  train: TextFile;
  validation?: TextFile;
  columns?: ColumnChoice;
  /** Treat a numeric label column as a regression target. */
  regression?: boolean;
  /** Source rows the user excluded (e.g. from the data-quality report). */
  excludeRows?: number[];
  /** Seed and share of the train/validation split when no validation file is given. */
  seed?: number;
  valSplit?: number;
}
