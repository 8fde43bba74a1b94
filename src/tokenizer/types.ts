/** One tokenized example, ready for the model. All arrays have the same length. */
export interface Encoding {
  inputIds: number[];
  tokenTypeIds: number[];
  attentionMask: number[];
  /** Token strings as in the vocabulary (e.g. "[CLS]", "play", "##ing"). */
  tokens: string[];
  /** [start, end) character offsets into the source text of its sequence; [0, 0] for special tokens and padding. */
  offsets: [number, number][];
  /** 0 for the first text, 1 for the pair, null for special tokens and padding. */
  sequenceIds: (0 | 1 | null)[];
  /** Index of the whitespace/punctuation word a token came from (within its sequence), null for specials/padding. */
  wordIds: (number | null)[];
  /** 1 for [CLS]/[SEP]/[PAD] (and other special tokens), 0 for ordinary tokens. */
  specialTokensMask: number[];
}

export interface EncodeOptions {
  /** Truncate to this many tokens including specials (longest_first between text and pair). */
  maxLength?: number;
  /** Pad with [PAD] up to maxLength (or to `padTo` when given). */
  padding?: boolean;
  padTo?: number;
}

export interface SpecialTokens {
  pad: number;
  unk: number;
  cls: number;
  sep: number;
  mask: number;
}

export interface Tokenizer {
  readonly vocabSize: number;
  readonly special: SpecialTokens;
  encode(text: string, pair?: string, options?: EncodeOptions): Encoding;
  /** Token id → vocabulary string; "[UNK]" for ids out of range. */
  idToToken(id: number): string;
  tokenToId(token: string): number | undefined;
  /** Joins word pieces back into readable text (removes "##" joins), skipping special tokens when asked. */
  decode(ids: number[], skipSpecialTokens?: boolean): string;
}
