/**
 * The two analyzers of the baseline's features, as scikit-learn's TfidfVectorizer defines them, hashed the way
 * its HashingVectorizer hashes (MurmurHash3 of each n-gram's UTF-8 bytes, see murmur.ts):
 *
 * - word 1–2-grams: lowercase, tokens are runs of 2+ word characters (`(?u)\b\w\w+\b`), bigrams join two
 *   neighbouring tokens with one space;
 * - character 3–5-grams within word boundaries (`analyzer='char_wb'`): lowercase, split on whitespace, pad
 *   each word with one space on each side, and take its n-grams; a padded word shorter than n is one n-gram
 *   on its own, and is counted once, not once per n.
 *
 * Both walk UTF-8 bytes in a reused buffer, so no n-gram string is ever built: the hash reads byte ranges.
 */
import { hashColumn, murmurhash3 } from './murmur';

/** Receives the hashed column of each n-gram occurrence. */
export type ColumnSink = (column: number) => void;

/** Python's `\w` (str.isalnum() or "_"): letters, numbers and the underscore; combining marks are not. */
const WORD_TOKEN = /[\p{L}\p{N}_]{2,}/gu;

/**
 * The runs between Python's str.split() whitespace (str.isspace()), which differs from JS `\s`: it includes the
 * separators \x1c–\x1f and \x85, and not \ufeff.
 */
// eslint-disable-next-line no-control-regex -- the control characters \x1c–\x1f are whitespace to Python
const NON_SPACE = /[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/gu;

const SPACE = 0x20;
const CHAR_NGRAMS = { min: 3, max: 5 } as const;

/** Scratch space reused by every call: the analyzers run on one thread and never nest. */
let bytes = new Uint8Array(256);
let starts = new Int32Array(64);

function reserve(byteCount: number, pointCount: number): void {
  if (bytes.length < byteCount) bytes = grow(bytes, byteCount, (n) => new Uint8Array(n));
  if (starts.length < pointCount) starts = grow(starts, pointCount, (n) => new Int32Array(n));
}

function grow<T extends Uint8Array | Int32Array>(old: T, needed: number, make: (n: number) => T): T {
  const next = make(Math.max(needed, old.length * 2));
  next.set(old);
  return next;
}

/**
 * Writes `text` as UTF-8 at `at` (lone surrogates as U+FFFD, as TextEncoder does) and, when `points` is given,
 * the byte offset of each code point at points[pointAt + i]; returns [end byte, code points written].
 */
function writeUtf8(text: string, at: number, points: boolean, pointAt = 0): [number, number] {
  reserve(at + text.length * 3, pointAt + text.length + 1);
  let end = at;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (points) starts[pointAt + count] = end;
    count++;
    if (c < 0x80) {
      bytes[end++] = c;
    } else if (c < 0x800) {
      bytes[end++] = 0xc0 | (c >> 6);
      bytes[end++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      bytes[end++] = 0xe0 | (c >> 12);
      bytes[end++] = 0x80 | ((c >> 6) & 0x3f);
      bytes[end++] = 0x80 | (c & 0x3f);
    } else {
      bytes[end++] = 0xf0 | (c >> 18);
      bytes[end++] = 0x80 | ((c >> 12) & 0x3f);
      bytes[end++] = 0x80 | ((c >> 6) & 0x3f);
      bytes[end++] = 0x80 | (c & 0x3f);
    }
  }
  return [end, count];
}

/** Emits the column of every word unigram and bigram of `text` (sklearn analyzer='word', ngram_range=(1, 2)). */
export function wordNgrams(text: string, numFeatures: number, emit: ColumnSink): void {
  const lower = text.toLowerCase();
  // The buffer holds "previous token, space, current token", so a bigram is one contiguous byte range.
  let previousEnd = -1;
  for (const match of lower.matchAll(WORD_TOKEN)) {
    const tokenStart = previousEnd < 0 ? 0 : previousEnd + 1;
    const [end] = writeUtf8(match[0], tokenStart, false);
    emit(hashColumn(murmurhash3(bytes, tokenStart, end), numFeatures));
    if (previousEnd >= 0) {
      bytes[previousEnd] = SPACE;
      emit(hashColumn(murmurhash3(bytes, 0, end), numFeatures));
      bytes.copyWithin(0, tokenStart, end);
    }
    previousEnd = end - tokenStart;
  }
}

/** Emits the column of every character 3–5-gram of `text` within word boundaries (sklearn analyzer='char_wb'). */
export function charWbNgrams(text: string, numFeatures: number, emit: ColumnSink): void {
  const lower = text.toLowerCase();
  for (const match of lower.matchAll(NON_SPACE)) {
    reserve(1, 1);
    bytes[0] = SPACE;
    starts[0] = 0;
    const [wordEnd, wordPoints] = writeUtf8(match[0], 1, true, 1);
    reserve(wordEnd + 1, wordPoints + 3);
    bytes[wordEnd] = SPACE;
    starts[wordPoints + 1] = wordEnd;
    const length = wordPoints + 2; // code points of " word "
    starts[length] = wordEnd + 1;
    for (let n = CHAR_NGRAMS.min; n <= CHAR_NGRAMS.max; n++) {
      let offset = 0;
      emit(hashColumn(murmurhash3(bytes, 0, starts[Math.min(n, length)]), numFeatures));
      while (offset + n < length) {
        offset++;
        emit(hashColumn(murmurhash3(bytes, starts[offset], starts[offset + n]), numFeatures));
      }
      if (offset === 0) break; // the whole padded word fit in one n-gram: longer n would repeat it
    }
  }
}
