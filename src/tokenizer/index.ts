/**
 * Text to token ids for every family. WordPiece: plain TypeScript reproducing Hugging Face's slow `BertTokenizer`
 * token for token (checked against transformers' own output in golden.test.ts), with the offsets, word ids and
 * sequence ids of its fast tokenizer; plain TypeScript for the slow tokenizer's rules (NFC first, per-character
 * lower-casing) that the fast one does not follow. Byte-level BPE and SentencePiece Unigram: `@huggingface/tokenizers`
 * for the tokens, aligned back to the text here for offsets (checked against independent references in
 * subword.test.ts). `loadTokenizer` picks between them by the files.
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
