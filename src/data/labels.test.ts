import { describe, expect, it } from 'vitest';
import { buildLabelSpace, encodeLabel, encodeLabels, labelKey, MAX_CLASSES } from './labels';
import { expectDataError } from './testing';

describe('labelKey', () => {
  it('unifies numbers with numeric strings and treats blanks as missing', () => {
    expect(labelKey(1)).toBe('1');
    expect(labelKey(' 1 ')).toBe('1');
    expect(labelKey(' pos')).toBe('pos');
    expect(labelKey('')).toBeUndefined();
    expect(labelKey('   ')).toBeUndefined();
    expect(labelKey(null)).toBeUndefined();
  });
});

describe('buildLabelSpace', () => {
  it('sorts numeric labels numerically, regardless of row order', () => {
    const space = buildLabelSpace([10, 2, '1', 2, 10], 'categorical');
    expect(space).toEqual({ kind: 'categorical', id2label: ['1', '2', '10'], label2id: { 1: 0, 2: 1, 10: 2 } });
  });

  it('sorts string labels by code unit', () => {
    const space = buildLabelSpace(['neutral', 'Negative', 'positive', 'neutral'], 'categorical');
    expect(space.kind === 'categorical' && space.id2label).toEqual(['Negative', 'neutral', 'positive']);
  });

  it('gives the same ids for any order of the same labels', () => {
    const later = buildLabelSpace(['c', 'b', 'a', 'a'], 'categorical');
    expect(buildLabelSpace(['b', 'a', 'c'], 'categorical')).toEqual(later);
  });

  it('rejects missing labels, a single class, and id-like columns', () => {
    expect(expectDataError(() => buildLabelSpace(['a', null, 'b'], 'categorical'), 'missing-label').row).toBe(1);
    expect(expectDataError(() => buildLabelSpace(['a', 'a'], 'categorical'), 'too-few-classes').message).toMatch(
      /only "a"/,
    );
    const ids = Array.from({ length: MAX_CLASSES + 1 }, (_, i) => `id${i}`);
    expectDataError(() => buildLabelSpace(ids, 'categorical'), 'bad-label');
  });

  it('checks regression targets are numbers', () => {
    expect(buildLabelSpace([0.5, '2.5', 3], 'numeric')).toEqual({ kind: 'numeric' });
    expect(expectDataError(() => buildLabelSpace([0.5, 'high'], 'numeric'), 'bad-label').message).toMatch(
      /row 2 has "high"/,
    );
  });

  it('keeps a label named like an Object method as an ordinary class', () => {
    const space = buildLabelSpace(['constructor', 'toString'], 'categorical');
    expect(encodeLabel('toString', space, 0)).toBe(1);
    expectDataError(() => encodeLabel('hasOwnProperty', space, 0), 'unknown-label');
  });
});

describe('encodeLabels', () => {
  it('gives Int32Array class ids and Float32Array targets', () => {
    const space = buildLabelSpace(['neg', 'pos'], 'categorical');
    const ids = encodeLabels(['pos', 'neg', ' pos'], space);
    expect(ids).toBeInstanceOf(Int32Array);
    expect([...ids]).toEqual([1, 0, 1]);
    const targets = encodeLabels([0.25, '4'], { kind: 'numeric' });
    expect(targets).toBeInstanceOf(Float32Array);
    expect([...targets]).toEqual([0.25, 4]);
  });

  it('names the row and the known labels when validation has a new label', () => {
    const space = buildLabelSpace(['neg', 'pos'], 'categorical');
    const err = expectDataError(() => encodeLabels(['pos', 'neutral'], space, 'validation'), 'unknown-label');
    expect(err.row).toBe(1);
    expect(err.message).toBe(
      'The validation data has label "neutral" in row 2, which the training data does not have (labels: neg, pos).',
    );
    expectDataError(() => encodeLabels(['pos', null], space, 'validation'), 'missing-label');
  });
});
