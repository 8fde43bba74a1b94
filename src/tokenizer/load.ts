import { fromVocabTxt } from './bertTokenizer';
import { type TokenizerConfigInput, isObject, isWordPieceClass, parseJsonInput, readTokenizerConfig, resolveConfig } from './config';
import { TokenizerError } from './errors';
import { SubwordTokenizer } from './subword';
import { fromTokenizerJson } from './tokenizerJson';
import type { Tokenizer } from './types';

/** A checkpoint's tokenizer files as text, as many as it has. */
export interface TokenizerSourceFiles {
  'tokenizer.json'?: string;
  'vocab.txt'?: string;
  'vocab.json'?: string;
  'merges.txt'?: string;
  'tokenizer_config.json'?: string;
}

/**
 * The tokenizer a checkpoint's files describe: WordPiece (vocab.txt, or tokenizer.json with a WordPiece model) as
 * BertWordPieceTokenizer; byte-level BPE (tokenizer.json, or RoBERTa's vocab.json + merges.txt) and SentencePiece
 * Unigram (tokenizer.json) as SubwordTokenizer. vocab.txt wins over tokenizer.json for WordPiece: it is what the
 * slow BertTokenizer, which BertWordPieceTokenizer reproduces, reads.
 */
export function loadTokenizer(files: TokenizerSourceFiles): Tokenizer {
  const read = files['tokenizer_config.json'] === undefined ? undefined : readTokenizerConfig(files['tokenizer_config.json']);
  const config = read?.config ?? {};
  const tokenizerClass = read?.tokenizerClass;
  const wordPieceClass = tokenizerClass === undefined || isWordPieceClass(tokenizerClass);
  const json = files['tokenizer.json'] === undefined ? undefined : parseJsonInput(files['tokenizer.json'], 'tokenizer.json');

  if (tokenizerClass?.replace(/Fast$/, '') === 'BertJapaneseTokenizer') return japanese(files, config);
  if (files['vocab.txt'] !== undefined && wordPieceClass) return fromVocabTxt(files['vocab.txt'], resolveConfig(config));
  if (json !== undefined) {
    const type = isObject(json.model) ? json.model.type : undefined;
    if (type === 'WordPiece') {
      if (!wordPieceClass) throw new TokenizerError('unsupported', `tokenizer_config.json: tokenizer_class "${tokenizerClass}" does not match tokenizer.json's WordPiece model.`);
      return fromTokenizerJson(json, resolveConfig(config));
    }
    if (type === 'BPE' || type === 'Unigram') return new SubwordTokenizer(json, config);
    throw new TokenizerError('unsupported', `tokenizer.json: model.type ${JSON.stringify(type) ?? 'is missing'}; WordPiece, BPE and Unigram are supported.`);
  }
  if (files['vocab.json'] !== undefined || files['merges.txt'] !== undefined) {
    if (files['merges.txt'] === undefined) throw new TokenizerError('bad-vocab', 'vocab.json needs merges.txt beside it (a byte-level BPE tokenizer), or a tokenizer.json.');
    if (files['vocab.json'] === undefined) throw new TokenizerError('bad-vocab', 'merges.txt needs vocab.json beside it (a byte-level BPE tokenizer), or a tokenizer.json.');
    return new SubwordTokenizer(byteLevelBpeJson(files['vocab.json'], files['merges.txt'], config), config);
  }
  if (files['vocab.txt'] !== undefined) {
    throw new TokenizerError('unsupported', `tokenizer_config.json: tokenizer_class "${tokenizerClass}" is not a WordPiece tokenizer, but the only tokenizer file is vocab.txt; a tokenizer.json is needed.`);
  }
  throw new TokenizerError('bad-vocab', 'No tokenizer file: tokenizer.json, vocab.txt, or vocab.json with merges.txt is needed.');
}

/**
 * Tohoku's BertJapaneseTokenizer: the character-level one (`subword_tokenizer_type: "character"`) is read; the
 * word-level ones split words with MeCab and a dictionary of tens of megabytes, which is not run here.
 */
function japanese(files: TokenizerSourceFiles, config: TokenizerConfigInput): Tokenizer {
  const raw = parseJsonInput(files['tokenizer_config.json'], 'tokenizer_config.json');
  const subword = raw.subword_tokenizer_type ?? 'wordpiece';
  const word = raw.word_tokenizer_type ?? 'basic';
  if (subword !== 'character') {
    throw new TokenizerError(
      'unsupported',
      `tokenizer_config.json: BertJapaneseTokenizer with word_tokenizer_type "${String(word)}" and subword_tokenizer_type "${String(subword)}" splits words with ${word === 'mecab' ? 'MeCab and its dictionary' : `the "${String(word)}" word tokenizer`}, which the studio does not run; the character-level models (subword_tokenizer_type "character", e.g. tohoku-nlp/bert-base-japanese-char-v3) are supported.`,
    );
  }
  if (files['vocab.txt'] === undefined) throw new TokenizerError('bad-vocab', 'BertJapaneseTokenizer needs vocab.txt.');
  // BertJapaneseTokenizer keeps case unless told otherwise, unlike BertTokenizer.
  return fromVocabTxt(files['vocab.txt'], resolveConfig({ ...config, doLowerCase: config.doLowerCase ?? false, characterLevel: true }));
}

/**
 * The tokenizer.json that Hugging Face's RobertaTokenizerFast builds from RoBERTa's vocab.json and merges.txt:
 * byte-level pre-tokenizer without a prefix space, `<s> A </s></s> B </s>`, `<mask>` taking the spaces before it.
 */
export function byteLevelBpeJson(vocabJson: string, mergesTxt: string, config: TokenizerConfigInput = {}): Record<string, unknown> {
  const vocab = parseJsonInput(vocabJson, 'vocab.json');
  const merges = mergesTxt
    .split(/\r?\n/)
    .filter((line, i) => line.trim() !== '' && !(i === 0 && line.startsWith('#version')));
  merges.forEach((line, i) => {
    if (line.split(' ').length !== 2) throw new TokenizerError('bad-vocab', `merges.txt line ${i + 1} must be two tokens separated by a space, not ${JSON.stringify(line)}.`);
  });
  const names = { cls: '<s>', sep: '</s>', unk: '<unk>', pad: '<pad>', mask: '<mask>', ...config.special };
  const idOf = (token: string, role: string): number => {
    const id = vocab[token];
    if (!Number.isInteger(id)) throw new TokenizerError('missing-special-token', `vocab.json lacks the ${role} token ${JSON.stringify(token)}.`);
    return id as number;
  };
  const specials = [...new Set([names.cls, names.pad, names.sep, names.unk, names.mask])];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content) => ({ id: idOf(content, 'special'), content, single_word: false, lstrip: content === names.mask, rstrip: false, normalized: false, special: true })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: [names.sep, idOf(names.sep, 'sep')], cls: [names.cls, idOf(names.cls, 'cls')], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}
