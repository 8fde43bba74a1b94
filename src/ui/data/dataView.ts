/** Derived views of a DataSummary for the Data panel's charts, table and quality report. */
import { tokenLengthStats } from '../../data/encode';
import type { CellValue, Row } from '../../data/parse';
import type { QualityIssue } from '../../data/quality';
import type { Task } from '../../worker/protocol';

export interface LengthBin {
  /** "32–47" */
  range: string;
  start: number;
  /** Exclusive. */
  end: number;
  /** Rows that fit in maxLength, and rows that lose tokens to truncation. */
  kept: number;
  truncated: number;
}

export interface LengthView {
  bins: LengthBin[];
  truncated: number;
  truncationRate: number;
  p95: number;
  max: number;
}

/** The token-length histogram with each bin split at `maxLength`, and the truncation rate there. */
export function lengthView(lengths: ArrayLike<number>, maxLength: number): LengthView {
  const stats = tokenLengthStats(lengths, maxLength);
  const width = stats.histogram.length > 0 ? stats.histogram[0].end - stats.histogram[0].start : 1;
  const bins: LengthBin[] = stats.histogram.map((bin) => ({
    range: width === 1 ? String(bin.start) : `${bin.start}–${bin.end - 1}`,
    start: bin.start,
    end: bin.end,
    kept: 0,
    truncated: 0,
  }));
  for (let i = 0; i < lengths.length; i++) {
    const bin = bins[Math.floor(lengths[i] / width)];
    if (lengths[i] > maxLength) bin.truncated++;
    else bin.kept++;
  }
  return { bins, truncated: stats.truncated, truncationRate: stats.truncationRate, p95: stats.p95, max: stats.max };
}

export interface LabelCount {
  label: string;
  count: number;
}

/** Rows per class in the quality summary's order (largest first). */
export function labelCounts(classCounts: Record<string, number> | undefined): LabelCount[] {
  return Object.entries(classCounts ?? {}).map(([label, count]) => ({ label, count }));
}

/** Whether every non-empty value of `column` among `rows` is a number (so regression makes sense). */
export function isNumericColumn(rows: readonly Row[], column: string | undefined): boolean {
  if (!column) return false;
  let seen = 0;
  for (const row of rows) {
    const value = row[column];
    if (value === null || value === undefined || value === '') continue;
    if (typeof value === 'number' ? !Number.isFinite(value) : !isNumericText(value)) return false;
    seen++;
  }
  return seen > 0;
}

function isNumericText(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

export interface IssueExample {
  /** 0-based row of the training file. */
  row: number;
  /** The row's cells when it is among the preview rows. */
  cells?: Row;
}

/** Up to `limit` flagged rows of an issue, with their cells where the issue or the preview has them. */
export function issueExamples(issue: QualityIssue, preview: readonly Row[], limit = 5): IssueExample[] {
  const rows = issue.groups ? issue.groups.flat() : issue.rows;
  return [...new Set(rows)].slice(0, limit).map((row) => {
    const cells = issue.cells?.[row] ?? preview[row];
    return cells ? { row, cells } : { row };
  });
}

/** One cell as display text; long cells are cut with an ellipsis. */
export function cellText(value: CellValue | undefined, maxChars = 160): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

/**
 * CoNLL files (.conll/.iob/.bio) are token classification data; other plain text files have no label column, so they
 * are masked-LM data, unless token classification is chosen (CoNLL-2003's own files are .txt).
 */
export function taskForFile(fileName: string, current: Task): Task {
  if (/\.(conll|iob|bio)$/i.test(fileName)) return 'ner';
  return /\.txt$/i.test(fileName) && current !== 'ner' ? 'mlm' : current;
}
