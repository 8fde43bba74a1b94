import { TokenizerError } from './errors';

/** The vocabulary strings of the special tokens. */
export interface SpecialTokenNames {
  unk: string;
  sep: string;
  pad: string;
  cls: string;
  mask: string;
}

/**
 * Everything that decides how text becomes WordPiece tokens, with HF `BertTokenizer` defaults (see
 * DEFAULT_TOKENIZER_CONFIG). Read from tokenizer_config.json by `parseTokenizerConfig`, or from
 * tokenizer.json by `fromTokenizerJson`.
 */
export interface TokenizerConfig {
  /** Lower-case text (default true). */
  doLowerCase: boolean;
  /** Strip accents (NFD, drop Mn); null (default) means "same as doLowerCase", as in HF. */
  stripAccents: boolean | null;
  /** Put spaces around CJK ideographs so each is its own word (default true). */
  tokenizeChineseChars: boolean;
  /** Longer words (in code points) become [UNK] (default 100). */
  maxInputCharsPerWord: number;
  /** Prefix of word-continuing pieces (default "##"). */
  continuingSubwordPrefix: string;
  /** Words never split nor lower-cased further (HF `never_split`, default none). */
  neverSplit: string[];
  special: SpecialTokenNames;
  /** Extra special tokens (HF `additional_special_tokens`): kept whole in text, skipped by decode. */
  additionalSpecialTokens: string[];
  /** The longest input the model takes, when the config says (HF `model_max_length`). */
  modelMaxLength: number | undefined;
  /** Decode joins " ." → "." and the like (HF `clean_up_tokenization_spaces`, default true). */
  cleanUpTokenizationSpaces: boolean;
  /**
   * Tohoku's character-level BertJapaneseTokenizer (`subword_tokenizer_type: "character"`) in place of basic
   * tokenization and WordPiece: NFKC, then one token per non-space character (default false).
   */
  characterLevel: boolean;
}

export const DEFAULT_TOKENIZER_CONFIG: Readonly<TokenizerConfig> = Object.freeze({
  doLowerCase: true,
  stripAccents: null,
  tokenizeChineseChars: true,
  maxInputCharsPerWord: 100,
  continuingSubwordPrefix: '##',
  neverSplit: [],
  special: Object.freeze({ unk: '[UNK]', sep: '[SEP]', pad: '[PAD]', cls: '[CLS]', mask: '[MASK]' }),
  additionalSpecialTokens: [],
  modelMaxLength: undefined,
  cleanUpTokenizationSpaces: true,
  characterLevel: false,
});

/** A config with only some fields given; the rest take DEFAULT_TOKENIZER_CONFIG's values. */
export type TokenizerConfigInput = Partial<Omit<TokenizerConfig, 'special'>> & { special?: Partial<SpecialTokenNames> };

export function resolveConfig(input: TokenizerConfigInput = {}): TokenizerConfig {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const special = Object.fromEntries(Object.entries(input.special ?? {}).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_TOKENIZER_CONFIG, ...defined, special: { ...DEFAULT_TOKENIZER_CONFIG.special, ...special } };
}

/**
 * tokenizer_class values whose tokenizer is this BERT WordPiece with [CLS] A [SEP] B [SEP] (the "Fast"
 * variants too). Others (SentencePiece, BPE, MeCab-based, different templates) are refused.
 */
const WORDPIECE_CLASSES = new Set([
  'BertTokenizer',
  'DistilBertTokenizer',
  'ElectraTokenizer',
  'MobileBertTokenizer',
  'SqueezeBertTokenizer',
  'LayoutLMTokenizer',
  'ConvBertTokenizer',
  'RetriBertTokenizer',
  'LxmertTokenizer',
  'DPRContextEncoderTokenizer',
  'DPRQuestionEncoderTokenizer',
  'DPRReaderTokenizer',
]);

/** HF writes int(1e30) as model_max_length when a model has no limit. */
const NO_LIMIT_THRESHOLD = 1e12;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accepts already-parsed JSON or its text. */
export function parseJsonInput(json: unknown, file: string): Record<string, unknown> {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new TokenizerError('bad-config', `${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isObject(value)) throw new TokenizerError('bad-config', `${file} must hold a JSON object.`);
  return value;
}

function optionalBoolean(json: Record<string, unknown>, key: string, file: string): boolean | undefined {
  const value = json[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new TokenizerError('bad-config', `${file}: "${key}" must be true or false, not ${JSON.stringify(value)}.`);
  return value;
}

/** A token given as a string or as an AddedToken object ({"content": "[UNK]", ...}). */
export function tokenContent(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.content === 'string') return value.content;
  throw new TokenizerError('bad-config', `${where} must be a token string or an object with "content", not ${JSON.stringify(value)}.`);
}

function optionalTokenList(json: Record<string, unknown>, key: string, file: string): string[] | undefined {
  const value = json[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new TokenizerError('bad-config', `${file}: "${key}" must be a list of tokens.`);
  return value.map((item, i) => tokenContent(item, `${file}: "${key}"[${i}]`));
}

/** Reads HF tokenizer_config.json (as text or parsed JSON) of a BERT WordPiece tokenizer; other tokenizer classes are refused. */
export function parseTokenizerConfig(json: unknown): TokenizerConfig {
  const { tokenizerClass, config } = readTokenizerConfig(json);
  if (tokenizerClass !== undefined && !isWordPieceClass(tokenizerClass)) {
    throw new TokenizerError('unsupported', `tokenizer_config.json: tokenizer_class "${tokenizerClass}" is not a BERT WordPiece tokenizer; only BERT-style WordPiece vocabularies are supported.`);
  }
  return resolveConfig(config);
}

/** Whether tokenizer_config.json's tokenizer_class (slow or Fast) is a BERT WordPiece tokenizer. */
export function isWordPieceClass(tokenizerClass: string): boolean {
  return WORDPIECE_CLASSES.has(tokenizerClass.replace(/Fast$/, ''));
}

/**
 * Reads HF tokenizer_config.json (as text or parsed JSON) of any tokenizer class: its class, and the fields it
 * sets (defaults not filled in: they differ between WordPiece and the others).
 */
export function readTokenizerConfig(json: unknown): { tokenizerClass: string | undefined; config: TokenizerConfigInput } {
  const file = 'tokenizer_config.json';
  const config = parseJsonInput(json, file);

  const tokenizerClass = config.tokenizer_class;
  if (tokenizerClass !== undefined && tokenizerClass !== null && typeof tokenizerClass !== 'string') {
    throw new TokenizerError('bad-config', `${file}: "tokenizer_class" must be a string.`);
  }
  if (optionalBoolean(config, 'do_basic_tokenize', file) === false) {
    throw new TokenizerError('unsupported', `${file}: "do_basic_tokenize": false (WordPiece without basic tokenization) is not supported.`);
  }

  const stripAccents = config.strip_accents;
  if (stripAccents !== undefined && stripAccents !== null && typeof stripAccents !== 'boolean') {
    throw new TokenizerError('bad-config', `${file}: "strip_accents" must be true, false or null, not ${JSON.stringify(stripAccents)}.`);
  }

  let modelMaxLength: number | undefined;
  const maxLength = config.model_max_length;
  if (maxLength !== undefined && maxLength !== null) {
    if (typeof maxLength !== 'number' || !(maxLength > 0)) {
      throw new TokenizerError('bad-config', `${file}: "model_max_length" must be a positive number, not ${JSON.stringify(maxLength)}.`);
    }
    if (maxLength < NO_LIMIT_THRESHOLD) modelMaxLength = Math.floor(maxLength);
  }

  const special: Partial<SpecialTokenNames> = {};
  for (const name of ['unk', 'sep', 'pad', 'cls', 'mask'] as const) {
    const value = config[`${name}_token`];
    if (value !== undefined && value !== null) special[name] = tokenContent(value, `${file}: "${name}_token"`);
  }

  const read: TokenizerConfigInput = {
    doLowerCase: optionalBoolean(config, 'do_lower_case', file),
    stripAccents: typeof stripAccents === 'boolean' ? stripAccents : null,
    tokenizeChineseChars: optionalBoolean(config, 'tokenize_chinese_chars', file),
    neverSplit: optionalTokenList(config, 'never_split', file),
    special,
    additionalSpecialTokens: optionalTokenList(config, 'additional_special_tokens', file),
    modelMaxLength,
    cleanUpTokenizationSpaces: optionalBoolean(config, 'clean_up_tokenization_spaces', file),
  };
  return { tokenizerClass: typeof tokenizerClass === 'string' ? tokenizerClass : undefined, config: read };
}
