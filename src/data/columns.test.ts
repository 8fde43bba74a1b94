import { describe, expect, it } from 'vitest';
import { detectColumns, inferLabelKind } from './columns';
import type { Row } from './parse';
import { expectDataError } from './testing';

function ds(rows: Row[]): { columns: string[]; rows: Row[] } {
  return { columns: Object.keys(rows[0]), rows };
}

describe('detectColumns', () => {
  it('finds text and label by name', () => {
    const d = ds([
      { id: 1, Sentence: 'a good film', label: 'pos' },
      { id: 2, Sentence: 'a bad film', label: 'neg' },
    ]);
    expect(detectColumns(d)).toEqual({ text: 'Sentence', label: 'label', labelKind: 'categorical' });
  });

  it('finds premise/hypothesis and sentence1/sentence2 pairs', () => {
    const nli = ds([{ gold_label: 'entailment', premise: 'A man sleeps.', hypothesis: 'A person rests.' }]);
    expect(detectColumns(nli)).toEqual({
      text: 'premise',
      textPair: 'hypothesis',
      label: 'gold_label',
      labelKind: 'categorical',
    });
    const sts = ds([
      { sentence_1: 'a b', 'Sentence 2': 'c d', score: 3.8 },
      { sentence_1: 'e f', 'Sentence 2': 'g h', score: 1 },
    ]);
    expect(detectColumns(sts)).toEqual({
      text: 'sentence_1',
      textPair: 'Sentence 2',
      label: 'score',
      labelKind: 'numeric',
    });
  });

  it('falls back to the longest strings for text and a low-cardinality column for the label', () => {
    const rows: Row[] = Array.from({ length: 12 }, (_, i) => ({
      uid: `u${i}`,
      blurb: `this is a much longer piece of writing number ${i}`,
      verdict: i % 3 === 0 ? 'meh' : i % 2 ? 'yay' : 'nay',
      n: i,
    }));
    expect(detectColumns(ds(rows))).toEqual({ text: 'blurb', label: 'verdict', labelKind: 'categorical' });
  });

  it('returns no label for unlabeled text', () => {
    expect(detectColumns(ds([{ text: 'one' }, { text: 'two' }]))).toEqual({ text: 'text', labelKind: 'categorical' });
  });

  it('applies overrides, including turning the label and pair off', () => {
    const d = ds([
      { premise: 'p one', hypothesis: 'h one', label: 0, other: 'x' },
      { premise: 'p two', hypothesis: 'h two', label: 1, other: 'y' },
    ]);
    expect(detectColumns(d, { textPair: null, label: null })).toEqual({ text: 'premise', labelKind: 'categorical' });
    expect(detectColumns(d, { text: 'hypothesis', label: 'other' })).toEqual({
      text: 'hypothesis',
      label: 'other',
      labelKind: 'categorical',
    });
    expect(detectColumns(d, { labelKind: 'numeric' }).labelKind).toBe('numeric');
  });

  it('rejects unknown override columns and conflicting roles with DataError', () => {
    const d = ds([{ text: 'a', label: 1 }]);
    const unknown = expectDataError(() => detectColumns(d, { label: 'nope' }), 'unknown-column');
    expect(unknown.message).toMatch(/no column "nope".*text, label/);
    const both = expectDataError(() => detectColumns(d, { text: 'label', label: 'label' }), 'bad-option');
    expect(both.message).toMatch(/both a text and the label/);
  });

  it('fails clearly when nothing is text', () => {
    expectDataError(() => detectColumns(ds([{ a: 1, b: 2 }])), 'no-text-column');
  });
});

describe('inferLabelKind', () => {
  it('treats strings and few integers as classes, fractions and many integers as numbers', () => {
    expect(inferLabelKind(['a', 'b'])).toBe('categorical');
    expect(inferLabelKind([0, 1, 1, null])).toBe('categorical');
    expect(inferLabelKind([0.5, 1])).toBe('numeric');
    expect(inferLabelKind(Array.from({ length: 30 }, (_, i) => i))).toBe('numeric');
    expect(inferLabelKind([1, 'x'])).toBe('categorical');
    expect(inferLabelKind([null])).toBe('categorical');
  });
});
