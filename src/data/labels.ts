/**
 * Label values ↔ class ids. Ids follow a sorted order that does not depend on row order (numeric labels
 * numerically, others by code unit), so the same data always gives the same `id2label` in config.json.
 */
import type { LabelKind } from './columns';
import { DataError, rowLabel } from './errors';
import type { CellValue } from './parse';

export type LabelSpace =
  | { kind: 'categorical'; id2label: string[]; label2id: Record<string, number> }
  | { kind: 'numeric' };

/** More classes than this almost always means an id or free-text column was picked as the label. */
export const MAX_CLASSES = 1000;

/** The class name of a cell: numbers and numeric strings agree ("1" ≡ 1), blanks are missing. */
export function labelKey(value: CellValue): string | undefined {
  if (value === null) return undefined;
  const key = typeof value === 'number' ? String(value) : value.trim();
  return key === '' ? undefined : key;
}

function isNumericKey(key: string): boolean {
  return Number.isFinite(Number(key));
}

function compareKeys(numeric: boolean): (a: string, b: string) => number {
  return numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}

function missing(row: number, where: string): DataError {
  return new DataError('missing-label', `The ${where} data has no label in ${rowLabel(row)}.`, { row });
}

export function buildLabelSpace(values: readonly CellValue[], kind: LabelKind): LabelSpace {
  if (kind === 'numeric') {
    values.forEach((v, row) => regressionTarget(v, row, 'training'));
    return { kind: 'numeric' };
  }
  const keys = new Set<string>();
  values.forEach((v, row) => {
    const key = labelKey(v);
    if (key === undefined) throw missing(row, 'training');
    keys.add(key);
  });
  if (keys.size < 2) {
    const found = keys.size === 0 ? 'none' : `only "${[...keys][0]}"`;
    throw new DataError('too-few-classes', `Classification needs at least 2 labels; the training data has ${found}.`);
  }
  if (keys.size > MAX_CLASSES) {
    throw new DataError(
      'bad-label',
      `The label column has ${keys.size} distinct values (limit ${MAX_CLASSES}); is it really the label?`,
    );
  }
  const id2label = [...keys].sort(compareKeys([...keys].every(isNumericKey)));
  return { kind: 'categorical', id2label, label2id: Object.fromEntries(id2label.map((l, i) => [l, i])) };
}

function regressionTarget(value: CellValue, row: number, where: string): number {
  const key = labelKey(value);
  if (key === undefined) throw missing(row, where);
  const n = Number(key);
  if (!Number.isFinite(n)) {
    throw new DataError('bad-label', `Regression needs numbers, but ${rowLabel(row)} has "${key}".`, { row });
  }
  return n;
}

/**
 * The id (classification) or target (regression) of one cell. `where` names the data in messages, e.g.
 * "validation": a validation label the training data never had is an error, not a new class.
 */
export function encodeLabel(value: CellValue, space: LabelSpace, row: number, where = 'training'): number {
  if (space.kind === 'numeric') return regressionTarget(value, row, where);
  const key = labelKey(value);
  if (key === undefined) throw missing(row, where);
  if (!Object.hasOwn(space.label2id, key)) {
    const known = space.id2label.slice(0, 20).join(', ') + (space.id2label.length > 20 ? ', …' : '');
    throw new DataError(
      'unknown-label',
      `The ${where} data has label "${key}" in ${rowLabel(row)}, ` +
        `which the training data does not have (labels: ${known}).`,
      { row },
    );
  }
  return space.label2id[key];
}

/** All labels of a column: Int32Array of class ids, or Float32Array of regression targets. */
export function encodeLabels(
  values: readonly CellValue[],
  space: LabelSpace,
  where = 'training',
): Int32Array | Float32Array {
  const out = space.kind === 'numeric' ? new Float32Array(values.length) : new Int32Array(values.length);
  values.forEach((v, row) => {
    out[row] = encodeLabel(v, space, row, where);
  });
  return out;
}
