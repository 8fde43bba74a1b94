/** One tokenized example, ready for the model. All arrays have the same length. */
export interface Encoding {
  inputIds: number[];
  tokenTypeIds: number[];
  attentionMask: number[];
  /** Token strings as in the vocabulary (e.g. "[CLS]", "play", "##ing"). */
  tokens: string[];
  /**
   * [start, end) offsets into the source text of its sequence, in UTF-16 code units (JS string indices);
   * [0, 0] for [CLS]/[SEP]/[PAD]. A piece covers the source characters it was normalized from (accents and
   * case included), an [UNK] word the whole word; special tokens written in the text cover themselves.
   */
  offsets: [number, number][];
  /** 0 for the first text, 1 for the pair, null for [CLS]/[SEP]/[PAD] (special tokens written in the text keep their sequence). */
  sequenceIds: (0 | 1 | null)[];
  /**
   * Index of the whitespace/punctuation word a token came from (within its sequence; each CJK ideograph and
   * each special token written in the text is a word of its own), null for [CLS]/[SEP]/[PAD].
   */
  wordIds: (number | null)[];
  /** 1 for [CLS]/[SEP]/[PAD] (and other special tokens), 0 for ordinary tokens. */
  specialTokensMask: number[];
}

export interface EncodeOptions {
  /** Truncate to this many tokens including specials (longest_first between text and pair). */
  maxLength?: number;
  /** Pad with [PAD] up to maxLength (or to `padTo` when given). */
  padding?: boolean;
  /** Pad up to this many tokens (needs no `padding: true`; `padding: false` turns it off). Never truncates. */
  padTo?: number;
}

export interface SpecialTokens {
  pad: number;
  unk: number;
  cls: number;
  sep: number;
  mask: number;
}

/** What a saved checkpoint folder holds for its tokenizer. */
export interface TokenizerFiles {
  /** File name → text: tokenizer.json always, plus vocab.txt (WordPiece) or vocab.json and merges.txt (byte-level BPE). */
  files: Record<string, string>;
  /**
   * tokenizer_config.json's fields for this tokenizer (special tokens, casing, …), without model_max_length, and
   * without tokenizer_class unless the tokenizer is not its model family's (BertJapaneseTokenizer).
   */
  config: Record<string, unknown>;
  /** special_tokens_map.json. */
  specialTokens: Record<string, string>;
}

export interface Tokenizer {
  readonly vocabSize: number;
  readonly special: SpecialTokens;
  /** The longest input the model takes, when its config says; encode does not apply it by itself. */
  readonly modelMaxLength?: number;
  encode(text: string, pair?: string, options?: EncodeOptions): Encoding;
  /** Token id → vocabulary string; "[UNK]" for ids out of range. */
  idToToken(id: number): string;
  tokenToId(token: string): number | undefined;
  /** Joins word pieces back into readable text (removes "##" joins), skipping special tokens when asked. */
  decode(ids: number[], skipSpecialTokens?: boolean): string;
  /**
   * A vocabulary token as a person reads it, for labels on the page: byte-level BPE's bytes decoded ("Ġcat" →
   * " cat"), SentencePiece's "▁" as a space; WordPiece tokens as they are ("##ing").
   */
  tokenText(token: string): string;
  /** The files that save this tokenizer (what `loadTokenizer` reads back). */
  saveFiles(): TokenizerFiles;
}
