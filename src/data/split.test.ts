import { describe, expect, it } from 'vitest';
import { givenValidationSplit, splitTrainValidation } from './split';
import { expectDataError } from './testing';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('splitTrainValidation', () => {
  it('holds out 10% by default, partitions the rows, and is reproducible', () => {
    const split = splitTrainValidation(100, { seed: 1 });
    expect(split.validation).toHaveLength(10);
    expect([...split.train, ...split.validation].sort((a, b) => a - b)).toEqual(range(100));
    expect(splitTrainValidation(100, { seed: 1 })).toEqual(split);
    expect(splitTrainValidation(100, { seed: 2 }).validation).not.toEqual(split.validation);
    expect(split.train).toEqual([...split.train].sort((a, b) => a - b));
  });

  it('stratifies: each class keeps its share, and a rare class appears on both sides', () => {
    // 90 of class 0, 8 of class 1, 2 of class 2.
    const strata = range(100).map((i) => (i < 90 ? 0 : i < 98 ? 1 : 2));
    const { train, validation } = splitTrainValidation(100, { seed: 3, strata, validationFraction: 0.2 });
    const count = (rows: number[], c: number): number => rows.filter((r) => strata[r] === c).length;
    expect([count(validation, 0), count(validation, 1), count(validation, 2)]).toEqual([18, 2, 1]);
    expect([count(train, 0), count(train, 1), count(train, 2)]).toEqual([72, 6, 1]);
  });

  it('keeps a single-row class in training', () => {
    const strata = [0, 0, 0, 0, 1];
    const { train, validation } = splitTrainValidation(5, { seed: 4, strata });
    expect(train).toContain(4);
    expect(validation).toHaveLength(1);
  });

  it('draws classes in id order, not in order of first appearance', () => {
    const first = splitTrainValidation(8, { seed: 5, strata: [0, 0, 0, 0, 1, 1, 1, 1], validationFraction: 0.5 });
    const later = splitTrainValidation(8, { seed: 5, strata: [1, 1, 1, 1, 0, 0, 0, 0], validationFraction: 0.5 });
    const class0First = first.validation.filter((r) => r < 4);
    const class0Later = later.validation.filter((r) => r >= 4).map((r) => r - 4);
    expect(class0Later).toEqual(class0First);
  });

  it('rejects bad options and too little data', () => {
    expectDataError(() => splitTrainValidation(10, { seed: 1, validationFraction: 0 }), 'bad-option');
    expectDataError(() => splitTrainValidation(10, { seed: 1, validationFraction: 1 }), 'bad-option');
    expectDataError(() => splitTrainValidation(10, { seed: 1, validationFraction: Number.NaN }), 'bad-option');
    expectDataError(() => splitTrainValidation(1, { seed: 1 }), 'too-few-rows');
    expectDataError(() => splitTrainValidation(3, { seed: 1, strata: [0, 1] }), 'bad-option');
    expectDataError(() => splitTrainValidation(3, { seed: 1, strata: [0, 1, 2] }), 'too-few-rows');
  });
});

describe('givenValidationSplit', () => {
  const train = { rows: [{ text: 'a', label: 'x' }, { text: 'b', label: 'y' }] };
  it('uses every row of both files', () => {
    const validation = { columns: ['label', 'text'], rows: [{ text: 'c', label: 'x' }] };
    expect(givenValidationSplit(train, validation, { text: 'text', label: 'label' })).toEqual({
      train: [0, 1],
      validation: [0],
    });
  });

  it('requires the training columns in the validation file', () => {
    const validation = { columns: ['text'], rows: [{ text: 'c' }] };
    const columns = { text: 'text', label: 'label' };
    const err = expectDataError(() => givenValidationSplit(train, validation, columns), 'unknown-column');
    expect(err.message).toMatch(/no column "label"/);
    expectDataError(() => givenValidationSplit(train, { columns: ['text'], rows: [] }, { text: 'text' }), 'no-rows');
  });
});
