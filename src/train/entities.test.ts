import { describe, expect, it } from 'vitest';
import { entityReport, getEntities } from './entities';

describe('getEntities (seqeval default mode)', () => {
  it('reads BIO chunks, as in seqeval\'s docstring', () => {
    expect(getEntities(['B-PER', 'I-PER', 'O', 'B-LOC'])).toEqual([['PER', 0, 1], ['LOC', 3, 3]]);
  });

  it('starts an entity at an I- without a B-', () => {
    expect(getEntities(['O', 'I-PER', 'I-PER', 'O', 'I-LOC'])).toEqual([['PER', 1, 2], ['LOC', 4, 4]]);
  });

  it('ends a chunk where the type changes inside it', () => {
    expect(getEntities(['B-PER', 'I-LOC', 'I-LOC', 'O'])).toEqual([['PER', 0, 0], ['LOC', 1, 2]]);
  });

  it('reads BIOES: S- alone, B- … E-, and an I- after an E- as a new chunk', () => {
    expect(getEntities(['S-PER', 'B-LOC', 'E-LOC', 'O', 'B-ORG', 'I-ORG', 'E-ORG'])).toEqual([['PER', 0, 0], ['LOC', 1, 2], ['ORG', 4, 6]]);
    expect(getEntities(['B-PER', 'E-PER', 'I-PER', 'E-PER'])).toEqual([['PER', 0, 1], ['PER', 2, 3]]);
  });

  it('closes a chunk at the end of the sentence and at B- after I-', () => {
    expect(getEntities(['B-A', 'B-A', 'I-A'])).toEqual([['A', 0, 0], ['A', 1, 2]]);
  });
});

describe('entityReport', () => {
  it('scores seqeval\'s README example: MISC missed by one word, PER exact', () => {
    const truth = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
    const predicted = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
    const report = entityReport(truth, predicted);
    expect(report.perType).toEqual({
      MISC: { precision: 0, recall: 0, f1: 0, support: 1 },
      PER: { precision: 1, recall: 1, f1: 1, support: 1 },
    });
    expect(report.micro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(report.accuracy).toBeCloseTo(0.8, 12);
  });

  it('counts types only predicted, and gives 0 where it would divide by zero', () => {
    // True: PER 0-1, LOC 3-3. Predicted: PER 0-1 (right), ORG 3-3 (wrong type). P = 1/2, R = 1/2.
    const report = entityReport([['B-PER', 'I-PER', 'O', 'B-LOC']], [['B-PER', 'I-PER', 'O', 'B-ORG']]);
    expect(report.perType.ORG).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(report.perType.LOC).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(report.micro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  });

  it('takes an I- start as the same entity as B- (non-strict), and micro-averages over sentences', () => {
    // Sentence 1: true PER 0-1 predicted as I-PER I-PER: a match. Sentence 2: 2 true LOC, 1 predicted and right.
    const report = entityReport(
      [['B-PER', 'I-PER'], ['B-LOC', 'O', 'B-LOC']],
      [['I-PER', 'I-PER'], ['B-LOC', 'O', 'O']],
    );
    expect(report.perType.PER.f1).toBe(1);
    expect(report.perType.LOC).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(report.micro.precision).toBe(1);
    expect(report.micro.recall).toBeCloseTo(2 / 3, 12);
    expect(report.micro.f1).toBeCloseTo(0.8, 12);
  });

  it('refuses sentences of different lengths', () => {
    expect(() => entityReport([['O', 'B-A']], [['O']])).toThrow(/sentence 1/);
  });
});
