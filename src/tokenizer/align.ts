/**
 * Offsets for tokenizers that report only their tokens (`@huggingface/tokenizers`): each token is matched back to
 * the source text it came from. Offsets are [start, end) in UTF-16 units, as everywhere in `Encoding`.
 */
import { tokenBytes } from './byteLevel';

export interface AlignedToken {
  offsets: [number, number];
  /** The token begins a pre-tokenizer word (a new regex match for byte-level, a "▁" for SentencePiece). */
  startsWord: boolean;
}

const WHITESPACE = /\s/u;

/** GPT-2's pre-tokenizer: where its words start tells word ids apart. */
const GPT2_WORD = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** Per UTF-8 byte of `text`: the UTF-16 start and end of the character that holds it (index n: the text's end). */
function byteTables(text: string): { bytes: Uint8Array; starts: number[]; ends: number[]; byteAt: Map<number, number> } {
  const bytes = new TextEncoder().encode(text);
  const starts: number[] = [];
  const ends: number[] = [];
  const byteAt = new Map<number, number>();
  let unit = 0;
  for (const char of text) {
    byteAt.set(unit, starts.length);
    const point = char.codePointAt(0)!;
    const width = point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
    for (let k = 0; k < width; k++) {
      starts.push(unit);
      ends.push(unit + char.length);
    }
    unit += char.length;
  }
  byteAt.set(unit, starts.length);
  starts.push(unit);
  ends.push(unit);
  return { bytes, starts, ends, byteAt };
}

/** [start, end) without the whitespace at either end (HF's `trim_offsets`); all-whitespace shrinks to its end. */
function trim(text: string, start: number, end: number): [number, number] {
  let from = start;
  let to = end;
  while (from < to && WHITESPACE.test(text[from])) from++;
  while (to > from && WHITESPACE.test(text[to - 1])) to--;
  return from === to ? [end, end] : [from, to];
}

/**
 * Byte-level tokens (each character one byte, "Ġ" a space) matched byte by byte against the text's UTF-8. A token
 * holding part of a character covers the whole character, as HF's fast tokenizers report it. Bytes the tokenizer
 * added (a prefix space) cover nothing, and whitespace it dropped (an added token's lstrip/rstrip) is stepped over.
 */
export function alignByteLevel(text: string, tokens: readonly string[], isAdded: (token: string) => boolean, trimOffsets: boolean): AlignedToken[] {
  const { bytes, starts, ends, byteAt } = byteTables(text);
  const wordStarts = new Set([...text.matchAll(GPT2_WORD)].map((m) => byteAt.get(m.index)));
  const out: AlignedToken[] = [];
  let b = 0;
  const skipWhitespace = (): void => {
    while (b < bytes.length && WHITESPACE.test(text[starts[b]])) b = byteAt.get(ends[b])!;
  };
  tokens.forEach((token, i) => {
    if (isAdded(token)) {
      const found = text.indexOf(token, starts[b]);
      const start = found < 0 ? starts[b] : found;
      out.push({ offsets: [start, start + token.length], startsWord: true });
      b = byteAt.get(start + token.length) ?? b;
      return;
    }
    const own = tokenBytes(token) ?? [...new TextEncoder().encode(token)];
    let k = 0;
    if (own[0] !== bytes[b]) {
      if (own[0] === 0x20 && (i === 0 || isAdded(tokens[i - 1]))) k = 1;
      else skipWhitespace();
    }
    const first = b;
    b = Math.min(bytes.length, b + own.length - k);
    const span: [number, number] = b > first ? [starts[first], ends[b - 1]] : [starts[first], starts[first]];
    out.push({ offsets: trimOffsets ? trim(text, span[0], span[1]) : span, startsWord: wordStarts.has(first) });
  });
  return out;
}

interface Cluster {
  start: number;
  end: number;
  /** What the normalizer makes of it (NFKC; a whitespace run is one space). */
  normalized: string;
}

/**
 * The text's characters, and its whitespace runs, each with what the normalizer makes of it on its own (a
 * whitespace run: one space). Characters stay one piece with the one before when they normalize together
 * otherwise than apart (NFKC's "e" + U+0301 → "é", half-width "ﾊ" + "ﾟ" → "パ").
 */
function clusters(text: string, from: number, to: number, normalize: (text: string) => string, stripEnds: boolean): Cluster[] {
  const out: Cluster[] = [];
  for (const m of text.slice(from, to).matchAll(/\s+|./gsu)) {
    const start = from + m.index;
    const end = start + m[0].length;
    if (WHITESPACE.test(m[0])) {
      out.push({ start, end, normalized: ' ' });
      continue;
    }
    const own = normalize(m[0]);
    const last = out.at(-1);
    if (last !== undefined && last.normalized !== ' ') {
      const together = normalize(text.slice(last.start, end));
      if (together !== last.normalized + own) {
        last.end = end;
        last.normalized = together;
        continue;
      }
    }
    out.push({ start, end, normalized: own });
  }
  if (stripEnds) {
    if (out.length > 0 && out[0].normalized === ' ') out[0].normalized = '';
    if (out.length > 0 && out[out.length - 1].normalized === ' ') out[out.length - 1].normalized = '';
  }
  return out;
}

/**
 * Tokens of normalized text (SentencePiece: "▁" already turned back into a space) matched against the source's
 * characters, each normalized on its own by `normalize` (the tokenizer's normalizer, whitespace rules aside). A character goes to the token holding the last of what it became
 * (NFKC's "ﬁ" → "f" + "i" goes to "i"), a whitespace run to the space that stands for it; a token of nothing
 * but what the tokenizer added (the "▁" before the first word) is empty at the next character's start. These are
 * SentencePiece's own offsets.
 */
export function alignNormalized(
  text: string,
  tokens: readonly string[],
  isAdded: (token: string) => boolean,
  normalize: (text: string) => string,
  stripEnds: boolean,
): AlignedToken[] {
  const spans: ([number, number] | undefined)[] = tokens.map(() => undefined);
  const cover = (token: number, cluster: Cluster): void => {
    const span = spans[token];
    spans[token] = span === undefined ? [cluster.start, cluster.end] : [Math.min(span[0], cluster.start), Math.max(span[1], cluster.end)];
  };
  let position = 0;
  let first = 0;
  const section = (end: number, until: number): void => {
    let joined = '';
    const owner: number[] = [];
    for (let t = first; t < until; t++) {
      joined += tokens[t];
      for (let k = 0; k < tokens[t].length; k++) owner.push(t);
    }
    let at = 0;
    for (const cluster of clusters(text, position, end, normalize, stripEnds)) {
      const { normalized } = cluster;
      if (normalized === '') continue;
      while (at < joined.length && joined[at] === ' ' && normalized !== ' ' && !joined.startsWith(normalized, at)) at++;
      if (joined.startsWith(normalized, at)) {
        at += normalized.length;
        cover(owner[at - 1], cluster);
      } else if (normalized !== ' ' && at < joined.length) {
        // The text as a whole normalized otherwise than character by character: keep going from here.
        cover(owner[at], cluster);
        at = Math.min(joined.length, at + normalized.length);
      }
    }
  };
  tokens.forEach((token, i) => {
    if (!isAdded(token)) return;
    const found = text.indexOf(token, position);
    const start = found < 0 ? position : found;
    section(start, i);
    spans[i] = [start, start + token.length];
    position = start + token.length;
    first = i + 1;
  });
  section(text.length, tokens.length);

  let next = text.length;
  const offsets: [number, number][] = new Array(tokens.length);
  for (let i = tokens.length - 1; i >= 0; i--) {
    offsets[i] = spans[i] ?? [next, next];
    next = offsets[i][0];
  }
  return tokens.map((token, i) => ({ offsets: offsets[i], startsWord: isAdded(token) || token.startsWith(' ') }));
}
