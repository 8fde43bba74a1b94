/**
 * The split as plain records, to be written out as JSONL (the scale-out recipe's data/): every training and
 * validation row of a run, in the order the run reads them, with the text as the tokenizer reads it and the label
 * as the run trains on it (class id or regression target). Masked-LM records carry their document, within which
 * packing joins consecutive rows.
 */
import { cellText } from './encode';
import { encodeLabel } from './labels';
import { documentIds } from './packing';
import type { ParsedDataset } from './parse';
import type { PreparedData } from './prepare';

export interface SplitRecord {
  /** The row in its file (the training file, or the validation file when one was given), from 0. */
  row: number;
  text: string;
  /** Present when a pair column is picked. */
  text_pair?: string;
  /** Classification and regression. */
  label?: number;
  /** Masked-LM. */
  document?: number;
}

export function splitRecords(data: PreparedData): { train: SplitRecord[]; validation: SplitRecord[] } {
  const { columns, labels } = data;
  const records = (dataset: ParsedDataset, rows: readonly number[], where: string): SplitRecord[] => {
    const documents = labels ? undefined : documentIds(dataset.rows.length, dataset.documents);
    return rows.map((row) => {
      const cells = dataset.rows[row];
      const record: SplitRecord = { row, text: cellText(cells[columns.text]) };
      if (columns.textPair !== undefined) record.text_pair = cellText(cells[columns.textPair]);
      if (labels && columns.label !== undefined) record.label = encodeLabel(cells[columns.label] ?? null, labels, row, where);
      if (documents) record.document = documents[row];
      return record;
    });
  };
  return { train: records(data.train, data.split.train, 'training'), validation: records(data.validation, data.split.validation, 'validation') };
}

