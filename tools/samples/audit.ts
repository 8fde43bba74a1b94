import Papa from 'papaparse';

/** What a labeled sample CSV (`text,label`) must satisfy to be offered as "try a sample". */
export interface LabeledSpec {
  labels: readonly string[];
  minRows: number;
  /** Longest allowed text in whitespace-separated words, so rows fit in 32–64 tokens. */
  maxWords: number;
  /** Largest allowed ratio between the most and least frequent label. */
  maxImbalance: number;
}

export interface LabeledAudit {
  rows: number;
  counts: Record<string, number>;
  /** Human-readable findings; empty when the file meets the spec. */
  problems: string[];
}

export interface DomainSpec {
  minLines: number;
  minDocuments: number;
}

export interface DomainAudit {
  /** Non-empty lines, one sentence each. */
  lines: number;
  /** Runs of non-empty lines separated by blank lines. */
  documents: number;
  problems: string[];
}

interface Row {
  text?: string;
  label?: string;
}

const wordCount = (text: string): number => text.trim().split(/\s+/).filter(Boolean).length;

// Case and spacing differences would still leak the same example into train and test splits.
const duplicateKey = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();

export function auditLabeledCsv(csv: string, spec: LabeledSpec): LabeledAudit {
  const parsed = Papa.parse<Row>(csv, { header: true, skipEmptyLines: true });
  const problems: string[] = parsed.errors.map(
    (e) => `parse error ${e.code} at row ${e.row ?? '?'}: ${e.message}`,
  );
  const fields = parsed.meta.fields ?? [];
  if (fields.join(',') !== 'text,label') {
    problems.push(`header must be "text,label", got "${fields.join(',')}"`);
  }

  const counts: Record<string, number> = Object.fromEntries(spec.labels.map((l) => [l, 0]));
  const seen = new Map<string, number>();
  parsed.data.forEach((row, i) => {
    const line = i + 2; // 1-based, after the header line
    const text = row.text ?? '';
    const label = row.label ?? '';
    if (text.trim() === '') problems.push(`line ${line}: empty text`);
    if (wordCount(text) > spec.maxWords) {
      problems.push(`line ${line}: ${wordCount(text)} words > ${spec.maxWords}`);
    }
    if (label in counts) counts[label] += 1;
    else problems.push(`line ${line}: unknown label "${label}"`);
    const key = duplicateKey(text);
    const first = seen.get(key);
    if (first !== undefined && key !== '') problems.push(`line ${line}: duplicates line ${first}`);
    else seen.set(key, line);
  });

  const rows = parsed.data.length;
  if (rows < spec.minRows) problems.push(`${rows} rows < ${spec.minRows}`);
  const values = Object.values(counts);
  const [max, min] = [Math.max(...values), Math.min(...values)];
  if (min === 0 || max / min > spec.maxImbalance) {
    problems.push(`labels unbalanced: ${JSON.stringify(counts)}`);
  }
  return { rows, counts, problems };
}

export function auditDomainText(text: string, spec: DomainSpec): DomainAudit {
  const documents = text
    .split(/\r?\n\s*\r?\n/)
    .map((doc) => doc.split(/\r?\n/).filter((line) => line.trim() !== ''))
    .filter((doc) => doc.length > 0);
  const lines = documents.reduce((n, doc) => n + doc.length, 0);
  const problems: string[] = [];
  if (lines < spec.minLines) problems.push(`${lines} non-empty lines < ${spec.minLines}`);
  if (documents.length < spec.minDocuments) {
    problems.push(`${documents.length} documents < ${spec.minDocuments}`);
  }
  return { lines, documents: documents.length, problems };
}
