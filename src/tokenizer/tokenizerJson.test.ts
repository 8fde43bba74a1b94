import { describe, expect, it } from 'vitest';
import { fromVocabTxt } from './bertTokenizer';
import { TokenizerError } from './errors';
import { fromTokenizerJson, toTokenizerJson } from './tokenizerJson';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'world', '##s', '.', ',', 'cafe', 'café', 'un', '##aff', '##able', '東', '京', 'x', '##x', 'É'];
const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

type Json = Record<string, unknown>;

/** A tokenizer.json shaped as transformers 4.57 / tokenizers 0.22 save it for BertTokenizerFast. */
function tokenizerJson(normalizer: Json = {}): Json {
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true, ...normalizer },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0), sequence('B', 1), special('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(VOCAB.map((token, id) => [token, id])),
    },
  };
}

const TEXTS: [string, string | undefined][] = [
  ['Hello, worlds.', undefined],
  ['Café UNaffable 東京 [MASK]x', 'hello world'],
  ['É x'.repeat(3), 'xxxx, ' + 'x'.repeat(120)],
  ['', ''],
  ['zero\u200bwidth\ttab', undefined],
];

describe('fromTokenizerJson', () => {
  it.each([
    ['uncased', {}, {}],
    ['cased', { lowercase: false }, { doLowerCase: false }],
    ['cased, stripping accents', { lowercase: false, strip_accents: true }, { doLowerCase: false, stripAccents: true }],
    ['no Chinese splitting', { handle_chinese_chars: false }, { tokenizeChineseChars: false }],
  ] as const)('encodes exactly as fromVocabTxt on the same vocabulary (%s)', (_name, normalizer, config) => {
    const fromJson = fromTokenizerJson(tokenizerJson(normalizer));
    const fromTxt = fromVocabTxt(VOCAB.join('\n'), config);
    expect(fromJson.vocabSize).toBe(fromTxt.vocabSize);
    expect(fromJson.special).toEqual(fromTxt.special);
    for (const [text, pair] of TEXTS) {
      for (const options of [{}, { maxLength: 12, padding: true }]) {
        const encoding = fromJson.encode(text, pair, options);
        expect(encoding).toEqual(fromTxt.encode(text, pair, options));
        expect(fromJson.decode(encoding.inputIds, true)).toBe(fromTxt.decode(encoding.inputIds, true));
      }
    }
  });

  it('accepts the file as text', () => {
    const tokenizer = fromTokenizerJson(JSON.stringify(tokenizerJson()));
    expect(tokenizer.encode('hello worlds').tokens).toEqual(['[CLS]', 'hello', 'world', '##s', '[SEP]']);
  });

  it('reads the older BertProcessing post-processor', () => {
    const json = { ...tokenizerJson(), post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] } };
    expect(fromTokenizerJson(json).encode('hello', 'world').tokens).toEqual(['[CLS]', 'hello', '[SEP]', 'world', '[SEP]']);
  });

  it('reads the model limits, prefix and decoder cleanup', () => {
    const json = tokenizerJson();
    Object.assign(json.model as Json, { max_input_chars_per_word: 3 });
    Object.assign(json.decoder as Json, { cleanup: false });
    const tokenizer = fromTokenizerJson(json);
    expect(tokenizer.encode('xxx xxxx').tokens).toEqual(['[CLS]', 'x', '##x', '##x', '[UNK]', '[SEP]']);
    expect(tokenizer.decode(tokenizer.encode('x, xx.').inputIds, true)).toBe('x , xx .');
  });

  it('takes [PAD] and [MASK] names and model_max_length from a tokenizer config', () => {
    const vocab = ['<pad>', '[UNK]', '[CLS]', '[SEP]', '<mask>', 'hello'];
    const json = tokenizerJson();
    (json.model as Json).vocab = Object.fromEntries(vocab.map((token, id) => [token, id]));
    json.added_tokens = [];
    const tokenizer = fromTokenizerJson(json, { special: { pad: '<pad>', mask: '<mask>' }, modelMaxLength: 512 });
    expect(tokenizer.special).toEqual({ pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
    expect(tokenizer.modelMaxLength).toBe(512);
    expect(() => fromTokenizerJson(json)).toThrow(/"\[PAD\]"/);
  });

  it('treats extra special added tokens as special tokens in text', () => {
    const json = tokenizerJson();
    (json.model as Json).vocab = Object.fromEntries([...VOCAB, '<e>'].map((token, id) => [token, id]));
    (json.added_tokens as Json[]).push({ id: VOCAB.length, content: '<e>', special: true });
    const encoding = fromTokenizerJson(json).encode('hello<e>');
    expect(encoding.tokens).toEqual(['[CLS]', 'hello', '<e>', '[SEP]']);
    expect(encoding.specialTokensMask).toEqual([1, 0, 1, 1]);
  });

  const broken = (change: (json: Json) => void): Json => {
    const json = tokenizerJson();
    change(json);
    return json;
  };

  it.each([
    ['a BPE model', broken((j) => Object.assign(j.model as Json, { type: 'BPE' })), 'unsupported', /model of type "BPE"/],
    ['no model', broken((j) => delete j.model), 'unsupported', /model is missing/],
    ['a normalizer Sequence', broken((j) => (j.normalizer = { type: 'Sequence', normalizers: [] })), 'unsupported', /normalizer of type "Sequence"/],
    ['no normalizer', broken((j) => (j.normalizer = null)), 'unsupported', /normalizer is null/],
    ['clean_text false', broken((j) => Object.assign(j.normalizer as Json, { clean_text: false })), 'unsupported', /clean_text/],
    ['a string lowercase flag', broken((j) => Object.assign(j.normalizer as Json, { lowercase: 'yes' })), 'bad-config', /normalizer.lowercase/],
    ['a Whitespace pre-tokenizer', broken((j) => (j.pre_tokenizer = { type: 'Whitespace' })), 'unsupported', /pre_tokenizer of type "Whitespace"/],
    ['a RoBERTa post-processor', broken((j) => (j.post_processor = { type: 'RobertaProcessing' })), 'unsupported', /post_processor of type "RobertaProcessing"/],
    [
      'a template without [SEP] between the pair',
      broken((j) => ((j.post_processor as Json).pair = ((j.post_processor as Json).pair as Json[]).filter((_, i) => i !== 2))),
      'unsupported',
      /template/,
    ],
    [
      'a template whose [CLS] id disagrees with the vocabulary',
      broken((j) => ((j.post_processor as Json).special_tokens = { '[CLS]': { id: '[CLS]', ids: [7] } })),
      'unsupported',
      /"\[CLS\]" as ids \[7\]/,
    ],
    ['a ByteLevel decoder', broken((j) => (j.decoder = { type: 'ByteLevel' })), 'unsupported', /decoder of type "ByteLevel"/],
    ['an added token outside the vocabulary', broken((j) => (j.added_tokens as Json[]).push({ id: 99, content: '<new>', special: true })), 'unsupported', /"<new>" with id 99/],
    ['a non-special added token', broken((j) => (j.added_tokens as Json[]).push({ id: 5, content: 'hello', special: false })), 'unsupported', /non-special added token "hello"/],
    ['a vocabulary with a bad id', broken((j) => Object.assign((j.model as Json).vocab as Json, { bad: -3 })), 'bad-vocab', /"bad" has id -3/],
    ['a vocabulary that is a list', broken((j) => Object.assign(j.model as Json, { vocab: VOCAB })), 'bad-vocab', /model.vocab/],
    ['a vocabulary without [MASK]', broken((j) => {
      const vocab = (j.model as Json).vocab as Json;
      delete vocab['[MASK]'];
      j.added_tokens = (j.added_tokens as Json[]).filter((t) => t.content !== '[MASK]');
    }), 'missing-special-token', /"\[MASK\]"/],
  ])('rejects %s, naming the part', (_name, json, code, message) => {
    expect(() => fromTokenizerJson(json)).toThrow(message);
    try {
      fromTokenizerJson(json);
    } catch (error) {
      expect(error).toBeInstanceOf(TokenizerError);
      expect((error as TokenizerError).code).toBe(code);
    }
  });

  it('rejects text that is not JSON', () => {
    expect(() => fromTokenizerJson('{"model":')).toThrow(/tokenizer.json is not valid JSON/);
  });
});

describe('toTokenizerJson', () => {
  it('writes the file transformers saves for BertTokenizerFast', () => {
    expect(toTokenizerJson(fromVocabTxt(VOCAB.join('\n')))).toEqual(tokenizerJson());
  });

  it.each([
    ['uncased', {}],
    ['cased, stripping accents, no Chinese splitting, no decoder cleanup', { doLowerCase: false, stripAccents: true, tokenizeChineseChars: false, cleanUpTokenizationSpaces: false }],
  ] as const)('reads back as the tokenizer it came from (%s)', (_name, config) => {
    const original = fromVocabTxt([...VOCAB, '<e>'].join('\n'), { ...config, additionalSpecialTokens: ['<e>'] });
    const json = toTokenizerJson(original);
    const read = fromTokenizerJson(JSON.parse(JSON.stringify(json)));
    expect(read.config).toEqual(original.config);
    for (const [text, pair] of [...TEXTS, ['hello<e>world', undefined] as const]) {
      const encoding = read.encode(text, pair);
      expect(encoding).toEqual(original.encode(text, pair));
      expect(read.decode(encoding.inputIds, true)).toBe(original.decode(encoding.inputIds, true));
    }
  });

  it('gives a token listed twice in vocab.txt its last id, as the slow tokenizer looks it up', () => {
    const json = toTokenizerJson(fromVocabTxt([...VOCAB, 'hello'].join('\n')));
    expect((json.model as Json).vocab).toMatchObject({ hello: VOCAB.length });
    expect(Object.values((json.model as Json).vocab as Json)).not.toContain(VOCAB.indexOf('hello'));
  });
});
