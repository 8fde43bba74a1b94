/** Helpers shared by the src/data tests (not used by app code). */
import { expect } from 'vitest';
import type { Encoding, EncodeOptions, SpecialTokens, Tokenizer } from '../tokenizer/types';
import { DataError, type DataErrorCode } from './errors';
import type { Rng } from './random';

/** Runs `fn`, asserts it throws a DataError with `code`, and returns it for further checks. */
export function expectDataError(fn: () => unknown, code: DataErrorCode): DataError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DataError);
  const error = caught as DataError;
  expect(error.code).toBe(code);
  return error;
}

interface Piece {
  token: string;
  word: number;
  offsets: [number, number];
}

/**
 * A tiny deterministic stand-in for the real WordPiece tokenizer: words split at whitespace, then into
 * 3-character pieces ("playing" → "pla", "##yin", "##g"). Ids are handed out on first sight after the 5
 * specials ([PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4); truncation is longest-first like the real one.
 */
export function fakeTokenizer(vocabSize = 1000): Tokenizer {
  const special: SpecialTokens = { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 };
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const ids = new Map(vocab.map((t, i) => [t, i]));
  const idOf = (token: string): number => {
    let id = ids.get(token);
    if (id === undefined) {
      id = vocab.length < vocabSize ? vocab.length : special.unk;
      if (id !== special.unk) {
        vocab.push(token);
        ids.set(token, id);
      }
    }
    return id;
  };
  const pieces = (text: string): Piece[] => {
    const out: Piece[] = [];
    let word = 0;
    for (const m of text.matchAll(/\S+/g)) {
      const start = m.index ?? 0;
      for (let i = 0; i < m[0].length; i += 3) {
        const body = m[0].slice(i, i + 3);
        out.push({ token: i === 0 ? body : `##${body}`, word, offsets: [start + i, start + i + body.length] });
      }
      word++;
    }
    return out;
  };

  function encode(text: string, pair?: string, options: EncodeOptions = {}): Encoding {
    const a = pieces(text);
    const b = pair === undefined ? undefined : pieces(pair);
    const specials = b ? 3 : 2;
    const limit = options.maxLength ?? Infinity;
    while (a.length + (b?.length ?? 0) + specials > limit && a.length + (b?.length ?? 0) > 0) {
      if (b && b.length > a.length) b.pop();
      else a.pop();
    }
    const enc: Encoding = {
      inputIds: [],
      tokenTypeIds: [],
      attentionMask: [],
      tokens: [],
      offsets: [],
      sequenceIds: [],
      wordIds: [],
      specialTokensMask: [],
    };
    const push = (token: string, type: number, seq: 0 | 1 | null, word: number | null, off: [number, number]) => {
      enc.inputIds.push(idOf(token));
      enc.tokenTypeIds.push(type);
      enc.attentionMask.push(token === '[PAD]' ? 0 : 1);
      enc.tokens.push(token);
      enc.offsets.push(off);
      enc.sequenceIds.push(seq);
      enc.wordIds.push(word);
      enc.specialTokensMask.push(seq === null ? 1 : 0);
    };
    push('[CLS]', 0, null, null, [0, 0]);
    for (const p of a) push(p.token, 0, 0, p.word, p.offsets);
    push('[SEP]', 0, null, null, [0, 0]);
    if (b) {
      for (const p of b) push(p.token, 1, 1, p.word, p.offsets);
      push('[SEP]', 1, null, null, [0, 0]);
    }
    const padTo = options.padding ? (options.padTo ?? options.maxLength ?? 0) : 0;
    while (enc.inputIds.length < padTo) push('[PAD]', 0, null, null, [0, 0]);
    return enc;
  }

  return {
    vocabSize,
    special,
    encode,
    idToToken: (id) => vocab[id] ?? '[UNK]',
    tokenToId: (token) => ids.get(token),
    decode: (tokenIds, skipSpecialTokens = false) =>
      tokenIds
        .filter((id) => !skipSpecialTokens || id > special.mask)
        .map((id) => vocab[id] ?? '[UNK]')
        .join(' ')
        .replace(/ ##/g, ''),
    tokenText: (token) => token,
    saveFiles: () => ({ files: { 'vocab.txt': `${vocab.join('\n')}\n` }, config: {}, specialTokens: {} }),
  };
}

/** A "sentence" of made-up lowercase words, so unrelated texts share almost no character 5-grams. */
export function randomText(rng: Rng, words: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return Array.from({ length: words }, () =>
    Array.from({ length: 3 + rng.int(6) }, () => letters[rng.int(26)]).join(''),
  ).join(' ');
}
