/**
 * From the user's files to model-ready examples: parse, pick columns, map labels, split, tokenize. Each stage
 * reports progress and throws DataError with a message meant for the user.
 */
import type { ProgressCallback } from '../progress';
import type { Tokenizer } from '../tokenizer/types';
import { detectColumns, type ColumnChoice, type ColumnOverride } from './columns';
import { encodeDataset, type EncodedDataset, type EncodedExample } from './encode';
import { DataError, inFile } from './errors';
import { buildLabelSpace, labelKey, type LabelSpace } from './labels';
import { documentIds, packExamples, packingEncodeLimit } from './packing';
import { formatFromFileName, parseDataset, type ParsedDataset } from './parse';
import { givenValidationSplit, splitTrainValidation, type DatasetSplit } from './split';
import { detectScheme, taggedSentence, tagLabels, type TagScheme } from './tagging';
import { encodeTagged } from './encodeTags';
import { DOC_STRIDE, encodeQa } from './encodeQa';

// The length report's limit, defined beside the encoder that packing (page-side too) shares it with.
export { FULL_ENCODING_LIMIT } from './encode';

export interface DataFiles {
  train: { fileName: string; text: string };
  validation?: { fileName: string; text: string };
}

export interface DataPlan {
  /** 'ner': token classification, a tag per word (tagging.ts); 'qa': question answering (qa.ts). */
  task: 'classify' | 'mlm' | 'ner' | 'qa';
  columns?: ColumnOverride;
  /** Treat a numeric label column as a regression target. */
  regression?: boolean;
  /** Source rows (of the training file) left out, e.g. those the quality report flagged. */
  excludeRows?: readonly number[];
  seed: number;
  valSplit: number;
}

/** Parsed and split, not yet tokenized: tokenization waits for the max length of the run. */
export interface PreparedData {
  train: ParsedDataset;
  validation: ParsedDataset;
  columns: ColumnChoice;
  labels?: LabelSpace;
  /** Token classification: the scheme of the training tags (`labels` then holds the tags). */
  tagScheme?: TagScheme;
  /** Question answering: rows are questions (qa.ts), encoded as windows of their context overlapping by this many tokens. */
  docStride?: number;
  split: DatasetSplit;
  warnings: string[];
}

/**
 * NER reads a `.txt` file as CoNLL (CoNLL-2003's own files are train.txt…), question answering a `.json` or `.jsonl`
 * file as SQuAD or squad-layout rows; other tasks by the extension.
 */
function parseFor(task: DataPlan['task'], file: { fileName: string; text: string }, onProgress?: ProgressCallback): ParsedDataset {
  const byName = formatFromFileName(file.fileName);
  const format = task === 'ner' && byName === 'txt' ? 'conll' : task === 'qa' && (byName === 'json' || byName === 'jsonl') ? 'squad' : undefined;
  return inFile(file.fileName, () => parseDataset(file.text, file.fileName, onProgress, { format }));
}

export function prepareData(files: DataFiles, plan: DataPlan, onProgress?: ProgressCallback): PreparedData {
  const train = parseFor(plan.task, files.train, onProgress);
  const given = files.validation ? parseFor(plan.task, files.validation, onProgress) : undefined;
  if (plan.task === 'ner') return prepareTagged(files, plan, train, given);
  if (plan.task === 'qa') return prepareQuestions(plan, train, given);
  const override: ColumnOverride = { ...plan.columns };
  if (plan.task === 'mlm') {
    override.label = null;
  } else if (plan.regression !== undefined) {
    override.labelKind = plan.regression ? 'numeric' : 'categorical';
  }
  const columns = detectColumns(train, override);
  if (plan.task === 'classify' && columns.label === undefined) {
    throw new DataError('missing-label', `Classification needs a label column; columns are: ${train.columns.join(', ')}.`);
  }

  const kept = keptRows(train, plan);
  const labels = plan.task === 'classify'
    ? inFile(files.train.fileName, () => buildLabelSpace(kept.map((i) => train.rows[i][columns.label!] ?? null), columns.labelKind))
    : undefined;
  const strata = labels?.kind === 'categorical'
    ? kept.map((i) => labels.label2id[labelKey(train.rows[i][columns.label!] ?? null)!])
    : undefined;
  return {
    train,
    validation: given ?? train,
    columns,
    labels,
    split: splitKept(kept, plan, train, given, columns, strata),
    warnings: [...train.warnings, ...(given?.warnings ?? [])],
  };
}

/** The training rows left once the excluded ones are taken out. */
function keptRows(train: ParsedDataset, plan: DataPlan): number[] {
  const excluded = new Set(plan.excludeRows ?? []);
  const kept = train.rows.map((_, i) => i).filter((i) => !excluded.has(i));
  if (kept.length === 0) throw new DataError('too-few-rows', 'Every training row is excluded: nothing is left to train on.');
  return kept;
}

/** Every kept row trains when a validation file is given; otherwise a seeded share of them validates (stratified when `strata`). */
function splitKept(
  kept: number[],
  plan: DataPlan,
  train: ParsedDataset,
  given: ParsedDataset | undefined,
  columns: ColumnChoice,
  strata?: number[],
): DatasetSplit {
  if (given) return { train: kept, validation: givenValidationSplit(train, given, columns).validation };
  const local = splitTrainValidation(kept.length, { seed: plan.seed, validationFraction: plan.valSplit, strata });
  return { train: local.train.map((k) => kept[k]), validation: local.validation.map((k) => kept[k]) };
}

/** Question answering: question rows (qa.ts), split at random; their answers are in the rows, not a label space. */
function prepareQuestions(plan: DataPlan, train: ParsedDataset, given: ParsedDataset | undefined): PreparedData {
  if (train.format !== 'squad') {
    throw new DataError('unsupported-format', 'Question answering reads SQuAD JSON or JSONL rows of question, context and answers (.json or .jsonl).');
  }
  const columns: ColumnChoice = { text: 'question', textPair: 'context', labelKind: 'categorical' };
  return {
    train,
    validation: given ?? train,
    columns,
    docStride: DOC_STRIDE,
    split: splitKept(keptRows(train, plan), plan, train, given, columns),
    warnings: [...train.warnings, ...(given?.warnings ?? [])],
  };
}

/** Token classification: sentence rows, their tags as the label space, split at random (tags do not stratify). */
function prepareTagged(files: DataFiles, plan: DataPlan, train: ParsedDataset, given: ParsedDataset | undefined): PreparedData {
  const kept = keptRows(train, plan);
  const sentences = inFile(files.train.fileName, () => kept.map((i) => taggedSentence(train.rows[i], i)));
  const id2label = tagLabels(sentences);
  const columns: ColumnChoice = { text: 'text', labelKind: 'categorical' };
  // Span files keep their entity lists as JSON text, as intended here: the parser's note about it is no news.
  const warnings = [...train.warnings, ...(given?.warnings ?? [])].filter((w) => !/^Field "(entities|spans)" holds/.test(w));
  return {
    train,
    validation: given ?? train,
    columns,
    labels: { kind: 'categorical', id2label, label2id: Object.fromEntries(id2label.map((label, i) => [label, i])) },
    tagScheme: detectScheme(id2label),
    split: splitKept(kept, plan, train, given, columns),
    warnings,
  };
}

export interface EncodedData {
  train: EncodedExample[];
  validation: EncodedExample[];
}

export interface EncodeRunOptions {
  maxLength: number;
  /** MLM without a text pair: pack rows into full sequences (see packing.ts). */
  pack?: boolean;
  /** Encodings of every row of `data.train` at FULL_ENCODING_LIMIT (from the length report), to reuse. */
  full?: EncodedDataset;
  onProgress?: ProgressCallback;
}

/** Labels and text pairs have no place in a packed sequence: only masked-LM text of one column is packed. */
function packable(data: PreparedData): boolean {
  return data.labels === undefined && data.columns.textPair === undefined;
}

export function encodePrepared(data: PreparedData, tokenizer: Tokenizer, options: EncodeRunOptions): EncodedData {
  const { maxLength, onProgress } = options;
  if (data.docStride !== undefined) {
    const { docStride } = data;
    return {
      train: encodeQa(data.train, tokenizer, { maxLength, docStride, rows: data.split.train, onProgress }),
      validation: encodeQa(data.validation, tokenizer, { maxLength, docStride, rows: data.split.validation, where: 'validation', onProgress }),
    };
  }
  if (data.tagScheme && data.labels?.kind === 'categorical') {
    const { id2label } = data.labels;
    return {
      train: encodeTagged(data.train, tokenizer, { maxLength, id2label, rows: data.split.train, onProgress }),
      validation: encodeTagged(data.validation, tokenizer, { maxLength, id2label, rows: data.split.validation, where: 'validation', onProgress }),
    };
  }
  const pack = options.pack === true && packable(data);
  const encode = (dataset: ParsedDataset, rows: readonly number[], where: string): EncodedExample[] => {
    const reuse = dataset === data.train ? options.full : undefined;
    const limit = pack ? packingEncodeLimit(maxLength) : maxLength;
    const encoded = encodeDataset(dataset, tokenizer, { columns: data.columns, maxLength: limit, labels: data.labels, rows, where, reuse, onProgress });
    if (!pack) return encoded.examples;
    return packExamples(encoded.examples, documentIds(dataset.rows.length, dataset.documents), maxLength, tokenizer.special);
  };
  return {
    train: encode(data.train, data.split.train, 'training'),
    validation: encode(data.validation, data.split.validation, 'validation'),
  };
}

/** What the page needs to count a packed run's examples at any max length (see countPackedSequences). */
export interface PackingShape {
  /** Untruncated token length of each training row, in row order, as the length report measures it. */
  lengths: number[];
  /** Document of each training row. */
  documents: number[];
}

/** The training rows' PackingShape, from the length report's `fullLengths` (index = row); undefined when never packed. */
export function packingShape(data: PreparedData, fullLengths: ArrayLike<number>): PackingShape | undefined {
  if (!packable(data)) return undefined;
  const documents = documentIds(data.train.rows.length, data.train.documents);
  return {
    lengths: data.split.train.map((row) => fullLengths[row]),
    documents: data.split.train.map((row) => documents[row]),
  };
}

/** A validation row as the user wrote it: the text, and the pair after " [SEP] " when there is one. */
export function rowText({ validation, columns }: Pick<PreparedData, 'validation' | 'columns'>): (row: number) => string {
  return (row) => {
    const cells = validation.rows[row];
    if (!cells) throw new Error(`validation row ${row} does not exist`);
    const text = String(cells[columns.text] ?? '');
    const pair = columns.textPair === undefined ? null : cells[columns.textPair];
    return pair === null || pair === undefined ? text : `${text} [SEP] ${pair}`;
  };
}
