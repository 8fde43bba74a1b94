/**
 * Tagged sentences → examples for token classification, as Hugging Face's run_ner aligns them: a word's tag goes
 * to its first WordPiece token; its other tokens and the specials get IGNORE_INDEX, so the loss and the entity
 * metrics see one prediction per word. Words are found by character offsets, so a word the tokenizer splits at
 * punctuation ("U.S.") still has one tag.
 */
import type { ProgressCallback } from '../progress';
import type { Encoding, Tokenizer } from '../tokenizer/types';
import { encodeText, type EncodedExample } from './encode';
import { DataError, rowLabel } from './errors';
import { IGNORE_INDEX } from './masking';
import type { Row } from './parse';
import { taggedSentence, type TaggedSentence } from './tagging';

/** Where each word starts in its words joined by single spaces, with that text. */
export function joinWords(words: readonly string[]): { text: string; starts: number[] } {
  const starts: number[] = [];
  let at = 0;
  for (const word of words) {
    starts.push(at);
    at += word.length + 1;
  }
  return { text: words.join(' '), starts };
}

/**
 * [tokens] tag ids: the tag of the word a token starts in, on the first token of each word; IGNORE_INDEX on the
 * rest and on specials (null sequence id). `starts` ascending, as joinWords gives them.
 */
export function alignTags(encoding: Pick<Encoding, 'offsets' | 'sequenceIds'>, starts: readonly number[], tagIds: readonly number[]): Int32Array {
  const out = new Int32Array(encoding.offsets.length).fill(IGNORE_INDEX);
  let word = 0;
  let labelled = -1;
  encoding.offsets.forEach(([start], t) => {
    if (encoding.sequenceIds[t] === null) return;
    while (word + 1 < starts.length && starts[word + 1] <= start) word++;
    if (word === labelled) return;
    out[t] = tagIds[word];
    labelled = word;
  });
  return out;
}

export interface EncodeTaggedOptions {
  maxLength: number;
  /** The training tags, in id order. */
  id2label: readonly string[];
  rows: readonly number[];
  /** Names the data in messages, e.g. "validation". */
  where?: string;
  onProgress?: ProgressCallback;
}

function tagIds(sentence: TaggedSentence, label2id: ReadonlyMap<string, number>, row: number, where: string): number[] {
  return sentence.tags.map((tag) => {
    const id = label2id.get(tag);
    if (id === undefined) {
      throw new DataError('unknown-label', `The ${where} data has tag "${tag}" in ${rowLabel(row)}, which the training data does not have.`, { row });
    }
    return id;
  });
}

/** The rows' sentences encoded with their tags (truncated to maxLength tokens, the words past it unscored). */
export function encodeTagged(dataset: { rows: readonly Row[] }, tokenizer: Tokenizer, options: EncodeTaggedOptions): EncodedExample[] {
  const { maxLength, rows, where = 'training', onProgress } = options;
  const label2id = new Map(options.id2label.map((label, i) => [label, i]));
  return rows.map((index, k) => {
    const sentence = taggedSentence(dataset.rows[index], index);
    const { text, starts } = joinWords(sentence.words);
    const { example, encoding } = encodeText(tokenizer, text, undefined, maxLength, index);
    example.tokenLabels = alignTags(encoding, starts, tagIds(sentence, label2id, index, where));
    if ((k + 1) % 1000 === 0 || k + 1 === rows.length) onProgress?.({ stage: 'tokenize', loaded: k + 1, total: rows.length });
    return example;
  });
}
