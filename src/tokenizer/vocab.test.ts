import { describe, expect, it } from 'vitest';
import { TokenizerError } from './errors';
import { Vocab, parseVocabTxt } from './vocab';

describe('parseVocabTxt', () => {
  it('reads one token per line with LF, CRLF or CR ends', () => {
    expect(parseVocabTxt('[PAD]\n[UNK]\nhello\n')).toEqual(['[PAD]', '[UNK]', 'hello']);
    expect(parseVocabTxt('[PAD]\r\n[UNK]\r\nhello\r\n')).toEqual(['[PAD]', '[UNK]', 'hello']);
    expect(parseVocabTxt('[PAD]\r[UNK]')).toEqual(['[PAD]', '[UNK]']);
  });

  it('drops a byte-order mark and trailing blank lines, but keeps blank lines inside (ids stay right)', () => {
    expect(parseVocabTxt('\uFEFFa\n\nb\n\n\n')).toEqual(['a', '', 'b']);
  });

  it('keeps spaces that are part of a token', () => {
    expect(parseVocabTxt(' a\nb \n')).toEqual([' a', 'b ']);
  });

  it.each([
    ['empty', ''],
    ['blank', '\n\n'],
    ['binary', 'a\0b\n'],
    ['not text', 42 as unknown as string],
  ])('rejects %s input with a TokenizerError', (_name, input) => {
    expect(() => parseVocabTxt(input)).toThrow(TokenizerError);
  });
});

describe('Vocab', () => {
  it('maps tokens to line indices; a repeated token keeps its last id as in HF', () => {
    const vocab = Vocab.fromTokens(['a', 'b', 'a']);
    expect(vocab.id('a')).toBe(2);
    expect(vocab.token(0)).toBe('a');
    expect(vocab.size).toBe(3);
    expect(vocab.token(3)).toBeUndefined();
    expect(vocab.token(-1)).toBeUndefined();
    expect(vocab.token(0.5)).toBeUndefined();
  });

  it('builds from a token → id object, sized by the largest id', () => {
    const vocab = Vocab.fromIds({ a: 0, b: 4 });
    expect(vocab.size).toBe(5);
    expect(vocab.token(4)).toBe('b');
    expect(vocab.token(2)).toBeUndefined();
    expect(vocab.maxTokenLength).toBe(1);
  });

  it.each([
    ['a negative id', { a: -1 }, /id -1/],
    ['a fractional id', { a: 1.5 }, /id 1.5/],
    ['a string id', { a: '1' }, /id "1"/],
    ['an id given twice', { a: 0, b: 0 }, /id 0 is given to both "a" and "b"/],
    ['no tokens', {}, /empty/],
  ])('rejects %s', (_name, ids, message) => {
    expect(() => Vocab.fromIds(ids)).toThrow(message);
  });
});
