import type { Vocab } from './vocab';

/** One piece of a word: its vocabulary id and the UTF-16 range [from, to) of the word it covers. */
export interface Piece {
  id: number;
  from: number;
  to: number;
}

export interface WordPieceOptions {
  unkId: number;
  /** Marks a piece that continues a word, "##" for BERT. */
  prefix: string;
  /** Longer words (in code points) become one [UNK]. */
  maxInputCharsPerWord: number;
}

/** Bounds the word → pieces cache so that tokenizing a huge corpus cannot grow memory without limit. */
const MAX_CACHED_WORDS = 200_000;

/**
 * Greedy longest-match-first WordPiece, as HF's `WordpieceTokenizer`: pieces after the first carry the
 * prefix; a word with any part that matches nothing becomes a single [UNK] spanning the whole word.
 * Works on code points, never splitting a surrogate pair.
 */
export class WordPiece {
  private readonly vocab: Vocab;
  private readonly options: WordPieceOptions;
  private readonly cache = new Map<string, readonly Piece[]>();

  constructor(vocab: Vocab, options: WordPieceOptions) {
    this.vocab = vocab;
    this.options = options;
  }

  tokenize(word: string): readonly Piece[] {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const pieces = this.split(word);
    if (this.cache.size >= MAX_CACHED_WORDS) this.cache.clear();
    this.cache.set(word, pieces);
    return pieces;
  }

  private split(word: string): readonly Piece[] {
    const unknown: readonly Piece[] = [{ id: this.options.unkId, from: 0, to: word.length }];
    // bounds[k] is the UTF-16 index where code point k starts; the last entry is word.length.
    const bounds: number[] = [];
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff && i > 0 && bounds[bounds.length - 1] === i - 1) {
        const h = word.charCodeAt(i - 1);
        if (h >= 0xd800 && h <= 0xdbff) continue;
      }
      bounds.push(i);
    }
    const n = bounds.length;
    bounds.push(word.length);
    if (n > this.options.maxInputCharsPerWord) return unknown;

    const pieces: Piece[] = [];
    const longest = this.vocab.maxTokenLength;
    let start = 0;
    while (start < n) {
      const prefix = start > 0 ? this.options.prefix : '';
      let end = n;
      // Substrings longer than any vocabulary token cannot match: skip them (same result as HF, faster).
      while (end > start && bounds[end] - bounds[start] + prefix.length > longest) end--;
      let id: number | undefined;
      while (end > start) {
        id = this.vocab.id(prefix + word.slice(bounds[start], bounds[end]));
        if (id !== undefined) break;
        end--;
      }
      if (id === undefined) return unknown;
      pieces.push({ id, from: bounds[start], to: bounds[end] });
      start = end;
    }
    return pieces;
  }
}
