/**
 * The data-quality report of the Data panel. Each issue lists the rows that excluding would fix, so the
 * panel can offer one click per issue (`excludeRows`).
 *
 * Thresholds: a text is too short under 3 characters or 2 words; a length outlier lies beyond
 * Q3 + 3·IQR of character (or token) lengths, with the IQR floored at max(1, 10% of the median) so data of
 * near-constant length still flags a giant row; near-duplicates have character 5-gram Jaccard ≥ 0.8; classes
 * are imbalanced from a 3:1 largest-to-smallest ratio (a warning from 10:1).
 */
import type { ProgressCallback } from '../progress';
import type { ColumnChoice } from './columns';
import { DataError, rowLabel } from './errors';
import { labelKey } from './labels';
import { findNearDuplicates, normalizeText } from './nearDuplicates';
import type { CellValue, ParsedDataset, Row } from './parse';
import { quantile } from './stats';
import { hasHtml, hasMojibake, isBlank, isTooShort, junkKind, type JunkKind } from './textChecks';

export type IssueKind =
  | 'missing-label'
  | 'bad-label'
  | 'label-conflict'
  | 'duplicate'
  | 'near-duplicate'
  | 'empty'
  | 'too-short'
  | 'too-long'
  | 'length-outlier'
  | 'class-imbalance'
  | JunkKind
  | 'html'
  | 'mojibake';

export type Severity = 'error' | 'warning' | 'info';

export interface QualityIssue {
  kind: IssueKind;
  severity: Severity;
  message: string;
  /** Rows (indices into `rows`, ascending) that excluding would fix; empty when no row is to blame. */
  rows: number[];
  /**
   * For duplicates, near-duplicates and conflicts: clusters of rows, including the one kept; the first
   * MAX_REPORTED_GROUPS only (they are shown as examples; `rows` lists every row to exclude).
   */
  groups?: number[][];
  /**
   * Cells of the first MAX_EXAMPLE_ROWS rows of `groups`, keyed by row, so the page shows them as examples even
   * beyond its preview: copies with different labels are a conflict only when seen side by side.
   */
  cells?: Record<number, Row>;
}

/** Clusters an issue carries to the page: enough for its examples, and a 200k-duplicate file stays cheap to send. */
export const MAX_REPORTED_GROUPS = 100;

/** Rows of an issue's clusters sent with their cells; the page shows fewer. */
export const MAX_EXAMPLE_ROWS = 10;

/** Conflicting texts the message names with their rows and labels, and rows named per text; the rest are counted. */
const CONFLICTS_NAMED = 3;
const ROWS_NAMED = 4;

export interface LengthSummary {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
  /** Lengths above this are outliers. */
  fence: number;
}

export interface QualitySummary {
  rowCount: number;
  /** Rows named by at least one issue. */
  flaggedRows: number;
  charLength: LengthSummary;
  tokenLength?: LengthSummary;
  /** Rows per class, largest first (classification only). */
  classCounts?: Record<string, number>;
  /** Largest class size over smallest. */
  imbalanceRatio?: number;
  /** The smallest class's share of labeled rows. */
  smallestClassShare?: number;
}

export interface QualityReport {
  /** Errors first, then warnings, then notes. */
  issues: QualityIssue[];
  summary: QualitySummary;
}

export interface QualityOptions {
  columns: Pick<ColumnChoice, 'text' | 'textPair' | 'label' | 'labelKind'>;
  /** Untruncated token length per row (EncodedDataset.lengths for all rows), for token outliers. */
  tokenLengths?: ArrayLike<number>;
  /** Rows with more tokens than this get truncated. */
  maxLength?: number;
  /** Near-duplicate Jaccard threshold (default 0.8). */
  nearDuplicateThreshold?: number;
  onProgress?: ProgressCallback;
}

const OUTLIER_IQRS = 3;
const IMBALANCE_NOTE = 3;
const IMBALANCE_WARNING = 10;
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function cellText(value: CellValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

export function lengthSummary(lengths: ArrayLike<number>): LengthSummary {
  const sorted = Float64Array.from(lengths).sort();
  const q1 = quantile(sorted, 0.25);
  const median = quantile(sorted, 0.5);
  const q3 = quantile(sorted, 0.75);
  const spread = Math.max(q3 - q1, 1, 0.1 * median);
  const sum = sorted.reduce((s, n) => s + n, 0);
  return {
    min: sorted.length > 0 ? sorted[0] : 0,
    q1,
    median,
    q3,
    max: sorted.length > 0 ? sorted[sorted.length - 1] : 0,
    mean: sorted.length > 0 ? sum / sorted.length : 0,
    fence: q3 + OUTLIER_IQRS * spread,
  };
}

/** "1 row has" / "3 rows have": the subject of an issue's message, agreeing with its verb. */
type Subject = (singularVerb: string, pluralVerb: string) => string;

interface IssueSpec {
  kind: IssueKind;
  severity: Severity;
  rows: number[];
  message: (subject: Subject) => string;
  groups?: number[][];
}

/** Issues found so far in `data`; an issue that names no rows is dropped. */
class IssueList {
  readonly issues: QualityIssue[] = [];

  constructor(private readonly data: readonly Row[]) {}

  add({ kind, severity, rows, message, groups }: IssueSpec): void {
    if (rows.length === 0) return;
    const subject: Subject = (one, many) => `${plural(rows.length, 'row')} ${rows.length === 1 ? one : many}`;
    const issue: QualityIssue = { kind, severity, message: message(subject), rows: rows.sort((a, b) => a - b) };
    if (groups) {
      issue.groups = groups.slice(0, MAX_REPORTED_GROUPS);
      const shown = [...new Set(issue.groups.flat())].slice(0, MAX_EXAMPLE_ROWS);
      issue.cells = Object.fromEntries(shown.map((row) => [row, this.data[row]]));
    }
    this.issues.push(issue);
  }
}

interface Texts {
  text: string[];
  pair?: string[];
  blank: boolean[];
}

function readTexts(rows: readonly Row[], columns: QualityOptions['columns']): Texts {
  const text = rows.map((r) => cellText(r[columns.text]));
  const { textPair } = columns;
  const pair = textPair === undefined ? undefined : rows.map((r) => cellText(r[textPair]));
  const blank = text.map((t, i) => isBlank(t) || (pair !== undefined && isBlank(pair[i])));
  return { text, pair, blank };
}

/** Exact duplicates (after normalisation) and the same text with different labels. */
function checkDuplicates(rows: readonly Row[], t: Texts, label: string | undefined, out: IssueList): number[] {
  const byKey = new Map<string, number[]>();
  const firsts: number[] = [];
  t.text.forEach((text, i) => {
    if (t.blank[i]) return;
    const key = `${normalizeText(text)}\u0000${t.pair ? normalizeText(t.pair[i]) : ''}`;
    const group = byKey.get(key);
    if (group) group.push(i);
    else {
      byKey.set(key, [i]);
      firsts.push(i);
    }
  });
  const duplicates: number[] = [];
  const duplicateGroups: number[][] = [];
  const conflicts: number[] = [];
  const conflictGroups: number[][] = [];
  const labelOf = (i: number): string => (label === undefined ? '' : (labelKey(rows[i][label] ?? null) ?? ''));
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    const labels = group.map(labelOf);
    const counts = new Map<string, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    let kept = group;
    if (counts.size > 1) {
      let top = 0;
      for (const n of counts.values()) top = Math.max(top, n);
      const winners = [...counts].filter(([, n]) => n === top);
      // With a clear majority, the minority rows are the suspects; on a tie every row is.
      kept = winners.length === 1 ? group.filter((_, k) => labels[k] === winners[0][0]) : [];
      const keptSet = new Set(kept);
      for (const i of group) if (!keptSet.has(i)) conflicts.push(i);
      conflictGroups.push(group);
    }
    if (kept.length > 1) {
      for (const i of kept.slice(1)) duplicates.push(i);
      duplicateGroups.push(kept);
    }
  }
  out.add({
    kind: 'label-conflict',
    severity: 'warning',
    rows: conflicts,
    groups: conflictGroups,
    message: () => conflictMessage(conflictGroups, labelOf),
  });
  out.add({
    kind: 'duplicate',
    severity: 'warning',
    rows: duplicates,
    groups: duplicateGroups,
    message: (n) =>
      `${n('is an exact copy', 'are exact copies')} (ignoring case and spacing) of an earlier row, ` +
      'which overweights those texts.',
  });
  return firsts;
}

/**
 * "Conflicting labels: 2 texts appear with different labels, in rows 8 (2) and 303 (1); rows 12 (pos), 40 (neg)
 * and 3 more copies. …": rows numbered from 1, as the page shows them.
 */
function conflictMessage(groups: readonly number[][], labelOf: (row: number) => string): string {
  const named = groups.slice(0, CONFLICTS_NAMED).map((group) => nameConflict(group, labelOf));
  const more = groups.length > CONFLICTS_NAMED ? `; and ${plural(groups.length - CONFLICTS_NAMED, 'more text')}` : '';
  return (
    `Conflicting labels: ${plural(groups.length, 'text')} ${groups.length === 1 ? 'appears' : 'appear'} with different ` +
    `labels, in ${named.join('; ')}${more}. Flagged are the minority-label copies, or every copy on a tie.`
  );
}

/** The rows of one text with their labels: the first row of each label, which show the conflict, then others up to ROWS_NAMED. */
function nameConflict(group: readonly number[], labelOf: (row: number) => string): string {
  const shown = new Set<number>();
  const labels = new Set<string>();
  for (const i of group) {
    if (!labels.has(labelOf(i))) shown.add(i);
    labels.add(labelOf(i));
  }
  for (const i of group) if (shown.size < ROWS_NAMED) shown.add(i);
  const rows = [...shown].sort((a, b) => a - b).map((i) => `${i + 1} (${labelOf(i) || 'no label'})`);
  const rest = group.length - rows.length;
  return rest > 0
    ? `rows ${rows.join(', ')} and ${plural(rest, 'more copy', 'more copies')}`
    : `rows ${rows.slice(0, -1).join(', ')} and ${rows.at(-1)}`;
}

function checkNearDuplicates(t: Texts, firsts: number[], options: QualityOptions, out: IssueList): void {
  const combined = firsts.map((i) => (t.pair ? `${t.text[i]} ${t.pair[i]}` : t.text[i]));
  const clusters = findNearDuplicates(combined, {
    threshold: options.nearDuplicateThreshold,
    onProgress: options.onProgress,
  }).map((cluster) => cluster.map((k) => firsts[k]));
  out.add({
    kind: 'near-duplicate',
    severity: 'info',
    rows: clusters.flatMap((c) => c.slice(1)),
    groups: clusters,
    message: (n) =>
      `${n('nearly repeats', 'nearly repeat')} an earlier row ` +
      `(${plural(clusters.length, 'cluster')} of almost identical texts).`,
  });
}

type LengthSummaries = Pick<QualitySummary, 'charLength' | 'tokenLength'>;

function checkLengths(t: Texts, options: QualityOptions, out: IssueList): LengthSummaries {
  const n = t.text.length;
  const chars = t.text.map((text, i) => text.length + (t.pair ? t.pair[i].length : 0));
  const charLength = lengthSummary(chars);
  const { tokenLengths, maxLength } = options;
  if (tokenLengths && tokenLengths.length !== n) {
    throw new DataError('bad-option', `Got ${tokenLengths.length} token lengths for ${n} rows.`);
  }
  const tokenLength = tokenLengths ? lengthSummary(tokenLengths) : undefined;
  const outliers: number[] = [];
  const tooLong: number[] = [];
  for (let i = 0; i < n; i++) {
    if (t.blank[i]) continue;
    const tokens = tokenLengths?.[i];
    if (chars[i] > charLength.fence || (tokenLength && tokens !== undefined && tokens > tokenLength.fence)) {
      outliers.push(i);
    }
    if (maxLength !== undefined && tokens !== undefined && tokens > maxLength) tooLong.push(i);
  }
  const fenceText = tokenLength
    ? `${Math.round(charLength.fence)} characters or ${Math.round(tokenLength.fence)} tokens`
    : `${Math.round(charLength.fence)} characters`;
  const share = ((100 * tooLong.length) / Math.max(1, n)).toFixed(1);
  out.add({
    kind: 'length-outlier',
    severity: 'info',
    rows: outliers,
    message: (c) => `${c('is', 'are')} far longer than the rest (over ${fenceText}, i.e. Q3 + 3·IQR).`,
  });
  out.add({
    kind: 'too-long',
    severity: 'info',
    rows: tooLong,
    message: (c) => `${c('has', 'have')} more than ${maxLength} tokens and will be truncated (${share}% of rows).`,
  });
  const lengths: LengthSummaries = { charLength };
  if (tokenLength) lengths.tokenLength = tokenLength;
  return lengths;
}

function checkTexts(t: Texts, out: IssueList): void {
  const empty: number[] = [];
  const short: number[] = [];
  const junk: Record<JunkKind, number[]> = { 'url-only': [], base64: [], symbols: [] };
  const html: number[] = [];
  const mojibake: number[] = [];
  t.text.forEach((text, i) => {
    if (t.blank[i]) {
      empty.push(i);
      return;
    }
    const sides = t.pair ? [text, t.pair[i]] : [text];
    // A link or a blob is one "word" too; name it for what it is rather than as short.
    const kind = sides.map(junkKind).find((k) => k !== undefined);
    if (kind) junk[kind].push(i);
    else if (isTooShort(text)) short.push(i);
    if (sides.some(hasHtml)) html.push(i);
    if (sides.some(hasMojibake)) mojibake.push(i);
  });
  const pairNote = t.pair ? ' (or no second text)' : '';
  const issues: IssueSpec[] = [
    { kind: 'empty', severity: 'warning', rows: empty, message: (n) => `${n('has', 'have')} no text${pairNote}.` },
    {
      kind: 'too-short',
      severity: 'info',
      rows: short,
      message: (n) => `${n('is', 'are')} very short (under 3 characters or 2 words).`,
    },
    {
      kind: 'url-only',
      severity: 'warning',
      rows: junk['url-only'],
      message: (n) => `${n('contains', 'contain')} only links.`,
    },
    {
      kind: 'base64',
      severity: 'warning',
      rows: junk.base64,
      message: (n) => `${n('is', 'are')} mostly encoded data (base64 or hex), not language.`,
    },
    {
      kind: 'symbols',
      severity: 'warning',
      rows: junk.symbols,
      message: (n) => `${n('is', 'are')} mostly digits or symbols rather than words.`,
    },
    {
      kind: 'mojibake',
      severity: 'warning',
      rows: mojibake,
      message: (n) => `${n('shows', 'show')} broken encoding (like "Ã©" for "é"); re-save the file as UTF-8.`,
    },
    {
      kind: 'html',
      severity: 'info',
      rows: html,
      message: (n) => `${n('contains', 'contain')} HTML tags or entities (e.g. <br />): strip them or drop the rows.`,
    },
  ];
  issues.forEach((issue) => out.add(issue));
}

type ClassSummary = Pick<QualitySummary, 'classCounts' | 'imbalanceRatio' | 'smallestClassShare'>;

function checkLabels(rows: readonly Row[], columns: QualityOptions['columns'], out: IssueList): ClassSummary {
  const { label, labelKind } = columns;
  if (label === undefined) return {};
  const missing: number[] = [];
  const notNumbers: number[] = [];
  const counts = new Map<string, number>();
  rows.forEach((row, i) => {
    const key = labelKey(row[label] ?? null);
    if (key === undefined) missing.push(i);
    else if (labelKind === 'numeric' && !Number.isFinite(Number(key))) notNumbers.push(i);
    else counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  out.add({
    kind: 'missing-label',
    severity: 'error',
    rows: missing,
    message: (n) => `${n('has', 'have')} no label; training needs one on every row.`,
  });
  out.add({
    kind: 'bad-label',
    severity: 'error',
    rows: notNumbers,
    message: (n) => `${n('has', 'have')} a label that is not a number, which regression needs.`,
  });
  if (labelKind === 'numeric' || counts.size < 2) return {};

  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const [largest, largestCount] = sorted[0];
  const [smallest, smallestCount] = sorted[sorted.length - 1];
  const labeled = sorted.reduce((s, [, n]) => s + n, 0);
  const imbalanceRatio = largestCount / smallestCount;
  const smallestClassShare = smallestCount / labeled;
  if (imbalanceRatio >= IMBALANCE_NOTE) {
    out.issues.push({
      kind: 'class-imbalance',
      severity: imbalanceRatio >= IMBALANCE_WARNING ? 'warning' : 'info',
      rows: [],
      message:
        `Classes are imbalanced: "${largest}" has ${plural(largestCount, 'row')}, ` +
        `"${smallest}" ${plural(smallestCount, 'row')} (${imbalanceRatio.toFixed(1)}:1; ` +
        `the smallest class is ${(100 * smallestClassShare).toFixed(1)}% of the data). ` +
        'Watch per-class metrics, not just accuracy.',
    });
  }
  return { classCounts: Object.fromEntries(sorted), imbalanceRatio, smallestClassShare };
}

export function analyzeQuality(dataset: { rows: readonly Row[] }, options: QualityOptions): QualityReport {
  const { rows } = dataset;
  const out = new IssueList(rows);
  const texts = readTexts(rows, options.columns);
  const labelSummary = checkLabels(rows, options.columns, out);
  const firsts = checkDuplicates(rows, texts, options.columns.label, out);
  checkNearDuplicates(texts, firsts, options, out);
  checkTexts(texts, out);
  const lengths = checkLengths(texts, options, out);

  const issues = out.issues.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const flagged = new Set(issues.flatMap((issue) => issue.rows));
  return { issues, summary: { rowCount: rows.length, flaggedRows: flagged.size, ...lengths, ...labelSummary } };
}

/**
 * The dataset without the given rows. For `.txt` data the documents lose the same lines (and vanish when
 * empty), keeping the invariant that documents partition the rows in order.
 */
export function excludeRows(dataset: ParsedDataset, rows: Iterable<number>): ParsedDataset {
  const drop = new Set<number>();
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 0 || r >= dataset.rows.length) {
      const which = Number.isInteger(r) ? rowLabel(r) : String(r);
      throw new DataError('bad-option', `Cannot exclude ${which}: there are ${dataset.rows.length} rows.`);
    }
    drop.add(r);
  }
  const result: ParsedDataset = {
    ...dataset,
    rows: dataset.rows.filter((_, i) => !drop.has(i)),
    warnings: [...dataset.warnings],
  };
  if (dataset.documents) {
    let line = 0;
    result.documents = dataset.documents
      .map((doc) => doc.filter(() => !drop.has(line++)))
      .filter((doc) => doc.length > 0);
  }
  return result;
}
