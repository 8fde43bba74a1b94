import { describe, expect, it } from 'vitest';
import { fromVocabTxt } from './bertTokenizer';
import type { TokenizerConfigInput } from './config';
import { TokenizerError } from './errors';
import type { Encoding } from './types';

// Every expectation marked "HF" is what transformers 4.57 BertTokenizer (ids, tokens, decode) and
// BertTokenizerFast (offsets, word ids) return for this vocabulary.
const VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'world', '!', ',', '.', "'", '?', 'don', 't', 'the', 'a', 'b',
  'c', 'd', 'e', 'f', 'y', 'cafe', 'café', 'naive', 'naïve', 'ångström', 'angstrom', 'un', '##aff', '##able', 'play',
  '##ing', '東', '京', '中', '文', '行', 'タワー', '##に', 'x', '##x', 'i', 'Hello', '😀', 'is', 'good', 'movie', 'great',
];
const VOCAB_TXT = `${VOCAB.join('\n')}\n`;

const uncased = fromVocabTxt(VOCAB_TXT);
const cased = (config: TokenizerConfigInput = {}) => fromVocabTxt(VOCAB_TXT, { doLowerCase: false, ...config });

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();
}

/** Every ordinary token's offsets cut out its own text (modulo case and accents); [UNK] cuts out a whole word. */
function expectOffsetsCover(encoding: Encoding, text: string, pair = ''): void {
  encoding.tokens.forEach((token, i) => {
    const [start, end] = encoding.offsets[i];
    const sequenceId = encoding.sequenceIds[i];
    if (sequenceId === null) {
      expect([start, end]).toEqual([0, 0]);
      return;
    }
    const source = (sequenceId === 0 ? text : pair).slice(start, end);
    expect(end).toBeGreaterThan(start);
    if (token === '[UNK]') expect(source.trim()).toBe(source);
    else expect(fold(source)).toBe(fold(token.replace(/^##/, '')));
  });
}

describe('encode: HF BertTokenizer semantics', () => {
  it('splits punctuation and lower-cases (HF)', () => {
    const text = 'Hello, world!';
    const e = uncased.encode(text);
    expect(e.tokens).toEqual(['[CLS]', 'hello', ',', 'world', '!', '[SEP]']);
    expect(e.inputIds).toEqual([2, 5, 8, 6, 7, 3]);
    expect(e.offsets).toEqual([[0, 0], [0, 5], [5, 6], [7, 12], [12, 13], [0, 0]]);
    expect(e.wordIds).toEqual([null, 0, 1, 2, 3, null]);
    expect(e.tokenTypeIds).toEqual([0, 0, 0, 0, 0, 0]);
    expect(e.attentionMask).toEqual([1, 1, 1, 1, 1, 1]);
    expect(e.specialTokensMask).toEqual([1, 0, 0, 0, 0, 1]);
    expect(e.sequenceIds).toEqual([null, 0, 0, 0, 0, null]);
  });

  it('splits contractions at the apostrophe and maps unknown words to [UNK] (HF)', () => {
    const e = uncased.encode("Don't stop.");
    expect(e.tokens).toEqual(['[CLS]', 'don', "'", 't', '[UNK]', '.', '[SEP]']);
    expect(e.offsets).toEqual([[0, 0], [0, 3], [3, 4], [4, 5], [6, 10], [10, 11], [0, 0]]);
  });

  it('splits words greedily into ## pieces that share a word id (HF)', () => {
    const e = uncased.encode('UNaffable playing');
    expect(e.tokens).toEqual(['[CLS]', 'un', '##aff', '##able', 'play', '##ing', '[SEP]']);
    expect(e.offsets).toEqual([[0, 0], [0, 2], [2, 5], [5, 9], [10, 14], [14, 17], [0, 0]]);
    expect(e.wordIds).toEqual([null, 0, 0, 0, 1, 1, null]);
  });

  it('keeps case when do_lower_case is false (HF)', () => {
    expect(cased().encode('Hello hello').tokens).toEqual(['[CLS]', 'Hello', 'hello', '[SEP]']);
    expect(uncased.encode('Hello hello').tokens).toEqual(['[CLS]', 'hello', 'hello', '[SEP]']);
  });

  it.each([
    ['uncased: strips accents', {}, ['cafe', 'naive', 'angstrom']],
    ['cased: keeps accents', { doLowerCase: false }, ['café', 'naïve', '[UNK]']],
    ['cased with strip_accents', { doLowerCase: false, stripAccents: true }, ['cafe', 'naive', '[UNK]']],
    ['uncased without strip_accents', { doLowerCase: true, stripAccents: false }, ['café', 'naïve', 'ångström']],
  ] as const)('accents, %s (HF)', (_name, config, expected) => {
    const text = 'café naïve Ångström';
    const e = fromVocabTxt(VOCAB_TXT, config).encode(text);
    expect(e.tokens.slice(1, -1)).toEqual(expected);
    expect(e.offsets.slice(1, -1)).toEqual([[0, 4], [5, 10], [11, 19]]);
  });

  it('maps decomposed accents (e + U+0301) back over the base letter and its mark', () => {
    const text = 'Cafe\u0301 A\u030angstro\u0308m';
    const e = uncased.encode(text);
    expect(e.tokens).toEqual(['[CLS]', 'cafe', 'angstrom', '[SEP]']);
    expect(e.offsets).toEqual([[0, 0], [0, 5], [6, 16], [0, 0]]);
    expectOffsetsCover(e, text);
  });

  it('composes to NFC first, so a cased model finds precomposed vocabulary entries', () => {
    expect(cased().tokenize('cafe\u0301 nai\u0308ve')).toEqual(['café', 'naïve']);
  });

  it('splits kanji one per word and keeps kana runs together (HF)', () => {
    const text = '東京タワーに行きました';
    const e = uncased.encode(text);
    expect(e.tokens).toEqual(['[CLS]', '東', '京', 'タワー', '##に', '行', '[UNK]', '[SEP]']);
    expect(e.offsets).toEqual([[0, 0], [0, 1], [1, 2], [2, 5], [5, 6], [6, 7], [7, 11], [0, 0]]);
    expect(e.wordIds).toEqual([null, 0, 1, 2, 2, 3, 4, null]);
  });

  it('leaves CJK inside words when tokenize_chinese_chars is false (HF)', () => {
    const e = fromVocabTxt(VOCAB_TXT, { tokenizeChineseChars: false }).encode('東京タワーに行きました');
    expect(e.tokens).toEqual(['[CLS]', '[UNK]', '[SEP]']);
    expect(e.offsets[1]).toEqual([0, 11]);
  });

  it('splits Chinese per character; unknown ideographs are [UNK] (HF)', () => {
    const e = uncased.encode('中文很好');
    expect(e.tokens).toEqual(['[CLS]', '中', '文', '[UNK]', '[UNK]', '[SEP]']);
    expect(e.offsets.slice(1, -1)).toEqual([[0, 1], [1, 2], [2, 3], [3, 4]]);
  });

  it('keeps emoji in the vocabulary and maps others to [UNK], with UTF-16 offsets', () => {
    const text = 'I 😀 you 👍';
    const e = uncased.encode(text);
    expect(e.tokens).toEqual(['[CLS]', 'i', '😀', '[UNK]', '[UNK]', '[SEP]']);
    // JS strings index UTF-16 units: each emoji is two.
    expect(e.offsets.slice(1, -1)).toEqual([[0, 1], [2, 4], [5, 8], [9, 11]]);
    expectOffsetsCover(e, text);
  });

  it('drops control and format characters without splitting the word (HF)', () => {
    const text = 'hel\u0000lo\u200b wor\u0007ld\tx';
    const e = uncased.encode(text);
    expect(e.tokens).toEqual(['[CLS]', 'hello', 'world', 'x', '[SEP]']);
    expect(e.offsets.slice(1, -1)).toEqual([[0, 6], [8, 14], [15, 16]]);
  });

  it('drops lone surrogates and private-use characters, as HF drops every C* category', () => {
    expect(uncased.tokenize('hel\ud800lo \ue000world')).toEqual(['hello', 'world']);
  });

  it('turns words over 100 characters into one [UNK] (HF)', () => {
    const at100 = uncased.encode('x'.repeat(100));
    expect(at100.tokens).toEqual(['[CLS]', 'x', ...Array<string>(99).fill('##x'), '[SEP]']);
    const over = uncased.encode(`hello ${'x'.repeat(101)}`);
    expect(over.tokens).toEqual(['[CLS]', 'hello', '[UNK]', '[SEP]']);
    expect(over.offsets[2]).toEqual([6, 107]);
  });

  it('lower-cases one character at a time like HF: final sigma stays σ, İ strips to i (HF)', () => {
    const e = uncased.encode('ΟΔΟΣ İ');
    expect(e.tokens).toEqual(['[CLS]', '[UNK]', 'i', '[SEP]']);
    expect(fromVocabTxt(`${[...VOCAB, 'οδοσ'].join('\n')}\n`).tokenize('ΟΔΟΣ')).toEqual(['οδοσ']);
  });

  it('keeps special tokens written in the text whole, even without spaces around them (HF)', () => {
    const text = 'the[MASK]is [mask]';
    const e = uncased.encode(text);
    expect(e.tokens).toEqual(['[CLS]', 'the', '[MASK]', 'is', '[UNK]', '[UNK]', '[UNK]', '[SEP]']);
    expect(e.offsets).toEqual([[0, 0], [0, 3], [3, 9], [9, 11], [12, 13], [13, 17], [17, 18], [0, 0]]);
    expect(e.wordIds).toEqual([null, 0, 1, 2, 3, 4, 5, null]);
    expect(e.specialTokensMask).toEqual([1, 0, 1, 0, 0, 0, 0, 1]);
    expect(e.sequenceIds[2]).toBe(0);
  });

  it('gives offsets that cut out each token for a mixed text', () => {
    const text = '  Ünïcode\u00a0TEST:\u3000東京, naïve résumé 😀!  ';
    expectOffsetsCover(uncased.encode(text), text);
    expectOffsetsCover(cased().encode(text), text);
  });

  it('returns only [CLS] [SEP] for empty or blank text', () => {
    expect(uncased.encode('').tokens).toEqual(['[CLS]', '[SEP]']);
    expect(uncased.encode(' \t\n\u200b ').tokens).toEqual(['[CLS]', '[SEP]']);
  });
});

describe('encode: pairs, truncation, padding', () => {
  it('builds [CLS] a [SEP] b [SEP] with token types, sequence ids and per-sequence offsets', () => {
    const e = uncased.encode('hello world', 'the movie');
    expect(e.tokens).toEqual(['[CLS]', 'hello', 'world', '[SEP]', 'the', 'movie', '[SEP]']);
    expect(e.tokenTypeIds).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(e.sequenceIds).toEqual([null, 0, 0, null, 1, 1, null]);
    expect(e.wordIds).toEqual([null, 0, 1, null, 0, 1, null]);
    expect(e.offsets).toEqual([[0, 0], [0, 5], [6, 11], [0, 0], [0, 3], [4, 9], [0, 0]]);
    expect(e.specialTokensMask).toEqual([1, 0, 0, 1, 0, 0, 1]);
  });

  it('truncates longest_first: the longer sequence loses tokens first (HF)', () => {
    const e = uncased.encode('a b c d e f', 'x y', { maxLength: 8 });
    expect(e.tokens).toEqual(['[CLS]', 'a', 'b', 'c', '[SEP]', 'x', 'y', '[SEP]']);
    expect(e.tokenTypeIds).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
  });

  it('truncates longest_first from the pair first when both are as long (HF slow)', () => {
    expect(uncased.encode('a b c', 'd e f', { maxLength: 6 }).tokens).toEqual(['[CLS]', 'a', 'b', '[SEP]', 'd', '[SEP]']);
  });

  it('truncates a single text from the end, keeping word ids of the kept pieces', () => {
    const e = uncased.encode('UNaffable playing', undefined, { maxLength: 4 });
    expect(e.tokens).toEqual(['[CLS]', 'un', '##aff', '[SEP]']);
    expect(e.wordIds).toEqual([null, 0, 0, null]);
  });

  it('pads with [PAD] on the right to maxLength (HF)', () => {
    const e = uncased.encode('hello world', undefined, { maxLength: 6, padding: true });
    expect(e.tokens).toEqual(['[CLS]', 'hello', 'world', '[SEP]', '[PAD]', '[PAD]']);
    expect(e.inputIds).toEqual([2, 5, 6, 3, 0, 0]);
    expect(e.attentionMask).toEqual([1, 1, 1, 1, 0, 0]);
    expect(e.tokenTypeIds).toEqual([0, 0, 0, 0, 0, 0]);
    expect(e.specialTokensMask).toEqual([1, 0, 0, 1, 1, 1]);
    expect(e.sequenceIds).toEqual([null, 0, 0, null, null, null]);
    expect(e.wordIds).toEqual([null, 0, 1, null, null, null]);
    expect(e.offsets.slice(4)).toEqual([[0, 0], [0, 0]]);
  });

  it('pads to padTo when given, and not when padding is false', () => {
    expect(uncased.encode('hello', undefined, { padTo: 5 }).tokens).toEqual(['[CLS]', 'hello', '[SEP]', '[PAD]', '[PAD]']);
    expect(uncased.encode('hello', undefined, { maxLength: 8, padTo: 4, padding: true }).inputIds).toHaveLength(4);
    expect(uncased.encode('hello', undefined, { maxLength: 8, padding: false }).inputIds).toHaveLength(3);
  });

  it('never pads below the encoded length', () => {
    expect(uncased.encode('hello world', undefined, { padTo: 2 }).inputIds).toHaveLength(4);
  });

  it('rejects bad input and options with a TokenizerError', () => {
    const bad = (f: () => unknown) => expect(f).toThrow(TokenizerError);
    bad(() => uncased.encode(undefined as unknown as string));
    bad(() => uncased.encode(42 as unknown as string));
    bad(() => uncased.encode('a', null as unknown as string));
    bad(() => uncased.encode('a', undefined, { maxLength: 1 }));
    bad(() => uncased.encode('a', 'b', { maxLength: 2 }));
    bad(() => uncased.encode('a', undefined, { maxLength: 3.5 }));
    bad(() => uncased.encode('a', undefined, { padTo: -1 }));
    bad(() => uncased.encode('a', undefined, { padding: true }));
    expect(() => uncased.encode('a', undefined, { padding: true })).toThrow(/maxLength or padTo/);
  });
});

describe('decode and vocabulary access', () => {
  it('glues ## pieces and cleans up spaces before punctuation (HF)', () => {
    expect(uncased.decode(uncased.encode('Hello, world!').inputIds)).toBe('[CLS] hello, world! [SEP]');
    expect(uncased.decode(uncased.encode('Hello, world!').inputIds, true)).toBe('hello, world!');
    expect(uncased.decode(uncased.encode("Don't stop.").inputIds)).toBe("[CLS] don't [UNK]. [SEP]");
    expect(uncased.decode(uncased.encode('UNaffable playing').inputIds, true)).toBe('unaffable playing');
  });

  it('skips [UNK], [MASK] and [PAD] too when skipping special tokens (HF)', () => {
    expect(uncased.decode(uncased.encode('the [MASK] is good', undefined, { padTo: 9 }).inputIds, true)).toBe('the is good');
    expect(uncased.decode(uncased.encode("Don't stop.").inputIds, true)).toBe("don't.");
  });

  it('leaves spaces alone when clean_up_tokenization_spaces is false', () => {
    const raw = fromVocabTxt(VOCAB_TXT, { cleanUpTokenizationSpaces: false });
    expect(raw.decode(raw.encode('Hello, world!').inputIds, true)).toBe('hello , world !');
  });

  it('decodes out-of-range ids as [UNK] and rejects non-integer ids', () => {
    expect(uncased.decode([5, 999, -1])).toBe('hello [UNK] [UNK]');
    expect(() => uncased.decode([1.5])).toThrow(TokenizerError);
    expect(() => uncased.decode('5' as unknown as number[])).toThrow(TokenizerError);
  });

  it('maps tokens and ids both ways', () => {
    expect(uncased.tokenToId('hello')).toBe(5);
    expect(uncased.tokenToId('nope')).toBeUndefined();
    expect(uncased.idToToken(6)).toBe('world');
    expect(uncased.idToToken(VOCAB.length)).toBe('[UNK]');
    expect(uncased.vocabSize).toBe(VOCAB.length);
    expect(uncased.special).toEqual({ pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
  });
});

describe('configuration', () => {
  it('names a special token the vocabulary lacks', () => {
    const noMask = VOCAB.filter((t) => t !== '[MASK]').join('\n');
    expect(() => fromVocabTxt(noMask)).toThrow(/"\[MASK\]"/);
    try {
      fromVocabTxt(noMask);
    } catch (error) {
      expect((error as TokenizerError).code).toBe('missing-special-token');
    }
  });

  it('uses custom special token names', () => {
    const vocab = ['<pad>', '<unk>', '<cls>', '<sep>', '<mask>', 'hi'].join('\n');
    const t = fromVocabTxt(vocab, { special: { pad: '<pad>', unk: '<unk>', cls: '<cls>', sep: '<sep>', mask: '<mask>' } });
    expect(t.encode('hi there', undefined, { padTo: 5 }).tokens).toEqual(['<cls>', 'hi', '<unk>', '<sep>', '<pad>']);
    expect(t.tokenize('hi<mask>')).toEqual(['hi', '<mask>']);
  });

  it('keeps never_split words whole, looked up without WordPiece', () => {
    const vocab = `${[...VOCAB, '[ent]'].join('\n')}\n`;
    const t = fromVocabTxt(vocab, { neverSplit: ['[ent]', 'x-y'] });
    expect(t.tokenize('the [ENT] x-y')).toEqual(['the', '[ent]', '[UNK]']);
    expect(fromVocabTxt(vocab).tokenize('[ent]')).toEqual(['[UNK]', '[UNK]', '[UNK]']);
  });

  it('honours maxInputCharsPerWord and rejects a non-positive one', () => {
    expect(fromVocabTxt(VOCAB_TXT, { maxInputCharsPerWord: 3 }).tokenize('xxx xxxx')).toEqual(['x', '##x', '##x', '[UNK]']);
    expect(() => fromVocabTxt(VOCAB_TXT, { maxInputCharsPerWord: 0 })).toThrow(TokenizerError);
  });

  it('splits additional special tokens out of text and skips them when decoding', () => {
    const vocab = `${[...VOCAB, '<e>'].join('\n')}\n`;
    const t = fromVocabTxt(vocab, { additionalSpecialTokens: ['<e>'] });
    const e = t.encode('hello<e>world');
    expect(e.tokens).toEqual(['[CLS]', 'hello', '<e>', 'world', '[SEP]']);
    expect(e.specialTokensMask).toEqual([1, 0, 1, 0, 1]);
    expect(t.decode(e.inputIds, true)).toBe('hello world');
    expect(() => fromVocabTxt(VOCAB_TXT, { additionalSpecialTokens: ['<e>'] })).toThrow(/"<e>"/);
  });
});
