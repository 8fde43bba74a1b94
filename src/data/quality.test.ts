import { describe, expect, it } from 'vitest';
import type { ParsedDataset, Row } from './parse';
import { analyzeQuality, excludeRows, lengthSummary, MAX_REPORTED_GROUPS, type IssueKind, type QualityReport } from './quality';
import { createRng } from './random';
import { expectDataError, randomText } from './testing';

const columns = { text: 'text', label: 'label', labelKind: 'categorical' } as const;

/** n ordinary rows of 5–7 made-up words, alternating labels. */
function filler(n: number, seed = 1): Row[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({ text: randomText(rng, 5 + (i % 3)), label: i % 2 ? 'pos' : 'neg' }));
}

function rowsOf(report: QualityReport, kind: IssueKind): number[] | undefined {
  return report.issues.find((i) => i.kind === kind)?.rows;
}

describe('analyzeQuality', () => {
  const base = 'A wonderful film with great acting and a moving score.';
  const crafted: Row[] = [
    { text: base, label: 'pos' }, // 20
    { text: base.toLowerCase().replace('film', 'film   '), label: 'pos' }, // 21: duplicate of 20
    { text: 'Terrible plot and even worse dialogue.', label: 'neg' }, // 22
    { text: 'terrible plot and even worse dialogue.', label: 'pos' }, // 23: conflict with 22 (tie)
    { text: '   ', label: 'neg' }, // 24: empty
    { text: 'ok', label: 'pos' }, // 25: too short
    { text: 'https://example.com/review/123', label: 'neg' }, // 26: URL only
    { text: '<p>Nice</p><br />a film indeed', label: 'pos' }, // 27: HTML
    { text: 'The cafÃ© scene was great fun', label: 'pos' }, // 28: mojibake
    { text: '1234 5678 9012 !!!', label: 'neg' }, // 29: symbols
    { text: 'aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZW5jb2RlZDEyMw==', label: 'neg' }, // 30: base64
    { text: randomText(createRng(9), 400), label: 'pos' }, // 31: length outlier
    { text: 'a perfectly fine review', label: null }, // 32: missing label
    { text: base.replace('score.', 'score!'), label: 'pos' }, // 33: near-duplicate of 20
    { text: 'Terrible plot and even worse dialogue.', label: 'neg' }, // 34: 22 again: majority now neg
  ];
  const rows = [...filler(20), ...crafted];
  const report = analyzeQuality({ rows }, { columns });

  it('finds each crafted problem and nothing in the filler', () => {
    expect(rowsOf(report, 'duplicate')).toEqual([21, 34]);
    expect(rowsOf(report, 'label-conflict')).toEqual([23]);
    expect(rowsOf(report, 'empty')).toEqual([24]);
    expect(rowsOf(report, 'too-short')).toEqual([25]);
    expect(rowsOf(report, 'url-only')).toEqual([26]);
    expect(rowsOf(report, 'html')).toEqual([27]);
    expect(rowsOf(report, 'mojibake')).toEqual([28]);
    expect(rowsOf(report, 'symbols')).toEqual([29]);
    expect(rowsOf(report, 'base64')).toEqual([30]);
    expect(rowsOf(report, 'length-outlier')).toEqual([31]);
    expect(rowsOf(report, 'missing-label')).toEqual([32]);
    expect(rowsOf(report, 'near-duplicate')).toEqual([33]);
    expect(report.issues.flatMap((i) => i.rows).every((r) => r >= 20)).toBe(true);
  });

  it('keeps the majority label on conflicts and counts the extra majority copy as a duplicate', () => {
    const conflict = report.issues.find((i) => i.kind === 'label-conflict');
    expect(conflict?.groups).toEqual([[22, 23, 34]]);
    expect(conflict?.message).toBe(
      'Conflicting labels: 1 text appears with different labels, in rows 23 (neg), 24 (pos) and 35 (neg). ' +
        'Flagged are the minority-label copies, or every copy on a tie.',
    );
    expect(report.issues.find((i) => i.kind === 'duplicate')?.groups).toEqual([
      [20, 21],
      [22, 34],
    ]);
  });

  it('orders issues by severity and summarises', () => {
    const order = { error: 0, warning: 1, info: 2 };
    const severities = report.issues.map((i) => order[i.severity]);
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
    expect(report.issues[0].kind).toBe('missing-label');
    expect(report.summary.rowCount).toBe(35);
    expect(report.summary.flaggedRows).toBe(new Set(report.issues.flatMap((i) => i.rows)).size);
    expect(report.summary.classCounts).toEqual({ pos: 18, neg: 16 });
    expect(report.issues.find((i) => i.kind === 'empty')?.message).toBe('1 row has no text.');
  });
});

describe('analyzeQuality: labels', () => {
  const labeled = (counts: Record<string, number>): Row[] => {
    const texts = filler(Object.values(counts).reduce((a, b) => a + b, 0), 4);
    let i = 0;
    return Object.entries(counts).flatMap(([label, n]) => Array.from({ length: n }, () => ({ ...texts[i++], label })));
  };

  it('grades class imbalance by the largest-to-smallest ratio', () => {
    const severe = analyzeQuality({ rows: labeled({ pos: 30, neg: 3 }) }, { columns });
    const issue = severe.issues.find((i) => i.kind === 'class-imbalance');
    expect(issue?.severity).toBe('warning');
    expect(issue?.rows).toEqual([]);
    expect(issue?.message).toMatch(/"pos" has 30 rows, "neg" 3 rows \(10\.0:1; the smallest class is 9\.1%/);
    expect(severe.summary.imbalanceRatio).toBe(10);
    expect(severe.summary.smallestClassShare).toBeCloseTo(3 / 33);

    const mild = analyzeQuality({ rows: labeled({ a: 9, b: 3, c: 5 }) }, { columns });
    expect(mild.issues.find((i) => i.kind === 'class-imbalance')?.severity).toBe('info');
    expect(mild.summary.classCounts).toEqual({ a: 9, c: 5, b: 3 });

    const fine = analyzeQuality({ rows: labeled({ a: 5, b: 4 }) }, { columns });
    expect(fine.issues.find((i) => i.kind === 'class-imbalance')).toBeUndefined();
  });

  it('checks regression labels are numbers and skips class statistics', () => {
    const rows: Row[] = filler(4).map((r, i) => ({ ...r, label: [0.5, '1.5', 'high', null][i] }));
    const report = analyzeQuality({ rows }, { columns: { ...columns, labelKind: 'numeric' } });
    expect(rowsOf(report, 'bad-label')).toEqual([2]);
    expect(rowsOf(report, 'missing-label')).toEqual([3]);
    expect(report.summary.classCounts).toBeUndefined();
  });

  it('names conflicting labels with their rows, and sends the rows so the page shows them side by side', () => {
    // The same review with 2 stars and with 1 star, differing only in case and spacing, far past the preview.
    const rows: Row[] = [...filler(300, 5), { text: 'Broke after two weeks.', label: 2 }, { text: 'broke after  two weeks. ', label: 1 }];
    const conflict = analyzeQuality({ rows }, { columns }).issues.find((i) => i.kind === 'label-conflict');
    expect(conflict).toMatchObject({ severity: 'warning', rows: [300, 301], groups: [[300, 301]] });
    expect(conflict?.message).toMatch(/^Conflicting labels: 1 text appears with different labels, in rows 301 \(2\) and 302 \(1\)\./);
    expect(conflict?.cells).toEqual({ 300: rows[300], 301: rows[301] });
  });

  it('names a few rows of a much-copied text, one of each label first, and counts the rest', () => {
    const rows: Row[] = [
      ...filler(8, 6),
      ...Array.from({ length: 9 }, (_, k) => ({ text: 'Same words every time.', label: k === 7 ? 'neg' : k === 8 ? null : 'pos' })),
    ];
    const conflict = analyzeQuality({ rows }, { columns }).issues.find((i) => i.kind === 'label-conflict');
    expect(conflict?.rows).toEqual([15, 16]);
    expect(conflict?.message).toMatch(/in rows 9 \(pos\), 10 \(pos\), 16 \(neg\), 17 \(no label\) and 5 more copies\./);
    expect(Object.keys(conflict?.cells ?? {})).toHaveLength(9);
  });

  it('names the first conflicting texts and counts the others', () => {
    const rows: Row[] = Array.from({ length: 5 }, (_, k) => [
      { text: `text number ${k} is here`, label: 'a' },
      { text: `text number ${k} is here`, label: 'b' },
    ]).flat();
    const conflict = analyzeQuality({ rows }, { columns }).issues.find((i) => i.kind === 'label-conflict');
    expect(conflict?.message).toMatch(/^Conflicting labels: 5 texts appear .* rows 1 \(a\) and 2 \(b\); rows 3 \(a\) and 4 \(b\); rows 5 \(a\) and 6 \(b\); and 2 more texts\./);
    expect(Object.keys(conflict?.cells ?? {}).map(Number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('works without a label column', () => {
    const rows: Row[] = [...filler(5), { text: filler(1)[0].text }];
    const report = analyzeQuality({ rows }, { columns: { text: 'text', labelKind: 'categorical' } });
    expect(rowsOf(report, 'duplicate')).toEqual([5]);
    expect(report.issues.some((i) => i.kind.endsWith('label'))).toBe(false);
  });
});

describe('analyzeQuality: pairs and token lengths', () => {
  it('treats a pair as a duplicate only when both sides match, and a blank side as empty', () => {
    const rows: Row[] = [
      { q: 'what is the capital of france', a: 'paris is the capital', label: 1 },
      { q: 'What is the capital of France', a: 'paris  is the capital', label: 1 },
      { q: 'what is the capital of france', a: 'lyon is a big french city', label: 0 },
      { q: 'a question without any answer', a: '', label: 0 },
    ];
    const pairColumns = { text: 'q', textPair: 'a', label: 'label', labelKind: 'categorical' } as const;
    const report = analyzeQuality({ rows }, { columns: pairColumns });
    expect(rowsOf(report, 'duplicate')).toEqual([1]);
    expect(rowsOf(report, 'label-conflict')).toBeUndefined();
    expect(rowsOf(report, 'empty')).toEqual([3]);
    expect(report.issues.find((i) => i.kind === 'empty')?.message).toMatch(/or no second text/);
  });

  it('flags token-length outliers and rows that will be truncated', () => {
    const rows = filler(12);
    const tokenLengths = [10, 11, 12, 10, 11, 12, 10, 11, 12, 10, 40, 300];
    const report = analyzeQuality({ rows }, { columns, tokenLengths, maxLength: 32 });
    expect(rowsOf(report, 'length-outlier')).toEqual([10, 11]);
    expect(rowsOf(report, 'too-long')).toEqual([10, 11]);
    const tooLong = report.issues.find((i) => i.kind === 'too-long');
    expect(tooLong?.message).toMatch(/2 rows have more than 32 tokens.*16\.7% of rows/);
    expect(report.summary.tokenLength?.median).toBe(11);
    expectDataError(() => analyzeQuality({ rows }, { columns, tokenLengths: [1, 2] }), 'bad-option');
  });

  it('handles an empty dataset', () => {
    const report = analyzeQuality({ rows: [] }, { columns });
    expect(report.issues).toEqual([]);
    expect(report.summary.rowCount).toBe(0);
  });
});

describe('lengthSummary', () => {
  it('floors the IQR so constant-length data still flags a giant row', () => {
    expect(lengthSummary([10, 10, 10, 10, 11]).fence).toBe(13);
    expect(lengthSummary([100, 100, 100, 100]).fence).toBe(130);
    const s = lengthSummary([1, 2, 3, 4, 5]);
    expect([s.q1, s.median, s.q3, s.fence, s.mean]).toEqual([2, 3, 4, 10, 3]);
  });
});

describe('excludeRows', () => {
  const dataset: ParsedDataset = {
    format: 'txt',
    columns: ['text'],
    rows: ['a1', 'a2', 'b1', 'c1', 'c2'].map((text) => ({ text })),
    documents: [['a1', 'a2'], ['b1'], ['c1', 'c2']],
    warnings: ['kept'],
  };

  it('drops rows and keeps documents aligned, removing emptied documents', () => {
    const out = excludeRows(dataset, [1, 2, 2]);
    expect(out.rows.map((r) => r.text)).toEqual(['a1', 'c1', 'c2']);
    expect(out.documents).toEqual([['a1'], ['c1', 'c2']]);
    expect(out.warnings).toEqual(['kept']);
    expect(dataset.rows).toHaveLength(5);
    expect(excludeRows(dataset, [])).toEqual(dataset);
  });

  it('rejects rows that do not exist', () => {
    expectDataError(() => excludeRows(dataset, [5]), 'bad-option');
    expectDataError(() => excludeRows(dataset, [-1]), 'bad-option');
    expectDataError(() => excludeRows(dataset, [1.5]), 'bad-option');
  });

  it('excludes exactly the rows an issue lists', () => {
    const rows: Row[] = [...filler(6), { text: '', label: 'pos' }];
    const csv: ParsedDataset = { format: 'csv', columns: ['text', 'label'], rows, warnings: [] };
    const issue = analyzeQuality(csv, { columns }).issues.find((i) => i.kind === 'empty');
    const cleaned = excludeRows(csv, issue?.rows ?? []);
    expect(cleaned.rows).toEqual(rows.slice(0, 6));
    expect(analyzeQuality(cleaned, { columns }).issues.find((i) => i.kind === 'empty')).toBeUndefined();
  });
});

describe('analyzeQuality at scale', () => {
  it('lists every duplicate row but only the first clusters as examples, and does not overflow the stack', () => {
    // 150k rows, each text three times: 100k duplicate rows in 50k clusters.
    const rows: Row[] = Array.from({ length: 150_000 }, (_, i) => ({ text: `sentence number ${Math.floor(i / 3)}`, label: 'a' }));
    const report = analyzeQuality({ rows }, { columns });
    const duplicates = report.issues.find((issue) => issue.kind === 'duplicate')!;
    expect(duplicates.rows).toHaveLength(100_000);
    expect(duplicates.groups).toHaveLength(MAX_REPORTED_GROUPS);
  });
});
