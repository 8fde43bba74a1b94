/** What went wrong, as a stable code the UI can switch on; the message is for people. */
export type TokenizerErrorCode =
  /** vocab.txt or a tokenizer.json vocabulary that cannot be read. */
  | 'bad-vocab'
  /** tokenizer_config.json or tokenizer.json with a field of the wrong type. */
  | 'bad-config'
  /** A well-formed file describing a tokenizer the studio does not reproduce (its message names the file and field). */
  | 'unsupported'
  /** A special token (unk, cls, sep, pad, mask, ...) that the vocabulary lacks. */
  | 'missing-special-token'
  /** Text that is not a string, or encode options out of range. */
  | 'bad-input';

/** The one error type `src/tokenizer` throws for bad files, bad options and bad input. */
export class TokenizerError extends Error {
  readonly code: TokenizerErrorCode;

  constructor(code: TokenizerErrorCode, message: string) {
    super(message);
    this.name = 'TokenizerError';
    this.code = code;
  }
}
