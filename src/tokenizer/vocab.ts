import { TokenizerError } from './errors';

/** Token ↔ id table. Ids need not be contiguous; `size` is the largest id + 1 (the embedding rows needed). */
export class Vocab {
  readonly size: number;
  /** Longest token in UTF-16 units: WordPiece never needs to try a longer substring. */
  readonly maxTokenLength: number;
  private readonly byToken: Map<string, number>;
  private readonly byId: (string | undefined)[];

  private constructor(byToken: Map<string, number>, byId: (string | undefined)[]) {
    this.byToken = byToken;
    this.byId = byId;
    this.size = byId.length;
    let longest = 0;
    for (const token of byToken.keys()) longest = Math.max(longest, token.length);
    this.maxTokenLength = longest;
  }

  /** One token per id, id = index. A repeated token keeps its last id, as HF's `load_vocab` does. */
  static fromTokens(tokens: readonly string[]): Vocab {
    if (tokens.length === 0) throw new TokenizerError('bad-vocab', 'The vocabulary is empty.');
    const byToken = new Map<string, number>();
    tokens.forEach((token, id) => byToken.set(token, id));
    return new Vocab(byToken, [...tokens]);
  }

  /** A tokenizer.json `model.vocab` object: token → id. */
  static fromIds(vocab: Record<string, unknown>): Vocab {
    const byToken = new Map<string, number>();
    const byId: (string | undefined)[] = [];
    for (const [token, id] of Object.entries(vocab)) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
        throw new TokenizerError('bad-vocab', `Vocabulary token ${JSON.stringify(token)} has id ${JSON.stringify(id)}; ids must be integers ≥ 0.`);
      }
      if (byId[id] !== undefined) {
        throw new TokenizerError('bad-vocab', `Vocabulary id ${id} is given to both ${JSON.stringify(byId[id])} and ${JSON.stringify(token)}.`);
      }
      byToken.set(token, id);
      byId[id] = token;
    }
    if (byToken.size === 0) throw new TokenizerError('bad-vocab', 'The vocabulary is empty.');
    return new Vocab(byToken, byId);
  }

  id(token: string): number | undefined {
    return this.byToken.get(token);
  }

  token(id: number): string | undefined {
    return Number.isInteger(id) && id >= 0 ? this.byId[id] : undefined;
  }
}

/**
 * Lines of a vocab.txt: one token per line, id = line index. Accepts LF, CRLF and CR line ends (Python
 * reads text files with universal newlines), a UTF-8 byte-order mark, and blank lines at the end; blank
 * lines elsewhere are tokens (the empty string) so that later ids stay right.
 */
export function parseVocabTxt(text: string): string[] {
  if (typeof text !== 'string') throw new TokenizerError('bad-vocab', 'vocab.txt must be text.');
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\r|\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new TokenizerError('bad-vocab', 'vocab.txt is empty.');
  if (lines.some((line) => line.includes('\0'))) {
    throw new TokenizerError('bad-vocab', 'vocab.txt contains NUL bytes: is it a binary file?');
  }
  return lines;
}
