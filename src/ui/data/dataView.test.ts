import { describe, expect, it } from 'vitest';
import type { QualityIssue } from '../../data/quality';
import { cellText, isNumericColumn, issueExamples, labelCounts, lengthView, taskForFile } from './dataView';

describe('lengthView', () => {
  it('splits bins at maxLength and counts the truncated rows', () => {
    const view = lengthView([3, 5, 8, 9, 12, 40], 8); // bins 2 tokens wide
    expect(view.truncated).toBe(3);
    expect(view.truncationRate).toBeCloseTo(0.5);
    const total = view.bins.reduce((n, bin) => n + bin.kept + bin.truncated, 0);
    expect(total).toBe(6);
    const straddling = view.bins.find((bin) => bin.start <= 8 && 9 < bin.end);
    expect(straddling).toMatchObject({ kept: 1, truncated: 1 });
    expect(view.max).toBe(40);
  });

  it('labels one-token bins by their length and wider bins by their range', () => {
    expect(lengthView([1, 2, 3], 128).bins.map((b) => b.range)).toEqual(['0', '1', '2', '3']);
    expect(lengthView([100, 200], 128).bins[0].range).toBe('0–9');
  });

  it('handles an empty dataset', () => {
    const view = lengthView([], 128);
    expect(view.truncationRate).toBe(0);
    expect(view.bins.every((bin) => bin.kept + bin.truncated === 0)).toBe(true);
  });
});

describe('labelCounts', () => {
  it('keeps the summary order and tolerates no counts', () => {
    expect(labelCounts({ positive: 3, negative: 1 })).toEqual([
      { label: 'positive', count: 3 },
      { label: 'negative', count: 1 },
    ]);
    expect(labelCounts(undefined)).toEqual([]);
  });
});

describe('isNumericColumn', () => {
  const rows = [{ score: 1.5, text: 'a' }, { score: '2', text: 'b' }, { score: null, text: 'c' }];
  it('accepts numbers and numeric text, skipping blanks', () => {
    expect(isNumericColumn(rows, 'score')).toBe(true);
  });
  it('rejects text labels, missing columns and all-blank columns', () => {
    expect(isNumericColumn(rows, 'text')).toBe(false);
    expect(isNumericColumn(rows, undefined)).toBe(false);
    expect(isNumericColumn([{ score: null }], 'score')).toBe(false);
    expect(isNumericColumn([{ score: ' ' }], 'score')).toBe(false);
  });
});

describe('issueExamples', () => {
  const preview = [{ text: 'zero' }, { text: 'one' }];
  it('attaches preview cells where available and row numbers otherwise', () => {
    const issue: QualityIssue = { kind: 'empty', severity: 'error', message: 'Empty', rows: [1, 7] };
    expect(issueExamples(issue, preview)).toEqual([{ row: 1, cells: { text: 'one' } }, { row: 7 }]);
  });
  it('takes the cells of rows beyond the preview from the issue, so conflicting copies show their labels', () => {
    const issue: QualityIssue = {
      kind: 'label-conflict',
      severity: 'warning',
      message: 'Conflicting labels',
      rows: [301],
      groups: [[1, 301]],
      cells: { 1: { text: 'one', label: 2 }, 301: { text: 'One', label: 1 } },
    };
    expect(issueExamples(issue, preview)).toEqual([
      { row: 1, cells: { text: 'one', label: 2 } },
      { row: 301, cells: { text: 'One', label: 1 } },
    ]);
  });
  it('shows whole clusters for duplicates, once each, up to the limit', () => {
    const issue: QualityIssue = { kind: 'duplicate', severity: 'warning', message: 'Dup', rows: [5], groups: [[0, 5], [2, 9, 11]] };
    expect(issueExamples(issue, preview, 4).map((e) => e.row)).toEqual([0, 5, 2, 9]);
  });
});

describe('cellText', () => {
  it('prints nulls as blanks and cuts long text', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(3)).toBe('3');
    expect(cellText('abcdef', 4)).toBe('abc…');
  });
});

describe('taskForFile', () => {
  it('switches plain text to masked LM and keeps the task for tables', () => {
    expect(taskForFile('notes.TXT', 'classify')).toBe('mlm');
    expect(taskForFile('reviews.csv', 'classify')).toBe('classify');
    expect(taskForFile('corpus.jsonl', 'mlm')).toBe('mlm');
    expect(taskForFile('train.conll', 'classify')).toBe('ner');
    expect(taskForFile('train.txt', 'ner')).toBe('ner');
  });
});
