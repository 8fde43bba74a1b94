import { describe, expect, it } from 'vitest';
import { predictedLabels, readLabelled, score, splitRows, summariseHeldout, toCsv, type HeldoutRun } from './heldout';

const CSV = 'text,label,domain\n' + Array.from({ length: 20 }, (_, i) => `"review ${i}, with a comma",${i % 4 === 0 ? 'negative' : 'positive'},x`).join('\n');

describe('held-out comparison', () => {
  it('reads the text and label columns and names the row that lacks one', () => {
    const rows = readLabelled(CSV, 'reviews.csv');
    expect(rows.texts[3]).toBe('review 3, with a comma');
    expect(rows.classes).toEqual(['negative', 'positive']);
    expect(() => readLabelled('text,label\nfine,positive\n,negative\n', 'bad.csv')).toThrow(/bad\.csv: row 2 has no "text"/);
  });

  it('splits disjointly and stratified, the same way for the same seed', () => {
    const rows = readLabelled(CSV, 'reviews.csv');
    const { train, test } = splitRows(rows, 1, 0.25);
    expect(train.length + test.length).toBe(20);
    expect(new Set([...train, ...test]).size).toBe(20);
    expect(test.filter((i) => rows.labels[i] === 'negative')).toHaveLength(1); // 5 negatives × 0.25, rounded
    expect(splitRows(rows, 1, 0.25)).toEqual({ train, test });
    expect(splitRows(rows, 2, 0.25).test).not.toEqual(test);
  });

  it('writes the rows it is given as a CSV the studio reads back', () => {
    const rows = readLabelled(CSV, 'reviews.csv');
    const back = readLabelled(toCsv(rows, [3, 4]), 'part.csv');
    expect(back.texts).toEqual(['review 3, with a comma', 'review 4, with a comma']);
    expect(back.labels).toEqual(['positive', 'negative']);
  });

  it('scores predictions and refuses a label it does not know', () => {
    expect(score(['a', 'b', 'b', 'a'], ['a', 'b', 'a', 'a'], ['a', 'b'])).toEqual({ accuracy: 0.75, macro_f1: expect.closeTo(0.7333, 3) });
    expect(() => score(['c'], ['a'], ['a', 'b'])).toThrow(/unknown label "c"/);
    expect(predictedLabels('{"label":"a"}\n{"label":"b"}\n')).toEqual(['a', 'b']);
    expect(() => predictedLabels('{"label":null}\n')).toThrow(/prediction 1 has no label/);
  });

  it('says which model wins and by how much', () => {
    const run = (seed: number, bert: number, baseline: number): HeldoutRun => ({
      seed, train_rows: 8, test_rows: 2, command: 'c',
      bert: { accuracy: bert, macro_f1: bert }, baseline: { accuracy: baseline, macro_f1: baseline },
    });
    const ahead = summariseHeldout('T', [run(1, 0.8, 0.7), run(2, 0.7, 0.72)], 'npm run compare -- --heldout');
    expect(ahead.difference_points).toBeCloseTo(4);
    expect(ahead.verdict).toMatch(/beats the linear baseline by 4\.0 points .*ahead on 1 of 2 seeds/);
    expect(summariseHeldout('T', [run(1, 0.6, 0.7)], 'c').verdict).toMatch(/loses to the linear baseline by 10\.0 points/);
  });
});
