/**
 * Train/validation split by row index. Stratified by class when class ids are given, so a rare class still
 * lands in both parts; seeded, so the same seed always holds out the same rows.
 */
import type { ColumnChoice } from './columns';
import { DataError } from './errors';
import type { ParsedDataset } from './parse';
import { createRng } from './random';

/** Indices into the training and validation datasets (the same dataset unless a validation file is given). */
export interface DatasetSplit {
  train: number[];
  validation: number[];
}

export interface SplitOptions {
  seed: number;
  /** Share of rows held out, in (0, 1). Default 0.1. */
  validationFraction?: number;
  /** Class id of each row; omit for regression or unlabeled data (plain random split). */
  strata?: ArrayLike<number>;
}

export const DEFAULT_VALIDATION_FRACTION = 0.1;

const ascending = (a: number, b: number): number => a - b;

/**
 * Per class of m rows, round(m · fraction) rows go to validation, clamped so each class with ≥ 2 rows has
 * at least one row on each side; a class with a single row stays in training.
 */
export function splitTrainValidation(rowCount: number, options: SplitOptions): DatasetSplit {
  const fraction = options.validationFraction ?? DEFAULT_VALIDATION_FRACTION;
  if (!(fraction > 0 && fraction < 1)) {
    throw new DataError('bad-option', `The validation share must be between 0 and 1 (exclusive), got ${fraction}.`);
  }
  if (!Number.isInteger(rowCount) || rowCount < 2) {
    throw new DataError('too-few-rows', `A validation split needs at least 2 rows; there are ${rowCount}.`);
  }
  const { strata } = options;
  if (strata && strata.length !== rowCount) {
    throw new DataError('bad-option', `Got ${strata.length} class ids for ${rowCount} rows.`);
  }
  const rng = createRng(options.seed).fork('split');

  const groups = new Map<number, number[]>();
  for (let i = 0; i < rowCount; i++) {
    const key = strata ? strata[i] : 0;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  const train: number[] = [];
  const validation: number[] = [];
  // Visit classes in id order so the draws do not depend on which class appears first in the file.
  for (const key of [...groups.keys()].sort(ascending)) {
    const rows = rng.shuffle(groups.get(key) as number[]);
    const held = rows.length < 2 ? 0 : Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * fraction)));
    // Loops, not push(...rows): spreading a million-row array overflows the call stack.
    rows.forEach((row, k) => (k < held ? validation : train).push(row));
  }
  if (validation.length === 0) {
    throw new DataError('too-few-rows', 'No class has 2 rows, so none can be held out for validation.');
  }
  return { train: train.sort(ascending), validation: validation.sort(ascending) };
}

/** Uses every row of a separate validation file, after checking it has the columns training uses. */
export function givenValidationSplit(
  train: Pick<ParsedDataset, 'rows'>,
  validation: Pick<ParsedDataset, 'rows' | 'columns'>,
  columns: Pick<ColumnChoice, 'text' | 'textPair' | 'label'>,
): DatasetSplit {
  for (const column of [columns.text, columns.textPair, columns.label]) {
    if (column !== undefined && !validation.columns.includes(column)) {
      throw new DataError(
        'unknown-column',
        `The validation file has no column "${column}" (it has: ${validation.columns.join(', ')}).`,
      );
    }
  }
  if (validation.rows.length === 0) throw new DataError('no-rows', 'The validation file has no rows.');
  const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  return { train: all(train.rows.length), validation: all(validation.rows.length) };
}
