export type { EncodeOptions, Encoding, SpecialTokens, Tokenizer } from './types';
export { BertWordPieceTokenizer, fromVocabTxt } from './bertTokenizer';
export { fromTokenizerJson } from './tokenizerJson';
export {
  DEFAULT_TOKENIZER_CONFIG,
  parseTokenizerConfig,
  type SpecialTokenNames,
  type TokenizerConfig,
  type TokenizerConfigInput,
} from './config';
export { TokenizerError, type TokenizerErrorCode } from './errors';
