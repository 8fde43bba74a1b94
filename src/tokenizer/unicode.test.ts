import { describe, expect, it } from 'vitest';
import { CHINESE, JOINS, MN, PUNCT, REMOVED, SPACE, charClass, codePointAt, isChineseChar } from './unicode';

const classOf = (ch: string): number => charClass(ch.codePointAt(0) as number);

describe('charClass', () => {
  it.each([
    ['space', ' '], ['tab', '\t'], ['newline', '\n'], ['carriage return', '\r'], ['no-break space', '\u00a0'],
    ['ideographic space', '\u3000'], ['line separator (Python splits on it)', '\u2028'], ['paragraph separator', '\u2029'],
  ])('%s separates words', (_name, ch) => expect(classOf(ch)).toBe(SPACE));

  it.each([
    ['NUL', '\u0000'], ['bell', '\u0007'], ['vertical tab', '\u000b'], ['delete', '\u007f'], ['zero-width space (Cf)', '\u200b'],
    ['byte-order mark (Cf)', '\ufeff'], ['soft hyphen (Cf)', '\u00ad'], ['replacement char', '\ufffd'],
    ['private use (Co)', '\ue000'], ['lone surrogate (Cs)', '\ud800'], ['unassigned (Cn)', '\u0378'],
  ])('%s is removed', (_name, ch) => expect(classOf(ch)).toBe(REMOVED));

  it.each(['!', '$', '^', '`', '~', '¿', '«', '—', '。', '、'])('%s is punctuation', (ch) => expect(classOf(ch) & PUNCT).toBe(PUNCT));

  it.each(['a', 'Z', '0', 'é', 'か', 'カ', '한', '😀', 'ß'])('%s is an ordinary character', (ch) => {
    expect(classOf(ch) & (SPACE | REMOVED | PUNCT | CHINESE)).toBe(0);
  });

  it('marks CJK ideographs, not kana or hangul', () => {
    for (const ch of ['中', '㐀', '豈', '𠀀', '丽']) expect(classOf(ch) & CHINESE).toBe(CHINESE);
    for (const ch of ['か', 'カ', '한', 'ㄱ', '〇']) expect(classOf(ch) & CHINESE).toBe(0);
    expect(isChineseChar(0x4dc0)).toBe(false); // Yijing hexagrams sit between the CJK blocks.
  });

  it('marks nonspacing marks and characters that may compose with the one before', () => {
    expect(classOf('\u0301')).toBe(MN | JOINS);
    expect(classOf('\u0ccb') & JOINS).toBe(JOINS); // a spacing vowel sign (Mc): joins, not stripped
    expect(classOf('\u0ccb') & MN).toBe(0);
    expect(classOf('\u1161') & JOINS).toBe(JOINS); // Hangul medial vowel jamo
  });

  it('gives the same answer from the cache', () => {
    expect(classOf('\u00a0')).toBe(classOf('\u00a0'));
  });
});

describe('codePointAt', () => {
  it('reads surrogate pairs as one code point and lone surrogates as themselves', () => {
    expect(codePointAt('a😀', 1)).toBe(0x1f600);
    expect(codePointAt('\ud83d', 0)).toBe(0xd83d);
    expect(codePointAt('\ude00x', 0)).toBe(0xde00);
  });
});
