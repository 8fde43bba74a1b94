import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKENIZER_CONFIG, parseTokenizerConfig, resolveConfig } from './config';
import { TokenizerError } from './errors';

/** tokenizer_config.json as transformers 4.57 saves it for a cased BertTokenizer. */
const SAVED_BY_HF = `{
  "added_tokens_decoder": {
    "0": {"content": "[PAD]", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true},
    "100": {"content": "[UNK]", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true}
  },
  "clean_up_tokenization_spaces": true,
  "cls_token": "[CLS]",
  "do_basic_tokenize": true,
  "do_lower_case": false,
  "extra_special_tokens": {},
  "mask_token": "[MASK]",
  "model_max_length": 1000000000000000019884624838656,
  "never_split": null,
  "pad_token": "[PAD]",
  "sep_token": "[SEP]",
  "strip_accents": null,
  "tokenize_chinese_chars": true,
  "tokenizer_class": "BertTokenizer",
  "unk_token": "[UNK]"
}`;

describe('parseTokenizerConfig', () => {
  it('reads a tokenizer_config.json saved by transformers', () => {
    expect(parseTokenizerConfig(SAVED_BY_HF)).toEqual({ ...DEFAULT_TOKENIZER_CONFIG, doLowerCase: false, modelMaxLength: undefined });
  });

  it('fills HF BertTokenizer defaults for an empty config', () => {
    const config = parseTokenizerConfig({});
    expect(config).toEqual(DEFAULT_TOKENIZER_CONFIG);
    expect(config.doLowerCase).toBe(true);
    expect(config.stripAccents).toBeNull();
    expect(config.special).toEqual({ unk: '[UNK]', sep: '[SEP]', pad: '[PAD]', cls: '[CLS]', mask: '[MASK]' });
  });

  it('reads special tokens given as strings or AddedToken objects, and other fields', () => {
    const config = parseTokenizerConfig({
      unk_token: { __type: 'AddedToken', content: '<unk>', lstrip: false },
      mask_token: { content: '<mask>', lstrip: true },
      pad_token: '<pad>',
      additional_special_tokens: ['<e1>', { content: '<e2>' }],
      never_split: ['[foo]'],
      strip_accents: false,
      tokenize_chinese_chars: false,
      model_max_length: 512,
      clean_up_tokenization_spaces: false,
      tokenizer_class: 'DistilBertTokenizerFast',
    });
    expect(config.special).toEqual({ unk: '<unk>', sep: '[SEP]', pad: '<pad>', cls: '[CLS]', mask: '<mask>' });
    expect(config.additionalSpecialTokens).toEqual(['<e1>', '<e2>']);
    expect(config.neverSplit).toEqual(['[foo]']);
    expect(config.stripAccents).toBe(false);
    expect(config.tokenizeChineseChars).toBe(false);
    expect(config.modelMaxLength).toBe(512);
    expect(config.cleanUpTokenizationSpaces).toBe(false);
  });

  it.each([
    ['invalid JSON text', '{"do_lower_case": tru', 'bad-config', /not valid JSON/],
    ['a JSON array', [], 'bad-config', /JSON object/],
    ['null', null, 'bad-config', /JSON object/],
    ['a string do_lower_case', { do_lower_case: 'yes' }, 'bad-config', /"do_lower_case" must be true or false/],
    ['a numeric strip_accents', { strip_accents: 1 }, 'bad-config', /"strip_accents"/],
    ['a negative model_max_length', { model_max_length: -5 }, 'bad-config', /"model_max_length"/],
    ['a special token of the wrong shape', { cls_token: { text: '[CLS]' } }, 'bad-config', /"cls_token"/],
    ['never_split that is not a list', { never_split: '[foo]' }, 'bad-config', /"never_split"/],
    ['a SentencePiece tokenizer class', { tokenizer_class: 'XLMRobertaTokenizer' }, 'unsupported', /XLMRobertaTokenizer/],
    ['a MeCab tokenizer class', { tokenizer_class: 'BertJapaneseTokenizer' }, 'unsupported', /BertJapaneseTokenizer/],
    ['do_basic_tokenize false', { do_basic_tokenize: false }, 'unsupported', /do_basic_tokenize/],
  ])('rejects %s', (_name, json, code, message) => {
    expect(() => parseTokenizerConfig(json)).toThrow(message);
    try {
      parseTokenizerConfig(json);
    } catch (error) {
      expect(error).toBeInstanceOf(TokenizerError);
      expect((error as TokenizerError).code).toBe(code);
    }
  });
});

describe('resolveConfig', () => {
  it('fills what is missing or undefined from the defaults, special token names one by one', () => {
    const config = resolveConfig({ doLowerCase: undefined, special: { mask: '<mask>', pad: undefined } });
    expect(config.doLowerCase).toBe(true);
    expect(config.special).toEqual({ ...DEFAULT_TOKENIZER_CONFIG.special, mask: '<mask>' });
  });
});
