/**
 * Which columns hold the text, the optional second text of a pair task, and the label. Known column names
 * win (Hugging Face / GLUE conventions); otherwise the longest average string is the text and the string or
 * integer column with the fewest distinct values is the label.
 */
import { DataError } from './errors';
import type { CellValue, ParsedDataset } from './parse';

/** 'numeric' means regression on the label's value; 'categorical' means classification. */
export type LabelKind = 'categorical' | 'numeric';

export interface ColumnChoice {
  text: string;
  textPair?: string;
  label?: string;
  labelKind: LabelKind;
}

/** What the user picked in the UI; `null` turns a detected pair or label off. */
export interface ColumnOverride {
  text?: string;
  textPair?: string | null;
  label?: string | null;
  labelKind?: LabelKind;
}

type DatasetColumns = Pick<ParsedDataset, 'columns' | 'rows'>;

const TEXT_NAMES = [
  'text',
  'sentence',
  'review',
  'content',
  'document',
  'comment',
  'tweet',
  'body',
  'utterance',
  'message',
  'question',
  'query',
  'passage',
  'description',
];
const PAIR_NAMES: [string, string][] = [
  ['premise', 'hypothesis'],
  ['sentence1', 'sentence2'],
  ['sentencea', 'sentenceb'],
  ['question1', 'question2'],
  ['text1', 'text2'],
  ['texta', 'textb'],
  ['text', 'textpair'],
  ['question', 'sentence'],
  ['question', 'context'],
  ['question', 'passage'],
  ['query', 'passage'],
  ['query', 'document'],
];
const LABEL_NAMES = [
  'label',
  'labels',
  'class',
  'category',
  'target',
  'score',
  'sentiment',
  'goldlabel',
  'y',
  'rating',
  'stars',
  'intent',
];

/** Rows inspected per column: enough to judge types and cardinality without scanning 2M rows. */
const PROFILE_ROWS = 5000;
/** Integer labels with more distinct values than this are treated as a quantity to regress. */
const MAX_INTEGER_CLASSES = 20;
/** A heuristic label has at most this many distinct values. */
const MAX_GUESSED_CLASSES = 50;

interface Profile {
  name: string;
  nonNull: number;
  strings: number;
  numbers: number;
  integers: number;
  distinct: number;
  meanLength: number;
}

/** "Sentence 1", "sentence_1" and "sentence1" are the same name. */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function profileColumn(name: string, rows: readonly Record<string, CellValue>[]): Profile {
  const values = new Set<string>();
  const p: Profile = { name, nonNull: 0, strings: 0, numbers: 0, integers: 0, distinct: 0, meanLength: 0 };
  let totalLength = 0;
  for (const row of rows) {
    const v = Object.hasOwn(row, name) ? row[name] : null;
    if (v === null) continue;
    p.nonNull++;
    if (typeof v === 'number') {
      p.numbers++;
      if (Number.isInteger(v)) p.integers++;
    } else {
      p.strings++;
      totalLength += v.length;
    }
    values.add(String(v));
  }
  p.distinct = values.size;
  p.meanLength = p.strings > 0 ? totalLength / p.strings : 0;
  return p;
}

const isTextLike = (p: Profile): boolean => p.strings > 0 && p.strings >= 0.8 * p.nonNull;

function findByName(profiles: Profile[], names: string[], accept: (p: Profile) => boolean): Profile | undefined {
  for (const wanted of names) {
    const hit = profiles.find((p) => normalizeName(p.name) === wanted && accept(p));
    if (hit) return hit;
  }
  return undefined;
}

function guessLabel(candidates: Profile[]): Profile | undefined {
  const usable = candidates.filter((p) => {
    const limit = Math.min(MAX_GUESSED_CLASSES, Math.max(2, Math.floor(p.nonNull / 2)));
    const shortOrInteger = p.numbers === p.integers && (p.strings === 0 || p.meanLength <= 30);
    return p.nonNull > 0 && p.distinct >= 2 && p.distinct <= limit && shortOrInteger;
  });
  return usable.reduce<Profile | undefined>((best, p) => (!best || p.distinct < best.distinct ? p : best), undefined);
}

/** Numbers only, and either fractional or too many distinct integers to be classes. */
export function inferLabelKind(values: Iterable<CellValue>): LabelKind {
  const distinct = new Set<number>();
  let fractional = false;
  let any = false;
  for (const v of values) {
    if (v === null) continue;
    if (typeof v !== 'number') return 'categorical';
    any = true;
    if (!Number.isInteger(v)) fractional = true;
    distinct.add(v);
  }
  return any && (fractional || distinct.size > MAX_INTEGER_CLASSES) ? 'numeric' : 'categorical';
}

function checkColumn(ds: DatasetColumns, name: string | null | undefined, role: string): void {
  if (name === null || name === undefined) return;
  if (!ds.columns.includes(name)) {
    throw new DataError(
      'unknown-column',
      `There is no column "${name}" to use as the ${role}; columns are: ${ds.columns.join(', ')}.`,
    );
  }
}

export function detectColumns(ds: DatasetColumns, override: ColumnOverride = {}): ColumnChoice {
  checkColumn(ds, override.text, 'text');
  checkColumn(ds, override.textPair, 'second text');
  checkColumn(ds, override.label, 'label');

  const sample = ds.rows.length > PROFILE_ROWS ? ds.rows.slice(0, PROFILE_ROWS) : ds.rows;
  const profiles = ds.columns.map((c) => profileColumn(c, sample));
  const chosen = [override.text, override.textPair, override.label];
  const taken = new Set<string>(chosen.filter((c) => typeof c === 'string'));
  const free = (p: Profile): boolean => !taken.has(p.name);

  let label = override.label === undefined ? findByName(profiles, LABEL_NAMES, free)?.name : override.label;
  if (label) taken.add(label);

  let text = override.text;
  let textPair = override.textPair === null ? undefined : override.textPair;
  if (text === undefined && override.textPair === undefined) {
    for (const [first, second] of PAIR_NAMES) {
      const a = findByName(profiles, [first], (p) => free(p) && isTextLike(p));
      const b = findByName(profiles, [second], (p) => free(p) && isTextLike(p) && p !== a);
      if (a && b) {
        text = a.name;
        textPair = b.name;
        break;
      }
    }
  }
  if (text === undefined) {
    const candidates = profiles.filter((p) => free(p) && isTextLike(p));
    const longest = candidates.reduce<Profile | undefined>(
      (best, p) => (!best || p.meanLength > best.meanLength ? p : best),
      undefined,
    );
    text = (findByName(candidates, TEXT_NAMES, () => true) ?? longest)?.name;
  }
  if (text === undefined) {
    throw new DataError('no-text-column', `No column holds text; columns are: ${ds.columns.join(', ')}.`);
  }
  taken.add(text);
  if (textPair) taken.add(textPair);
  if (label === undefined) label = guessLabel(profiles.filter(free))?.name;

  if (label && (label === text || label === textPair)) {
    throw new DataError('bad-option', `Column "${label}" cannot be both a text and the label.`);
  }
  if (textPair !== undefined && textPair === text) {
    throw new DataError('bad-option', `Column "${text}" cannot be both texts of a pair.`);
  }

  const choice: ColumnChoice = { text, labelKind: 'categorical' };
  if (textPair) choice.textPair = textPair;
  if (label) {
    choice.label = label;
    choice.labelKind = override.labelKind ?? inferLabelKind(sample.map((r) => r[label] ?? null));
  }
  return choice;
}
