/**
 * BERT WordPiece tokenization in plain TypeScript, reproducing Hugging Face's slow `BertTokenizer` token for
 * token (checked against transformers' own output in golden.test.ts) and adding the offsets, word ids and
 * sequence ids of its fast tokenizer. Plain TypeScript rather than a WASM build of `tokenizers`: nothing to
 * fetch or initialise in the worker, offsets already in JS string (UTF-16) units, and the slow tokenizer's
 * rules (NFC first, per-character lower-casing) that the fast one does not follow.
 */
export type { EncodeOptions, Encoding, SpecialTokens, Tokenizer, TokenizerFiles } from './types';
export { BertWordPieceTokenizer, fromVocabTxt } from './bertTokenizer';
export { SubwordTokenizer, type SubwordModel } from './subword';
export { loadTokenizer, byteLevelBpeJson, type TokenizerSourceFiles } from './load';
export { fromTokenizerJson, toTokenizerJson } from './tokenizerJson';
export {
  DEFAULT_TOKENIZER_CONFIG,
  parseTokenizerConfig,
  readTokenizerConfig,
  type SpecialTokenNames,
  type TokenizerConfig,
  type TokenizerConfigInput,
} from './config';
export { TokenizerError, type TokenizerErrorCode } from './errors';
