/**
 * Packs masked-LM text into full sequences, as BERT's own pretraining data is built: consecutive rows of one
 * document are joined into `[CLS] … [SEP]` sequences of up to maxLength tokens, and a row too long for one
 * sequence continues in the next instead of losing its tail to truncation. Fewer, fuller sequences mean less
 * padding per step and more context per masked token.
 */
import type { SpecialTokens } from '../tokenizer/types';
import { FULL_ENCODING_LIMIT, type EncodedExample } from './encode';

/**
 * Document id of every row: a TXT file's blank-line-separated blocks, else one document per row (rows of a
 * table are independent texts, so they are never joined).
 */
export function documentIds(rowCount: number, documents?: readonly (readonly string[])[]): Int32Array {
  const ids = new Int32Array(rowCount);
  if (!documents) return ids.map((_, row) => row);
  let row = 0;
  documents.forEach((lines, doc) => {
    for (let k = 0; k < lines.length && row < rowCount; k++) ids[row++] = doc;
  });
  if (row !== rowCount) throw new Error(`The documents cover ${row} lines, the dataset has ${rowCount} rows.`);
  return ids;
}

/** Content tokens [start, end) of one row (its tokens between [CLS] and [SEP]) placed in a packed sequence. */
export interface PackedPiece {
  /** Position of the row among the rows packed. */
  row: number;
  start: number;
  end: number;
}

/**
 * The packing rule, on lengths alone: row k has `contentLengths[k]` tokens besides [CLS] and [SEP] and belongs
 * to `documents[k]`. A row that fits in the open sequence joins it; one that does not starts a new sequence,
 * and a row longer than a whole sequence is cut into pieces; empty rows are skipped. Returns each sequence's
 * pieces. packExamples builds its sequences from this plan and the step estimate counts it, so they agree.
 */
export function planPacking(contentLengths: ArrayLike<number>, documents: ArrayLike<number>, maxLength: number): PackedPiece[][] {
  if (!Number.isInteger(maxLength) || maxLength < 3) throw new Error(`Packing needs a max length ≥ 3, got ${maxLength}.`);
  const budget = maxLength - 2;
  const sequences: PackedPiece[][] = [];
  let open: PackedPiece[] = [];
  let used = 0;
  let openDocument = -1;
  const close = () => {
    if (open.length > 0) sequences.push(open);
    open = [];
    used = 0;
  };
  for (let row = 0; row < contentLengths.length; row++) {
    const n = contentLengths[row];
    if (n <= 0) continue;
    if (used > 0 && (documents[row] !== openDocument || used + n > budget)) close();
    openDocument = documents[row];
    for (let start = 0; start < n; ) {
      if (used === budget) close();
      const end = Math.min(n, start + budget - used);
      open.push({ row, start, end });
      used += end - start;
      start = end;
    }
  }
  close();
  return sequences;
}

/**
 * Tokens a row is encoded at before packing: the length report's limit, so its encodings are reused, or
 * maxLength when longer. A row longer than one sequence thus continues in the next instead of being truncated.
 */
export function packingEncodeLimit(maxLength: number): number {
  return Math.max(maxLength, FULL_ENCODING_LIMIT);
}

/**
 * How many sequences packExamples makes at `maxLength` of rows with these untruncated token lengths ([CLS] and
 * [SEP] included, as the length report measures them) and documents: the number of examples a packed run
 * trains on, known before the run without tokenizing again.
 */
export function countPackedSequences(fullLengths: ArrayLike<number>, documents: ArrayLike<number>, maxLength: number): number {
  const limit = packingEncodeLimit(maxLength);
  return planPacking(Array.from(fullLengths, (length) => Math.min(length, limit) - 2), documents, maxLength).length;
}

/**
 * `examples` are single-text encodings (`[CLS] text [SEP]`, at packingEncodeLimit), in row order;
 * `documentOf[example.index]` says which document each belongs to. They are packed by planPacking's rule.
 * Word ids are renumbered per sequence (whole-word masking never joins words of two rows); token type ids are
 * all 0 (one segment).
 */
export function packExamples(
  examples: readonly EncodedExample[],
  documentOf: ArrayLike<number>,
  maxLength: number,
  special: Pick<SpecialTokens, 'cls' | 'sep'>,
): EncodedExample[] {
  const contentLengths = examples.map((example) => example.inputIds.length - 2);
  const documents = examples.map((example) => documentOf[example.index]);
  return planPacking(contentLengths, documents, maxLength).map((pieces) => assemble(examples, pieces, special));
}

function assemble(examples: readonly EncodedExample[], pieces: readonly PackedPiece[], special: Pick<SpecialTokens, 'cls' | 'sep'>): EncodedExample {
  const n = pieces.reduce((sum, piece) => sum + piece.end - piece.start, 2);
  const inputIds = new Int32Array(n);
  const wordIds = new Int32Array(n).fill(-1);
  const specialMask = new Uint8Array(n);
  inputIds[0] = special.cls;
  specialMask[0] = 1;
  let t = 1;
  // Words are numbered afresh: tokens of one word are contiguous, so a new (row, word) is a new word.
  let words = 0;
  let lastRow = -1;
  let lastWord = -1;
  for (const { row, start, end } of pieces) {
    const example = examples[row];
    // +1: past the row's own [CLS].
    for (let k = start + 1; k <= end; k++, t++) {
      const word = example.wordIds[k];
      if (word >= 0 && (word !== lastWord || row !== lastRow)) words++;
      inputIds[t] = example.inputIds[k];
      specialMask[t] = example.specialMask[k];
      if (word >= 0) wordIds[t] = words - 1;
      lastRow = row;
      lastWord = word;
    }
  }
  inputIds[n - 1] = special.sep;
  specialMask[n - 1] = 1;
  return { inputIds, tokenTypeIds: new Int32Array(n), wordIds, specialMask, index: examples[pieces[0].row].index };
}
