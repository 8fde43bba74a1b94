import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TokenizerError } from './errors';
import { loadTokenizer } from './load';
import type { Tokenizer } from './types';

const DIR = 'tools/reference/tokenizers';
const read = (path: string): string => readFileSync(`${DIR}/${path}`, 'utf8');

interface ReferenceLine {
  text: string;
  ids: number[];
  offsets: [number, number][];
}
const reference = JSON.parse(read('reference.json')) as Record<'bpe' | 'unigram', ReferenceLine[]> & Record<'wordpiece-cased' | 'japanese-char', { text: string; ids: number[] }[]>;

const load = (name: 'bpe' | 'unigram'): Tokenizer =>
  loadTokenizer({ 'tokenizer.json': read(`${name}/tokenizer.json`), 'tokenizer_config.json': read(`${name}/tokenizer_config.json`) });

/**
 * Probe lines where this tokenizer and the reference part, and why. Unigram line 20 ("1,000,000"): "0" + "00"
 * and "00" + "0" score the same up to rounding; sentencepiece sums path scores in float32, the library (as HF's
 * Rust tokenizers) in float64, and they round the near-tie to different sides.
 */
const KNOWN_DIFFERENCES: Record<'bpe' | 'unigram', ReadonlySet<number>> = { bpe: new Set(), unigram: new Set([20]) };

describe.each(['bpe', 'unigram'] as const)('the %s fixture against its reference, every probe line', (name) => {
  const tokenizer = load(name);
  for (const [i, line] of reference[name].entries()) {
    const check = KNOWN_DIFFERENCES[name].has(i) ? it.fails : it;
    check(`line ${i}: ids and offsets`, () => {
      const encoding = tokenizer.encode(line.text);
      const inner = <T>(values: T[]): T[] => values.slice(1, -1);
      expect({ ids: inner(encoding.inputIds), offsets: inner(encoding.offsets) }).toEqual({ ids: line.ids, offsets: line.offsets });
    });
  }
});

describe('WordPiece in bert-base-multilingual-cased style (case and accents kept, CJK ideographs split)', () => {
  const tokenizer = loadTokenizer({ 'vocab.txt': read('wordpiece-cased/vocab.txt'), 'tokenizer_config.json': read('wordpiece-cased/tokenizer_config.json') });
  it.each(reference['wordpiece-cased'].map((line, i) => [i, line] as const))('probe line %i: ids', (_, line) => {
    expect(tokenizer.encode(line.text).inputIds.slice(1, -1)).toEqual(line.ids);
  });
});

describe("Tohoku's character-level BertJapaneseTokenizer", () => {
  const files = { 'vocab.txt': read('japanese-char/vocab.txt'), 'tokenizer_config.json': read('japanese-char/tokenizer_config.json') };
  const tokenizer = loadTokenizer(files);
  it.each(reference['japanese-char'].map((line, i) => [i, line] as const))('probe line %i: ids', (_, line) => {
    expect(tokenizer.encode(line.text).inputIds.slice(1, -1)).toEqual(line.ids);
  });

  it('gives each character its source span and each whitespace-separated word an id', () => {
    const text = 'ﾊﾟﾝ 東京①';
    const e = tokenizer.encode(text);
    expect(e.offsets.slice(1, -1).map(([start, end]) => text.slice(start, end))).toEqual(['ﾊﾟ', 'ﾝ', '東', '京', '①']);
    expect(e.wordIds.slice(1, -1)).toEqual([0, 0, 1, 1, 1]);
    expect(tokenizer.saveFiles().config).toMatchObject({ tokenizer_class: 'BertJapaneseTokenizer', subword_tokenizer_type: 'character' });
  });

  it('refuses the word-level ones, which need MeCab', () => {
    const config = JSON.stringify({ tokenizer_class: 'BertJapaneseTokenizer', word_tokenizer_type: 'mecab', subword_tokenizer_type: 'wordpiece' });
    expect(() => loadTokenizer({ ...files, 'tokenizer_config.json': config })).toThrow(/MeCab.*character-level models/);
  });
});

describe('byte-level BPE (RoBERTa layout)', () => {
  const tokenizer = load('bpe');

  it('reads vocab.json + merges.txt as the same tokenizer as its tokenizer.json', () => {
    const fromPair = loadTokenizer({ 'vocab.json': read('bpe/vocab.json'), 'merges.txt': read('bpe/merges.txt') });
    for (const line of reference.bpe) expect(fromPair.encode(line.text, 'and a pair')).toEqual(tokenizer.encode(line.text, 'and a pair'));
  });

  it('places pairs as <s> A </s></s> B </s>, all token type 0, with sequence ids and word ids', () => {
    const e = tokenizer.encode('Hello world', 'the cat');
    const { cls, sep } = tokenizer.special;
    expect(e.inputIds[0]).toBe(cls);
    expect(e.inputIds.filter((id) => id === sep)).toHaveLength(3);
    const firstSep = e.inputIds.indexOf(sep);
    expect(e.inputIds[firstSep + 1]).toBe(sep);
    expect(e.tokenTypeIds.every((t) => t === 0)).toBe(true);
    expect(e.sequenceIds).toEqual(e.inputIds.map((id, i) => (id === cls || id === sep ? null : i < firstSep ? 0 : 1)));
    expect(e.specialTokensMask).toEqual(e.sequenceIds.map((s) => (s === null ? 1 : 0)));
    // "Hello" and "world" are split into several pieces each; the pieces of one word share its id (per sequence).
    const words = e.tokens.map((token, i) => [tokenizer.tokenText(token), e.wordIds[i], e.sequenceIds[i]] as const).filter(([, , s]) => s === 0);
    expect(new Set(words.map(([, w]) => w))).toEqual(new Set([0, 1]));
    expect(words.filter(([, w]) => w === 1).map(([t]) => t).join('')).toBe(' world');
  });

  it('truncates longest first and pads with <pad>', () => {
    const e = tokenizer.encode('one two three four five six seven', 'eight', { maxLength: 10, padding: true, padTo: 12 });
    expect(e.inputIds).toHaveLength(12);
    expect(e.attentionMask.filter((m) => m === 1)).toHaveLength(10);
    expect(e.inputIds.slice(10)).toEqual([tokenizer.special.pad, tokenizer.special.pad]);
    expect(e.sequenceIds.filter((s) => s === 1).length).toBeGreaterThan(0);
    expect(() => tokenizer.encode('a', 'b', { maxLength: 3 })).toThrow(TokenizerError);
  });

  it('keeps <mask> whole, taking the spaces before it, and decodes back to the text', () => {
    const e = tokenizer.encode('The <mask> sat.');
    expect(e.inputIds).toContain(tokenizer.special.mask);
    expect(tokenizer.decode(e.inputIds, true)).toBe('The sat.');
    expect(tokenizer.decode(tokenizer.encode('Café 😀 日本').inputIds, true)).toBe('Café 😀 日本');
    expect(tokenizer.decode([])).toBe('');
  });

  it('shows tokens as text: Ġ as a space, bytes decoded', () => {
    const e = tokenizer.encode(' world é');
    expect(e.tokens.slice(1, -1).map((t) => tokenizer.tokenText(t)).join('')).toBe(' world é');
    expect(tokenizer.tokenText('<s>')).toBe('<s>');
  });

  it('saves tokenizer.json, vocab.json and merges.txt that load back as the same tokenizer', () => {
    const { files, specialTokens } = tokenizer.saveFiles();
    expect(Object.keys(files).sort()).toEqual(['merges.txt', 'tokenizer.json', 'vocab.json']);
    expect(specialTokens.mask_token).toBe('<mask>');
    const again = loadTokenizer({ 'vocab.json': files['vocab.json'], 'merges.txt': files['merges.txt'] });
    expect(again.encode('Hello world!').inputIds).toEqual(tokenizer.encode('Hello world!').inputIds);
    expect(loadTokenizer({ 'tokenizer.json': files['tokenizer.json'] }).encode('Hello world!')).toEqual(tokenizer.encode('Hello world!'));
  });
});

describe('SentencePiece Unigram (XLM-R layout)', () => {
  const tokenizer = load('unigram');

  it('places pairs as <s> A </s></s> B </s> and truncates longest first', () => {
    const e = tokenizer.encode('東京都は日本の首都です', 'Hello', { maxLength: 8 });
    expect(e.inputIds).toHaveLength(8);
    const { cls, sep } = tokenizer.special;
    expect(e.inputIds[0]).toBe(cls);
    expect(e.inputIds.filter((id) => id === sep)).toHaveLength(3);
    expect(e.sequenceIds.filter((s) => s === 1).length).toBeGreaterThan(0);
  });

  it('shows ▁ as a space, decodes, and saves its tokenizer.json alone', () => {
    const e = tokenizer.encode('the cat sat');
    expect(e.tokens.slice(1, -1).map((t) => tokenizer.tokenText(t)).join('')).toBe(' the cat sat');
    expect(tokenizer.decode(e.inputIds, true)).toBe('the cat sat');
    expect(Object.keys(tokenizer.saveFiles().files)).toEqual(['tokenizer.json']);
  });

  it('gives each ▁-started run of tokens its own word id', () => {
    const e = tokenizer.encode('the cat sat');
    expect(Math.max(...e.wordIds.filter((w): w is number => w !== null))).toBe(2);
  });
});

describe('loadTokenizer', () => {
  it('refuses what it cannot read, naming the file and field', () => {
    const json = JSON.parse(read('unigram/tokenizer.json')) as Record<string, unknown>;
    expect(() => loadTokenizer({ 'tokenizer.json': JSON.stringify({ ...json, model: { type: 'WordLevel' } }) })).toThrow(/tokenizer.json: model.type "WordLevel"/);
    expect(() => loadTokenizer({ 'tokenizer.json': JSON.stringify({ ...json, pre_tokenizer: { type: 'BertPreTokenizer' } }) })).toThrow(/tokenizer.json: pre_tokenizer of type "BertPreTokenizer"/);
    expect(() => loadTokenizer({ 'vocab.json': read('bpe/vocab.json') })).toThrow(/merges.txt/);
    expect(() => loadTokenizer({})).toThrow(TokenizerError);
    expect(() => loadTokenizer({ 'vocab.txt': '[PAD]\n', 'tokenizer_config.json': '{"tokenizer_class": "RobertaTokenizer"}' })).toThrow(/tokenizer_class "RobertaTokenizer"/);
  });

  it('still reads WordPiece from vocab.txt', () => {
    const tokenizer = loadTokenizer({ 'vocab.txt': ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello'].join('\n') });
    expect(tokenizer.encode('hello').inputIds).toEqual([2, 5, 3]);
    expect(Object.keys(tokenizer.saveFiles().files).sort()).toEqual(['tokenizer.json', 'vocab.txt']);
  });
});

describe('offsets under other SentencePiece setups (no reference: the spans must stay ordered and cover every letter)', () => {
  const base = JSON.parse(read('unigram/tokenizer.json')) as Record<string, unknown> & { normalizer: { normalizers: unknown[] } };
  const [precompiled, collapse] = base.normalizer.normalizers;
  const variants: Record<string, Record<string, unknown>> = {
    // ALBERT / DeBERTa-v3: quotes rewritten, accents stripped, lower-cased; words split at whitespace first.
    albert: {
      ...base,
      normalizer: {
        type: 'Sequence',
        normalizers: [
          { type: 'Replace', pattern: { String: '``' }, content: '"' },
          { type: 'NFKD' },
          { type: 'StripAccents' },
          { type: 'Lowercase' },
          precompiled,
          collapse,
        ],
      },
      pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true }] },
    },
    // XLM-R's own file: no Strip, so spaces at the ends become "▁" tokens.
    'xlm-r': { ...base, normalizer: { type: 'Sequence', normalizers: [precompiled, collapse] } },
  };

  it.each(Object.keys(variants))('%s', (name) => {
    const tokenizer = loadTokenizer({ 'tokenizer.json': JSON.stringify(variants[name]) });
    for (const { text } of reference.unigram) {
      const { offsets, specialTokensMask } = tokenizer.encode(text);
      const spans = offsets.filter((_, i) => specialTokensMask[i] === 0 || offsets[i][1] > 0);
      for (let i = 1; i < spans.length; i++) expect(spans[i][0], text).toBeGreaterThanOrEqual(spans[i - 1][1]);
      const covered = new Set(spans.flatMap(([start, end]) => Array.from({ length: end - start }, (_, k) => start + k)));
      const letters = [...text.matchAll(/\p{L}/gu)].map((m) => m.index);
      expect(letters.filter((i) => !covered.has(i)), text).toEqual([]);
    }
  });
});
