import { describe, expect, it } from 'vitest';
import { Vocab } from './vocab';
import { WordPiece } from './wordpiece';

const vocab = Vocab.fromTokens(['[UNK]', 'un', '##aff', '##able', '##a', '😀', '##😀', 'x', '##x', 'play', '##ing', 'playing']);
const wordPiece = (maxInputCharsPerWord = 100) => new WordPiece(vocab, { unkId: 0, prefix: '##', maxInputCharsPerWord });

/** [token, the part of the word it covers] per piece. */
const pieces = (word: string, wp = wordPiece()) => wp.tokenize(word).map((p) => [vocab.token(p.id), word.slice(p.from, p.to)]);

describe('WordPiece', () => {
  it('splits into a first piece and ## continuations', () => {
    expect(pieces('unaffable')).toEqual([['un', 'un'], ['##aff', 'aff'], ['##able', 'able']]);
  });

  it('takes the longest match first', () => {
    expect(pieces('playing')).toEqual([['playing', 'playing']]);
    expect(pieces('playinging')).toEqual([['playing', 'playing'], ['##ing', 'ing']]);
  });

  it('does not backtrack: a greedy dead end makes the whole word [UNK]', () => {
    const withUna = Vocab.fromTokens(['[UNK]', 'un', 'una', '##aff', '##ff', '##able']);
    const wp = new WordPiece(withUna, { unkId: 0, prefix: '##', maxInputCharsPerWord: 100 });
    // "una" matches first, then "##ffable" → "##ff" → "##able" works here...
    expect(wp.tokenize('unaffable').map((p) => withUna.token(p.id))).toEqual(['una', '##ff', '##able']);
    // ...but with no "##ff", "una" leaves "ffable", which nothing matches, though un ##aff ##able would have.
    const deadEnd = Vocab.fromTokens(['[UNK]', 'un', 'una', '##aff', '##able']);
    const wp2 = new WordPiece(deadEnd, { unkId: 0, prefix: '##', maxInputCharsPerWord: 100 });
    expect(wp2.tokenize('unaffable')).toEqual([{ id: 0, from: 0, to: 9 }]);
  });

  it('turns a word with any unmatched part into one [UNK] spanning the word', () => {
    expect(wordPiece().tokenize('unaffablez')).toEqual([{ id: 0, from: 0, to: 10 }]);
  });

  it('turns words longer than maxInputCharsPerWord (in code points) into [UNK]', () => {
    expect(pieces('xxx', wordPiece(3))).toEqual([['x', 'x'], ['##x', 'x'], ['##x', 'x']]);
    expect(pieces('xxxx', wordPiece(3))).toEqual([['[UNK]', 'xxxx']]);
    // Three emoji are six UTF-16 units but three characters.
    expect(pieces('😀😀😀', wordPiece(3))).toEqual([['😀', '😀'], ['##😀', '😀'], ['##😀', '😀']]);
  });

  it('never splits a surrogate pair', () => {
    expect(wordPiece().tokenize('x😀')).toEqual([{ id: 7, from: 0, to: 1 }, { id: 6, from: 1, to: 3 }]);
    expect(wordPiece().tokenize('x\ud83d')).toEqual([{ id: 0, from: 0, to: 2 }]);
  });

  it('returns the cached pieces for a repeated word', () => {
    const wp = wordPiece();
    expect(wp.tokenize('unaffable')).toBe(wp.tokenize('unaffable'));
  });
});
