/**
 * Questions → windows for extractive question answering, as Hugging Face's run_qa prepares them: the question
 * first and the context second, only the context cut, into windows of at most maxLength tokens that overlap by
 * `docStride` tokens. A window's targets are the token positions of the answer's first and last character (from
 * the tokenizer's offsets and sequence ids), or the [CLS] position when the answer is not wholly inside it.
 */
import type { ProgressCallback } from '../progress';
import type { Tokenizer } from '../tokenizer/types';
import { encodeText, type EncodedExample } from './encode';
import { DataError, rowLabel } from './errors';
import type { Row } from './parse';
import { qaItem, type QaItem } from './qa';

/** run_qa's default overlap between windows, in tokens; at most half a window's context is used (see windowStride). */
export const DOC_STRIDE = 128;

export interface EncodeQaOptions {
  maxLength: number;
  rows: readonly number[];
  /** Tokens consecutive windows share (default DOC_STRIDE). */
  docStride?: number;
  /** Names the data in messages, e.g. "validation". */
  where?: string;
  onProgress?: ProgressCallback;
}

/** The overlap actually used: `docStride`, but at most half the context a window holds, so windows always advance. */
export function windowStride(docStride: number, room: number): number {
  return Math.max(0, Math.min(docStride, Math.floor(room / 2)));
}

/** The token positions of the answer [start, end) in context characters, or null when the window does not hold it all. */
export function answerTokens(offsets: Int32Array, start: number, end: number): [number, number] | null {
  let first = -1;
  let last = -1;
  let from = Infinity;
  let to = -Infinity;
  for (let t = 0; t < offsets.length / 2; t++) {
    const [s, e] = [offsets[2 * t], offsets[2 * t + 1]];
    if (s < 0) continue;
    from = Math.min(from, s);
    to = Math.max(to, e);
    if (s <= start) first = t;
    if (e >= end && last < 0) last = t;
  }
  if (from > start || to < end || first < 0 || last < first) return null;
  return [first, last];
}

/** One question's windows, each an example of `index` with its QaWindow. */
export function questionWindows(tokenizer: Tokenizer, item: QaItem, index: number, maxLength: number, docStride = DOC_STRIDE, where = 'training'): EncodedExample[] {
  const { example: full, encoding } = encodeText(tokenizer, item.question, item.context, Number.MAX_SAFE_INTEGER, index);
  const context = encoding.sequenceIds.flatMap((id, t) => (id === 1 ? [t] : []));
  if (context.length === 0) throw new DataError('malformed', `The ${where} data's ${rowLabel(index)} has an empty context.`, { row: index });
  const [c0, c1] = [context[0], context[context.length - 1] + 1];
  const n = full.inputIds.length;
  const room = maxLength - c0 - (n - c1);
  if (room < 1) {
    throw new DataError(
      'bad-option',
      `The ${where} data's ${rowLabel(index)} has a question of ${c0 + n - c1} tokens with its specials, leaving no room for the context within ${maxLength} tokens: raise the max length or shorten the question.`,
      { row: index },
    );
  }
  const stride = windowStride(docStride, room);
  const cls = Math.max(0, encoding.inputIds.indexOf(tokenizer.special.cls));
  const answer = item.answers[0];
  const windows: EncodedExample[] = [];
  for (let s = c0; ; ) {
    const e = Math.min(s + room, c1);
    const positions = [...range(0, c0), ...range(s, e), ...range(c1, n)];
    const offsets = new Int32Array(positions.length * 2).fill(-1);
    positions.forEach((p, t) => {
      if (encoding.sequenceIds[p] !== 1) return;
      [offsets[2 * t], offsets[2 * t + 1]] = encoding.offsets[p];
    });
    const span = answer ? answerTokens(offsets, answer.start, answer.start + answer.text.length) : null;
    windows.push({
      inputIds: Int32Array.from(positions, (p) => full.inputIds[p]),
      tokenTypeIds: Int32Array.from(positions, (p) => full.tokenTypeIds[p]),
      wordIds: Int32Array.from(positions, (p) => full.wordIds[p]),
      specialMask: Uint8Array.from(positions, (p) => full.specialMask[p]),
      qa: { startPosition: span?.[0] ?? cls, endPosition: span?.[1] ?? cls, offsets, item },
      index,
    });
    if (e === c1) break;
    s = e - stride;
  }
  return windows;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** The rows' questions as windows, in row order (a long context gives several). */
export function encodeQa(dataset: { rows: readonly Row[] }, tokenizer: Tokenizer, options: EncodeQaOptions): EncodedExample[] {
  const { maxLength, rows, docStride, where = 'training', onProgress } = options;
  return rows.flatMap((index, k) => {
    const windows = questionWindows(tokenizer, qaItem(dataset.rows[index], index), index, maxLength, docStride, where);
    if ((k + 1) % 1000 === 0 || k + 1 === rows.length) onProgress?.({ stage: 'tokenize', loaded: k + 1, total: rows.length });
    return windows;
  });
}
