/**
 * Turns an uploaded file's text into rows of named cells. Nothing in the file is ever executed: CSV/TSV go
 * through papaparse, JSON through JSON.parse, and every row object is built with `Object.fromEntries` so a
 * column called "__proto__" is just a column.
 *
 * Limits (DEFAULT_PARSE_LIMITS, overridable per call): 256 Mi characters of text and 2,000,000 rows. Beyond
 * that the browser tab would run out of memory long before training, so we stop early with a clear error.
 */
import Papa from 'papaparse';
import type { ProgressCallback } from '../progress';
import { DataError } from './errors';
import { parseQa } from './qa';
import { parseConll } from './tagging';

/** 'squad': question-answering JSON or JSONL (qa.ts), read so only when that task is chosen. */
export type DatasetFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'txt' | 'conll' | 'squad';
export type CellValue = string | number | null;
export type Row = Record<string, CellValue>;

export interface ParsedDataset {
  format: DatasetFormat;
  columns: string[];
  rows: Row[];
  /**
   * Only for `.txt`: the non-blank lines grouped into documents at blank lines (for MLM). Documents
   * partition `rows` in order: the k-th line overall is `rows[k].text`.
   */
  documents?: string[][];
  /** Things that were fixed up rather than rejected (renamed columns, ragged rows…). */
  warnings: string[];
}

export interface ParseLimits {
  maxChars: number;
  maxRows: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = { maxChars: 256 * 1024 * 1024, maxRows: 2_000_000 };

export interface ParseOptions {
  limits?: Partial<ParseLimits>;
  /** Report progress every this many rows (default 5000). */
  progressEvery?: number;
  /** Read the text as this format whatever the file is called (a CoNLL file named train.txt). */
  format?: DatasetFormat;
}

/** The column name `.txt` files get. */
export const TXT_COLUMN = 'text';

const EXTENSIONS: Record<string, DatasetFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  json: 'json',
  txt: 'txt',
  conll: 'conll',
  iob: 'conll',
  bio: 'conll',
};

export function formatFromFileName(fileName: string): DatasetFormat {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const format = Object.hasOwn(EXTENSIONS, ext) ? EXTENSIONS[ext] : undefined;
  if (!format) {
    throw new DataError(
      'unsupported-format',
      `Cannot read "${fileName}": supported files are .csv, .tsv, .jsonl/.ndjson, .json, .txt and .conll/.iob/.bio.`,
    );
  }
  return format;
}

/** Raw parse output before cells become row objects: `cells[i][j]` is row i, column j. */
interface Table {
  columns: string[];
  cells: CellValue[][];
  documents?: string[][];
  warnings: string[];
}

interface Context {
  fileName: string;
  limits: ParseLimits;
  progressEvery: number;
  onProgress?: ProgressCallback;
}

export function parseDataset(
  text: string,
  fileName: string,
  onProgress?: ProgressCallback,
  options: ParseOptions = {},
): ParsedDataset {
  const format = options.format ?? formatFromFileName(fileName);
  const limits: ParseLimits = { ...DEFAULT_PARSE_LIMITS, ...options.limits };
  const ctx: Context = { fileName, limits, progressEvery: Math.max(1, options.progressEvery ?? 5000), onProgress };
  if (text.length > limits.maxChars) {
    const [size, limit] = [text.length, limits.maxChars].map((n) => n.toLocaleString('en'));
    throw new DataError('too-large', `"${fileName}" has ${size} characters; the limit is ${limit}.`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new DataError('empty-file', `"${fileName}" is empty.`);
  rejectBinary(body, fileName);

  const table = PARSERS[format](body, ctx);
  if (table.columns.length === 0) throw new DataError('no-columns', `"${fileName}" has no columns.`);
  if (table.cells.length === 0) throw new DataError('no-rows', `"${fileName}" has no data rows.`);
  onProgress?.({ stage: 'parse', item: fileName, loaded: text.length, total: text.length });

  const rows = table.cells.map((cells) => Object.fromEntries(table.columns.map((c, j) => [c, cells[j] ?? null])));
  const dataset: ParsedDataset = { format, columns: table.columns, rows, warnings: table.warnings };
  if (table.documents) dataset.documents = table.documents;
  return dataset;
}

const PARSERS: Record<DatasetFormat, (text: string, ctx: Context) => Table> = {
  csv: (text, ctx) => parseDelimited(text, ctx, [',', ';', '\t', '|']),
  tsv: (text, ctx) => parseDelimited(text, ctx, ['\t']),
  jsonl: parseJsonLines,
  json: parseJsonArray,
  txt: parseLines,
  conll: (text, ctx) => ({ ...parseConll(text, ctx.fileName, ctx.limits.maxRows), warnings: [] }),
  squad: (text, ctx) => ({ ...parseQa(text, ctx.fileName, ctx.limits.maxRows), warnings: [] }),
};

const SNIFF_CHARS = 8192;

function rejectBinary(text: string, fileName: string): void {
  const head = text.slice(0, SNIFF_CHARS);
  const hint = (what: string): never => {
    throw new DataError('binary-file', `"${fileName}" ${what}`);
  };
  if (head.startsWith('PK\u0003\u0004')) hint('is a ZIP archive (an .xlsx workbook is one): export it as CSV.');
  if (head.startsWith('PAR1')) hint('is a Parquet file: convert it to CSV or JSONL.');
  if (head.includes('\u0000')) hint('contains NUL bytes: it is binary or UTF-16; save it as UTF-8 text.');
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f || c === 0xfffd) odd++;
  }
  if (odd > head.length * 0.1) hint('does not look like UTF-8 text (many control or undecodable characters).');
}

/** Counts newlines up to increasing offsets without rescanning: offsets must not go backwards. */
function lineCounter(text: string): (offset: number) => number {
  let pos = 0;
  let line = 1;
  return (offset: number): number => {
    const end = Math.min(offset, text.length);
    for (; pos < end; pos++) if (text.charCodeAt(pos) === 10) line++;
    return line;
  };
}

function tooManyRows(ctx: Context): DataError {
  return new DataError(
    'too-many-rows',
    `"${ctx.fileName}" has more than ${ctx.limits.maxRows.toLocaleString('en')} rows; split it or sample it first.`,
  );
}

/** Empty and duplicate header names get unique names so every cell has an address. */
function uniqueColumnNames(raw: string[], warnings: string[]): string[] {
  const seen = new Set<string>();
  return raw.map((name, j) => {
    const base = name.trim() || `column_${j + 1}`;
    let unique = base;
    for (let k = 2; seen.has(unique); k++) unique = `${base}_${k}`;
    if (unique !== name) warnings.push(`Column ${j + 1} header "${name}" was renamed to "${unique}".`);
    seen.add(unique);
    return unique;
  });
}

function parseDelimited(text: string, ctx: Context, delimiters: string[]): Table {
  const warnings: string[] = [];
  const lineAt = lineCounter(text);
  let header: string[] | undefined;
  const raw: string[][] = [];
  let failure: DataError | undefined;
  let prevCursor = 0;
  let ragged = 0;
  let firstRaggedLine = 0;

  Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: 'greedy',
    delimiter: delimiters.length === 1 ? delimiters[0] : '',
    delimitersToGuess: delimiters,
    step(result, parser) {
      const start = skipBlank(text, prevCursor);
      prevCursor = result.meta.cursor;
      const quoteError = result.errors.find((e) => e.type === 'Quotes');
      if (quoteError) {
        const line = lineAt(quoteError.index ?? start);
        failure = new DataError('malformed', `"${ctx.fileName}" line ${line}: ${quoteError.message.toLowerCase()}.`, {
          line,
        });
        parser.abort();
        return;
      }
      const fields = result.data;
      if (!header) {
        header = fields;
        return;
      }
      const line = lineAt(start);
      if (fields.length !== header.length && !(fields.length > header.length && extraFieldsEmpty(fields, header))) {
        if (ragged++ === 0) firstRaggedLine = line;
      }
      raw.push(fields);
      if (raw.length > ctx.limits.maxRows) {
        failure = tooManyRows(ctx);
        parser.abort();
        return;
      }
      if (raw.length % ctx.progressEvery === 0) {
        ctx.onProgress?.({ stage: 'parse', item: ctx.fileName, loaded: result.meta.cursor, total: text.length });
      }
    },
  });
  if (failure) throw failure;
  if (!header) return { columns: [], cells: [], warnings };
  const columns = uniqueColumnNames(header, warnings);
  if (ragged > 0) {
    warnings.push(
      `${ragged} row(s) did not have ${columns.length} fields (first at line ${firstRaggedLine}): ` +
        'missing cells are empty, extra cells were dropped.',
    );
  }
  return { columns, cells: typeColumns(raw, columns.length), warnings };
}

function skipBlank(text: string, from: number): number {
  let i = from;
  while (i < text.length && /[\r\n\t ]/.test(text[i])) i++;
  return i;
}

function extraFieldsEmpty(fields: string[], header: string[]): boolean {
  return fields.slice(header.length).every((f) => f.trim() === '');
}

/** Strict decimal numbers only; leading zeros ("007") and >15 significant digits stay text (ids, codes). */
const NUMBER = /^[+-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function asNumber(cell: string): number | undefined {
  const s = cell.trim();
  if (!NUMBER.test(s)) return undefined;
  const digits = s.replace(/[eE].*$/, '').replace(/\D/g, '').replace(/^0+/, '');
  return digits.length <= 15 ? Number(s) : undefined;
}

/**
 * CSV cells are all strings; a column becomes numeric only when every non-empty cell is a number, so one
 * column never mixes types. Empty cells become null.
 */
function typeColumns(raw: string[][], width: number): CellValue[][] {
  const numeric: boolean[] = [];
  for (let j = 0; j < width; j++) {
    let seen = false;
    let ok = true;
    for (const fields of raw) {
      const cell = fields[j];
      if (cell === undefined || cell === '') continue;
      seen = true;
      if (asNumber(cell) === undefined) {
        ok = false;
        break;
      }
    }
    numeric.push(seen && ok);
  }
  return raw.map((fields) =>
    numeric.map((isNumber, j) => {
      const cell = fields[j];
      if (cell === undefined || cell === '') return null;
      return isNumber ? (asNumber(cell) as number) : cell;
    }),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects JSON objects into a table: columns in first-seen order, JSON types kept. */
class ObjectTable {
  private readonly index = new Map<string, number>();
  private readonly objects: Record<string, unknown>[] = [];
  private readonly flattened = new Set<string>();

  constructor(private readonly ctx: Context) {}

  get size(): number {
    return this.objects.length;
  }

  add(obj: Record<string, unknown>): void {
    for (const key of Object.keys(obj)) if (!this.index.has(key)) this.index.set(key, this.index.size);
    this.objects.push(obj);
    if (this.objects.length > this.ctx.limits.maxRows) throw tooManyRows(this.ctx);
  }

  toTable(): Table {
    const warnings: string[] = [];
    const keys = [...this.index.keys()];
    const columns = uniqueColumnNames(keys, warnings);
    const cells = this.objects.map((obj) => keys.map((k) => this.cell(k, Object.hasOwn(obj, k) ? obj[k] : null)));
    for (const key of this.flattened) {
      warnings.push(`Field "${key}" holds objects or arrays; they were kept as JSON text.`);
    }
    return { columns, cells, warnings };
  }

  private cell(key: string, value: unknown): CellValue {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string' || typeof value === 'number') return value;
    if (typeof value === 'boolean') return String(value);
    this.flattened.add(key);
    return JSON.stringify(value);
  }
}

function parseJsonLines(text: string, ctx: Context): Table {
  const table = new ObjectTable(ctx);
  let line = 0;
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const source = text.slice(start, end).trim();
    line++;
    start = end + 1;
    if (source === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (e) {
      throw new DataError('malformed', `"${ctx.fileName}" line ${line}: invalid JSON (${(e as Error).message}).`, {
        line,
      });
    }
    if (!isPlainObject(value)) {
      throw new DataError('malformed', `"${ctx.fileName}" line ${line}: expected a JSON object like {"text": …}.`, {
        line,
      });
    }
    table.add(value);
    if (table.size % ctx.progressEvery === 0) {
      ctx.onProgress?.({ stage: 'parse', item: ctx.fileName, loaded: start, total: text.length });
    }
  }
  return table.toTable();
}

function parseJsonArray(text: string, ctx: Context): Table {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    const where = line === undefined ? '' : ` line ${line}:`;
    throw new DataError('malformed', `"${ctx.fileName}"${where} invalid JSON (${message}).`, { line });
  }
  const items = arrayOfRecords(value, ctx.fileName);
  const table = new ObjectTable(ctx);
  items.forEach((item, i) => {
    if (!isPlainObject(item)) {
      throw new DataError('malformed', `"${ctx.fileName}" item ${i + 1} is not an object like {"text": …}.`, {
        row: i,
      });
    }
    table.add(item);
  });
  return table.toTable();
}

/** A top-level array, or an object with exactly one array field (e.g. {"data": […]}). */
function arrayOfRecords(value: unknown, fileName: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isPlainObject(value)) {
    const arrays = Object.keys(value).filter((k) => Array.isArray(value[k]));
    if (arrays.length === 1) return value[arrays[0]] as unknown[];
    if (arrays.length > 1) {
      throw new DataError(
        'malformed',
        `"${fileName}" has several arrays (${arrays.join(', ')}); save the one to use as its own file.`,
      );
    }
  }
  throw new DataError('malformed', `"${fileName}" must hold an array of objects like [{"text": …, "label": …}].`);
}

function parseLines(text: string, ctx: Context): Table {
  const cells: CellValue[][] = [];
  const documents: string[][] = [];
  let current: string[] = [];
  const lines = text.split('\n');
  for (const rawLine of lines) {
    const line = rawLine.trim();
    if (line === '') {
      if (current.length > 0) documents.push(current);
      current = [];
      continue;
    }
    current.push(line);
    cells.push([line]);
    if (cells.length > ctx.limits.maxRows) throw tooManyRows(ctx);
  }
  if (current.length > 0) documents.push(current);
  return { columns: [TXT_COLUMN], cells, documents, warnings: [] };
}
