/**
 * Token classification (NER) data: CoNLL files (a token per line, its tag in the last column, a blank line between
 * sentences) and JSONL with character spans, both as rows of a `text` (the words, joined by single spaces) and a
 * `tags` cell (one tag per word, joined alike), so previews, splits and saved runs treat them as any other rows.
 * Tags follow BIO (IOB2), BIOES or IO, detected from the prefixes present.
 */
import { DataError, rowLabel } from './errors';
import type { CellValue, Row } from './parse';

export const TAGS_COLUMN = 'tags';
/** JSONL fields that hold an entity list, in the order they are looked for. */
export const SPAN_FIELDS = ['entities', 'spans'] as const;

export type TagScheme = 'BIO' | 'BIOES' | 'IO';

/** One sentence: a tag per word. */
export interface TaggedSentence {
  words: string[];
  tags: string[];
}

export interface EntitySpan {
  /** [start, end) in UTF-16 code units of the text. */
  start: number;
  end: number;
  label: string;
}

const TAG = /^(?:O|[BIES]-\S+)$/;

/** `O`, or a B-/I-/E-/S- prefix and a type; anything else is likely a shifted column. */
export function isTag(tag: string): boolean {
  return TAG.test(tag);
}

/** BIOES when any E-/S- tag appears, BIO when any B- does, otherwise IO. */
export function detectScheme(tags: Iterable<string>): TagScheme {
  let begins = false;
  for (const tag of tags) {
    if (tag.startsWith('E-') || tag.startsWith('S-')) return 'BIOES';
    if (tag.startsWith('B-')) begins = true;
  }
  return begins ? 'BIO' : 'IO';
}

/**
 * A CoNLL file as sentence rows: the token is the first column, the tag the last (CoNLL-2003's POS and chunk
 * columns between are ignored); `-DOCSTART-` lines are document markers, not tokens.
 */
export function parseConll(text: string, fileName: string, maxRows: number): { columns: string[]; cells: CellValue[][] } {
  const cells: CellValue[][] = [];
  let words: string[] = [];
  let tags: string[] = [];
  const flush = (): void => {
    if (words.length > 0) cells.push([words.join(' '), tags.join(' ')]);
    if (cells.length > maxRows) {
      throw new DataError('too-many-rows', `"${fileName}" has more than ${maxRows.toLocaleString('en')} sentences; split it first.`);
    }
    words = [];
    tags = [];
  };
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '') return flush();
    if (fields[0] === '-DOCSTART-') return undefined;
    const line = i + 1;
    const tag = fields[fields.length - 1];
    if (fields.length < 2) {
      throw new DataError('malformed', `"${fileName}" line ${line}: "${fields[0]}" has no tag (expected "token tag").`, { line });
    }
    if (!isTag(tag)) {
      throw new DataError('bad-label', `"${fileName}" line ${line}: "${tag}" is not a tag (O, or B-/I-/E-/S- and a type).`, { line });
    }
    words.push(fields[0]);
    tags.push(tag);
    return undefined;
  });
  flush();
  return { columns: ['text', TAGS_COLUMN], cells };
}

/** Words of free text: runs of letters, digits and marks, and each other non-space character alone (BERT's split). */
const WORD = /[\p{L}\p{N}\p{M}_]+|[^\s\p{L}\p{N}\p{M}_]/gu;

function checkSpans(value: unknown, textLength: number, row: number): EntitySpan[] {
  const where = rowLabel(row);
  if (!Array.isArray(value)) throw new DataError('malformed', `The entities of ${where} are not a list of {"start", "end", "label"}.`, { row });
  const spans = value.map((span: unknown, k) => {
    const { start, end, label } = (span ?? {}) as Record<string, unknown>;
    const ok = Number.isInteger(start) && Number.isInteger(end) && typeof label === 'string' && label.trim() !== ''
      && (start as number) >= 0 && (start as number) < (end as number) && (end as number) <= textLength;
    if (!ok) {
      throw new DataError('malformed', `Entity ${k + 1} of ${where} needs 0 ≤ start < end ≤ ${textLength} and a label, got ${JSON.stringify(span)}.`, { row });
    }
    return { start: start as number, end: end as number, label: (label as string).trim() };
  });
  spans.sort((a, b) => a.start - b.start);
  spans.forEach((span, k) => {
    if (k > 0 && span.start < spans[k - 1].end) throw new DataError('malformed', `Entities of ${where} overlap at character ${span.start}.`, { row });
  });
  return spans;
}

/** Words of `text` tagged BIO from character spans: a word belongs to the span it overlaps. */
export function spansToTags(text: string, value: unknown, row: number): TaggedSentence {
  const spans = checkSpans(value, text.length, row);
  const words: string[] = [];
  const tags: string[] = [];
  let last = -1;
  for (const match of text.matchAll(WORD)) {
    const start = match.index;
    const end = start + match[0].length;
    const k = spans.findIndex((span) => start < span.end && end > span.start);
    words.push(match[0]);
    tags.push(k < 0 ? 'O' : `${k === last ? 'I' : 'B'}-${spans[k].label}`);
    last = k;
  }
  return { words, tags };
}

/** The sentence of a row: its `tags` cell (CoNLL), or the spans of its entities/spans field (JSONL). */
export function taggedSentence(row: Row, index: number, textColumn = 'text'): TaggedSentence {
  const text = row[textColumn];
  if (typeof text !== 'string' || text.trim() === '') throw new DataError('no-text-column', `${rowLabel(index)} has no text.`, { row: index });
  const tags = row[TAGS_COLUMN];
  if (typeof tags === 'string') {
    const words = text.split(' ');
    const split = tags.split(' ');
    if (split.length !== words.length) {
      throw new DataError('malformed', `${rowLabel(index)} has ${words.length} words and ${split.length} tags.`, { row: index });
    }
    const bad = split.find((tag) => !isTag(tag));
    if (bad !== undefined) throw new DataError('bad-label', `${rowLabel(index)}: "${bad}" is not a tag (O, or B-/I-/E-/S- and a type).`, { row: index });
    return { words, tags: split };
  }
  const field = SPAN_FIELDS.find((name) => typeof row[name] === 'string');
  if (field === undefined) {
    throw new DataError('missing-label', `${rowLabel(index)} has neither tags nor "entities"/"spans" with {"start", "end", "label"}.`, { row: index });
  }
  let spans: unknown;
  try {
    spans = JSON.parse(row[field] as string);
  } catch {
    throw new DataError('malformed', `The ${field} of ${rowLabel(index)} are not JSON.`, { row: index });
  }
  return spansToTags(text, spans, index);
}

/** The tag set of the training sentences: `O` first, then by code unit, so the same data gives the same id2label. */
export function tagLabels(sentences: readonly TaggedSentence[]): string[] {
  const tags = new Set<string>(sentences.flatMap((s) => s.tags));
  if (tags.size < 2) throw new DataError('too-few-classes', `Token classification needs at least 2 tags; the training data has ${[...tags].join(', ') || 'none'}.`);
  return [...tags].sort((a, b) => (a === 'O' ? -1 : b === 'O' ? 1 : a < b ? -1 : a > b ? 1 : 0));
}
