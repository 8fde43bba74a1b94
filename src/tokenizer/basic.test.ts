import { describe, expect, it } from 'vitest';
import { type BasicOptions, BasicTokenizer, type Word, wordSpan } from './basic';

const options = (overrides: Partial<BasicOptions> = {}): BasicOptions => ({
  doLowerCase: true,
  stripAccents: true,
  tokenizeChineseChars: true,
  neverSplit: new Set(),
  ...overrides,
});

/** Each word with the source text its span covers. */
function words(text: string, overrides: Partial<BasicOptions> = {}): [string, string][] {
  return new BasicTokenizer(options(overrides)).tokenize(text).map((w: Word) => [w.text, text.slice(w.start, w.end)]);
}

describe('BasicTokenizer', () => {
  it('splits on whitespace and punctuation, lower-casing', () => {
    expect(words('Hello,  World!\tok')).toEqual([['hello', 'Hello'], [',', ','], ['world', 'World'], ['!', '!'], ['ok', 'ok']]);
  });

  it('keeps case when asked', () => {
    expect(words('Hello', { doLowerCase: false, stripAccents: false })).toEqual([['Hello', 'Hello']]);
  });

  it('tokenizes only a slice of the text, with offsets into the whole text', () => {
    const tokenizer = new BasicTokenizer(options());
    const [word] = tokenizer.tokenize('xx Hello yy', 3, 8);
    expect(word).toMatchObject({ text: 'hello', start: 3, end: 8 });
  });

  it('strips accents and maps each letter back to its source character', () => {
    const text = 'Ångström';
    const [word] = new BasicTokenizer(options()).tokenize(text);
    expect(word.text).toBe('angstrom');
    expect(wordSpan(word, 0, 1)).toEqual([0, 1]);
    expect(wordSpan(word, 5, 6)).toEqual([5, 6]);
    expect(wordSpan(word, 0, 8)).toEqual([0, 8]);
  });

  it('maps a letter and its combining mark to both source characters', () => {
    const text = 'e\u0301t\u00e9';
    const [word] = new BasicTokenizer(options()).tokenize(text);
    expect(word.text).toBe('ete');
    expect([wordSpan(word, 0, 1), wordSpan(word, 1, 2), wordSpan(word, 2, 3)]).toEqual([[0, 2], [2, 3], [3, 4]]);
  });

  it('composes to NFC before looking at the word when accents stay', () => {
    const [word] = new BasicTokenizer(options({ doLowerCase: false, stripAccents: false })).tokenize('e\u0301');
    expect(word.text).toBe('\u00e9');
    expect(wordSpan(word, 0, 1)).toEqual([0, 2]);
  });

  it('keeps a character before a decomposing mark on its own span', () => {
    // "<" + KANNADA VOWEL SIGN OO: the sign decomposes under NFD, "<" must not take its span.
    const tokenizer = new BasicTokenizer(options());
    const spans = tokenizer.tokenize('\u1208<\u0ccbr').map((w) => [w.start, w.end]);
    expect(spans).toEqual([[0, 1], [1, 2], [2, 4]]);
  });

  it('lower-cases İ to i + U+0307, both mapped to İ, and strips the dot', () => {
    const [kept] = new BasicTokenizer(options({ stripAccents: false })).tokenize('İ');
    expect(kept.text).toBe('i\u0307');
    expect(wordSpan(kept, 0, 2)).toEqual([0, 1]);
    expect(words('İ')).toEqual([['i', 'İ']]);
  });

  it('removes control characters inside a word without splitting it', () => {
    const text = 'ab\u0000c\u200bd';
    const [word] = new BasicTokenizer(options()).tokenize(text);
    expect(word.text).toBe('abcd');
    expect([wordSpan(word, 2, 3), wordSpan(word, 3, 4)]).toEqual([[3, 4], [5, 6]]);
  });

  it('puts each CJK ideograph in its own word; kana runs stay together', () => {
    expect(words('東京タワーに行く').map(([w]) => w)).toEqual(['東', '京', 'タワーに', '行', 'く']);
    expect(words('東京タワー', { tokenizeChineseChars: false }).map(([w]) => w)).toEqual(['東京タワー']);
  });

  it('maps CJK compatibility ideographs to their unified form (NFC)', () => {
    expect(words('\uf900')).toEqual([['\u8c48', '\uf900']]);
  });

  it('splits off punctuation that only NFC reveals (U+1FEF → `)', () => {
    expect(words('a\u1fefb').map(([w]) => w)).toEqual(['a', '`', 'b']);
  });

  it('splits on U+2028 as Python str.split() does', () => {
    expect(words('a\u2028b').map(([w]) => w)).toEqual(['a', 'b']);
  });

  it('drops words that accent stripping empties', () => {
    expect(words('\u0301 a')).toEqual([['a', 'a']]);
  });

  it('keeps never_split words whole and unchanged', () => {
    const neverSplit = new Set(['[foo]', 'naïve']);
    const tokenizer = new BasicTokenizer(options({ neverSplit }));
    expect(tokenizer.tokenize('[FOO] naïve [bar]').map((w) => [w.text, w.neverSplit])).toEqual([
      ['[foo]', true],
      ['naïve', true],
      ['[', false],
      ['bar', false],
      [']', false],
    ]);
  });
});
