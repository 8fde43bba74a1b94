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
import { parseDataset, type ParsedDataset } from './parse';
import { givenValidationSplit, splitTrainValidation, type DatasetSplit } from './split';

// The length report's limit, defined beside the encoder that packing (page-side too) shares it with.
export { FULL_ENCODING_LIMIT } from './encode';

export interface DataFiles {
  train: { fileName: string; text: string };
  validation?: { fileName: string; text: string };
}

export interface DataPlan {
  task: 'classify' | 'mlm';
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
  split: DatasetSplit;
  warnings: string[];
}

export function prepareData(files: DataFiles, plan: DataPlan, onProgress?: ProgressCallback): PreparedData {
  const train = inFile(files.train.fileName, () => parseDataset(files.train.text, files.train.fileName, onProgress));
  const validationFile = files.validation;
  const given = validationFile
    ? inFile(validationFile.fileName, () => parseDataset(validationFile.text, validationFile.fileName, onProgress))
    : undefined;
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

  const excluded = new Set(plan.excludeRows ?? []);
  const kept = train.rows.map((_, i) => i).filter((i) => !excluded.has(i));
  if (kept.length === 0) throw new DataError('too-few-rows', 'Every training row is excluded: nothing is left to train on.');
  const labels = plan.task === 'classify'
    ? inFile(files.train.fileName, () => buildLabelSpace(kept.map((i) => train.rows[i][columns.label!] ?? null), columns.labelKind))
    : undefined;

  let split: DatasetSplit;
  if (given) {
    split = { train: kept, validation: givenValidationSplit(train, given, columns).validation };
  } else {
    const strata = labels?.kind === 'categorical'
      ? kept.map((i) => labels.label2id[labelKey(train.rows[i][columns.label!] ?? null)!])
      : undefined;
    const local = splitTrainValidation(kept.length, { seed: plan.seed, validationFraction: plan.valSplit, strata });
    split = { train: local.train.map((k) => kept[k]), validation: local.validation.map((k) => kept[k]) };
  }
  return {
    train,
    validation: given ?? train,
    columns,
    labels,
    split,
    warnings: [...train.warnings, ...(given?.warnings ?? [])],
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
