/**
 * Packs masked-LM text into full sequences, as BERT's own pretraining data is built: consecutive rows of one
 * document are joined into `[CLS] … [SEP]` sequences of up to maxLength tokens, and a row too long for one
 * sequence continues in the next instead of losing its tail to truncation. Fewer, fuller sequences mean less
 * padding per step and more context per masked token.
 */
import type { SpecialTokens } from '../tokenizer/types';
import type { EncodedExample } from './encode';

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

/** A sequence being filled: content tokens only, [CLS] and [SEP] are added when it is closed. */
interface OpenSequence {
  ids: number[];
  wordIds: number[];
  specialMask: number[];
  /** Source row of the sequence's first token. */
  index: number;
  /** (row, word) of the last token, to number words afresh: tokens of one word are contiguous. */
  lastRow: number;
  lastWord: number;
  words: number;
}

/**
 * `examples` are single-text encodings (`[CLS] text [SEP]`, untruncated or truncated at a generous limit), in
 * row order; `documentOf[example.index]` says which document each belongs to. A row that fits in the open
 * sequence joins it; one that does not starts a new sequence, and a row longer than a whole sequence is cut
 * into pieces. Word ids are renumbered per sequence (whole-word masking never joins words of two rows);
 * token type ids are all 0 (one segment).
 */
export function packExamples(
  examples: readonly EncodedExample[],
  documentOf: ArrayLike<number>,
  maxLength: number,
  special: Pick<SpecialTokens, 'cls' | 'sep'>,
): EncodedExample[] {
  if (!Number.isInteger(maxLength) || maxLength < 3) throw new Error(`Packing needs a max length ≥ 3, got ${maxLength}.`);
  const budget = maxLength - 2;
  const packed: EncodedExample[] = [];
  let open: OpenSequence | null = null;
  let openDocument = -1;
  const close = () => {
    if (open) packed.push(assemble(open, special));
    open = null;
  };

  for (const example of examples) {
    const n = example.inputIds.length - 2;
    if (n <= 0) continue;
    const document = documentOf[example.index];
    if (open !== null && (document !== openDocument || open.ids.length + n > budget)) close();
    openDocument = document;
    for (let t = 1; t <= n; t++) {
      if (open !== null && open.ids.length === budget) close();
      open ??= { ids: [], wordIds: [], specialMask: [], index: example.index, lastRow: -1, lastWord: -1, words: 0 };
      const word = example.wordIds[t];
      if (word >= 0 && (word !== open.lastWord || example.index !== open.lastRow)) open.words++;
      open.ids.push(example.inputIds[t]);
      open.specialMask.push(example.specialMask[t]);
      open.wordIds.push(word < 0 ? -1 : open.words - 1);
      open.lastRow = example.index;
      open.lastWord = word;
    }
  }
  close();
  return packed;
}

function assemble(open: OpenSequence, special: Pick<SpecialTokens, 'cls' | 'sep'>): EncodedExample {
  const n = open.ids.length + 2;
  const inputIds = new Int32Array(n);
  inputIds[0] = special.cls;
  inputIds.set(open.ids, 1);
  inputIds[n - 1] = special.sep;
  const wordIds = new Int32Array(n).fill(-1);
  wordIds.set(open.wordIds, 1);
  const specialMask = new Uint8Array(n);
  specialMask.set(open.specialMask, 1);
  specialMask[0] = 1;
  specialMask[n - 1] = 1;
  return { inputIds, tokenTypeIds: new Int32Array(n), wordIds, specialMask, index: open.index };
}
