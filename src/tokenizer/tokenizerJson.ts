import { BertWordPieceTokenizer } from './bertTokenizer';
import { type TokenizerConfig, type TokenizerConfigInput, isObject, parseJsonInput, resolveConfig, tokenContent } from './config';
import { TokenizerError } from './errors';
import { Vocab } from './vocab';

const FILE = 'tokenizer.json';

type Json = Record<string, unknown>;

function unsupported(part: string, detail: string): TokenizerError {
  return new TokenizerError('unsupported', `${FILE}: ${part} ${detail}; only BERT WordPiece tokenizers (WordPiece model, BertNormalizer, BertPreTokenizer, [CLS] A [SEP] B [SEP]) are supported.`);
}

function typeOf(part: string, value: unknown): string {
  if (!isObject(value)) throw unsupported(part, `is ${JSON.stringify(value) ?? 'missing'}`);
  return String(value.type);
}

function field<T>(json: Json, key: string, where: string, check: (value: unknown) => value is T, expected: string, fallback: T): T {
  const value = json[key];
  if (value === undefined || value === null) return fallback;
  if (!check(value)) throw new TokenizerError('bad-config', `${FILE}: ${where}.${key} must be ${expected}, not ${JSON.stringify(value)}.`);
  return value;
}

const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isString = (value: unknown): value is string => typeof value === 'string';
const isPositiveInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

interface Template {
  cls: string;
  sep: string;
  /** The ids the post-processor itself writes for [CLS] and [SEP], when it lists them. */
  ids: Record<string, unknown>;
}

/** Accepts only the BERT template: single `[CLS]:0 $A:0 [SEP]:0`, pair `... $B:1 [SEP]:1`. */
function readTemplate(processor: Json): Template {
  const step = (item: unknown): string => {
    if (!isObject(item)) return '?';
    if (isObject(item.SpecialToken)) return `S(${String(item.SpecialToken.id)}):${String(item.SpecialToken.type_id)}`;
    if (isObject(item.Sequence)) return `${String(item.Sequence.id)}:${String(item.Sequence.type_id)}`;
    return '?';
  };
  const single = Array.isArray(processor.single) ? processor.single.map(step) : [];
  const pair = Array.isArray(processor.pair) ? processor.pair.map(step) : [];
  const cls = /^S\((.*)\):0$/.exec(single[0] ?? '')?.[1];
  const sep = /^S\((.*)\):0$/.exec(single[2] ?? '')?.[1];
  const expectedSingle = [`S(${cls}):0`, 'A:0', `S(${sep}):0`];
  const expectedPair = [...expectedSingle, 'B:1', `S(${sep}):1`];
  if (cls === undefined || sep === undefined || single.join(' ') !== expectedSingle.join(' ') || pair.join(' ') !== expectedPair.join(' ')) {
    throw unsupported('post_processor', `has the template "${single.join(' ')}" / "${pair.join(' ')}"`);
  }
  const listed = isObject(processor.special_tokens) ? processor.special_tokens : {};
  const idsOf = (token: string): unknown => (isObject(listed[token]) ? listed[token].ids : undefined);
  return { cls, sep, ids: { [cls]: idsOf(cls), [sep]: idsOf(sep) } };
}

function readPostProcessor(processor: unknown): Template {
  const type = typeOf('post_processor', processor);
  const json = processor as Json;
  if (type === 'TemplateProcessing') return readTemplate(json);
  if (type === 'BertProcessing') {
    const pairOf = (key: string): [string, unknown] => {
      const value = json[key];
      if (!Array.isArray(value) || typeof value[0] !== 'string') throw new TokenizerError('bad-config', `${FILE}: post_processor.${key} must be [token, id].`);
      return [value[0], [value[1]]];
    };
    const [cls, clsIds] = pairOf('cls');
    const [sep, sepIds] = pairOf('sep');
    return { cls, sep, ids: { [cls]: clsIds, [sep]: sepIds } };
  }
  throw unsupported('post_processor', `of type "${type}"`);
}

/** Checks the ids the file gives its special tokens against the vocabulary, so no id silently disagrees. */
function checkSpecialIds(json: Json, template: Template, vocab: Vocab): void {
  for (const [token, ids] of Object.entries(template.ids)) {
    if (ids !== undefined && JSON.stringify(ids) !== JSON.stringify([vocab.id(token)])) {
      throw unsupported('post_processor', `writes ${JSON.stringify(token)} as ids ${JSON.stringify(ids)}, but the vocabulary gives it id ${vocab.id(token) ?? 'none'}`);
    }
  }
  const added = Array.isArray(json.added_tokens) ? json.added_tokens : [];
  for (const entry of added) {
    if (!isObject(entry)) throw new TokenizerError('bad-config', `${FILE}: added_tokens entries must be objects.`);
    const content = tokenContent(entry, `${FILE}: added_tokens entry`);
    if (vocab.id(content) !== entry.id) {
      throw unsupported('added_tokens', `has ${JSON.stringify(content)} with id ${JSON.stringify(entry.id)}, which the WordPiece vocabulary ${vocab.id(content) === undefined ? 'lacks' : `gives id ${vocab.id(content)}`} (tokens added beyond the vocabulary are not supported)`);
    }
    if (entry.special !== true) throw unsupported('added_tokens', `has the non-special added token ${JSON.stringify(content)}`);
  }
}

function specialAddedTokens(json: Json): string[] {
  const added = Array.isArray(json.added_tokens) ? json.added_tokens : [];
  return added.filter(isObject).map((entry) => tokenContent(entry, `${FILE}: added_tokens entry`));
}

/**
 * A tokenizer from HF's tokenizer.json (text or parsed JSON) when it describes BERT WordPiece; anything else
 * is refused with a TokenizerError naming the unsupported part. tokenizer.json decides normalization,
 * vocabulary, [UNK]/[CLS]/[SEP] and decoding; `config` (e.g. from `parseTokenizerConfig`) supplies what
 * tokenizer.json does not hold: the [PAD] and [MASK] names and model_max_length.
 */
export function fromTokenizerJson(json: unknown, config: TokenizerConfigInput = {}): BertWordPieceTokenizer {
  const root = parseJsonInput(json, FILE);

  const modelType = typeOf('model', root.model);
  if (modelType !== 'WordPiece') throw unsupported('model', `of type "${modelType}"`);
  const model = root.model as Json;
  if (!isObject(model.vocab)) throw new TokenizerError('bad-vocab', `${FILE}: model.vocab must be an object of token → id.`);
  const vocab = Vocab.fromIds(model.vocab);

  const normalizerType = typeOf('normalizer', root.normalizer);
  if (normalizerType !== 'BertNormalizer') throw unsupported('normalizer', `of type "${normalizerType}"`);
  const normalizer = root.normalizer as Json;
  if (field(normalizer, 'clean_text', 'normalizer', isBoolean, 'true or false', true) !== true) {
    throw unsupported('normalizer', 'with clean_text: false');
  }
  const preTokenizerType = typeOf('pre_tokenizer', root.pre_tokenizer);
  if (preTokenizerType !== 'BertPreTokenizer') throw unsupported('pre_tokenizer', `of type "${preTokenizerType}"`);

  const template = readPostProcessor(root.post_processor);
  checkSpecialIds(root, template, vocab);

  const decoder = isObject(root.decoder) ? root.decoder : {};
  if (root.decoder !== undefined && root.decoder !== null && decoder.type !== 'WordPiece') {
    throw unsupported('decoder', `of type "${String(decoder.type)}"`);
  }
  const prefix = field(model, 'continuing_subword_prefix', 'model', isString, 'a string', '##');
  if (decoder.prefix !== undefined && decoder.prefix !== prefix) {
    throw unsupported('decoder', `prefix ${JSON.stringify(decoder.prefix)} differs from the model's ${JSON.stringify(prefix)}`);
  }

  const padding = isObject(root.padding) ? root.padding : {};
  const fromJson: Partial<TokenizerConfig> = {
    doLowerCase: field(normalizer, 'lowercase', 'normalizer', isBoolean, 'true or false', true),
    stripAccents: field<boolean | null>(normalizer, 'strip_accents', 'normalizer', isBoolean, 'true, false or null', null),
    tokenizeChineseChars: field(normalizer, 'handle_chinese_chars', 'normalizer', isBoolean, 'true or false', true),
    maxInputCharsPerWord: field(model, 'max_input_chars_per_word', 'model', isPositiveInteger, 'a positive integer', 100),
    continuingSubwordPrefix: prefix,
    cleanUpTokenizationSpaces: field(decoder, 'cleanup', 'decoder', isBoolean, 'true or false', config.cleanUpTokenizationSpaces ?? true),
    neverSplit: [],
  };
  const special = {
    pad: config.special?.pad ?? field(padding, 'pad_token', 'padding', isString, 'a string', '[PAD]'),
    mask: config.special?.mask ?? '[MASK]',
    unk: field(model, 'unk_token', 'model', isString, 'a string', '[UNK]'),
    cls: template.cls,
    sep: template.sep,
  };
  const names = new Set<string>(Object.values(special));
  return new BertWordPieceTokenizer(
    vocab,
    resolveConfig({
      ...config,
      ...fromJson,
      special,
      additionalSpecialTokens: specialAddedTokens(root).filter((token) => !names.has(token)),
    }),
  );
}

/**
 * The tokenizer as HF's tokenizer.json for BertTokenizerFast (what `tokenizers`, and so transformers.js, loads):
 * the inverse of `fromTokenizerJson`. The fast tokenizer's BertNormalizer lower-cases and strips accents after
 * no NFC step, so on text whose composed and decomposed forms differ it can split otherwise than this (slow)
 * tokenizer; `never_split` has no counterpart there.
 */
export function toTokenizerJson(tokenizer: BertWordPieceTokenizer): Json {
  const { config } = tokenizer;
  const vocab: Record<string, number> = {};
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    const token = tokenizer.idToToken(id);
    // A gap in the ids reads as [UNK], and a token listed twice keeps its last id: only the ids lookups give.
    if (tokenizer.tokenToId(token) === id) vocab[token] = id;
  }
  const specials = [...new Set([config.special.pad, config.special.unk, config.special.cls, config.special.sep, config.special.mask, ...config.additionalSpecialTokens])];
  const idOf = (token: string): number => tokenizer.tokenToId(token)!;
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const { cls, sep } = config.special;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials
      .map((content) => ({ id: idOf(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }))
      .sort((a, b) => a.id - b.id),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: config.tokenizeChineseChars,
      strip_accents: config.stripAccents,
      lowercase: config.doLowerCase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special(cls, 0), sequence('A', 0), special(sep, 0)],
      pair: [special(cls, 0), sequence('A', 0), special(sep, 0), sequence('B', 1), special(sep, 1)],
      special_tokens: Object.fromEntries([cls, sep].map((token) => [token, { id: token, ids: [idOf(token)], tokens: [token] }])),
    },
    decoder: { type: 'WordPiece', prefix: config.continuingSubwordPrefix, cleanup: config.cleanUpTokenizationSpaces },
    model: {
      type: 'WordPiece',
      unk_token: config.special.unk,
      continuing_subword_prefix: config.continuingSubwordPrefix,
      max_input_chars_per_word: config.maxInputCharsPerWord,
      vocab,
    },
  };
}
