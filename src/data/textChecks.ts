/** Per-text checks for the data-quality report: too short, not prose, markup, broken encoding. */

/** Why a text does not look like natural language. */
export type JunkKind = 'url-only' | 'base64' | 'symbols';

const MIN_CHARS = 3;
/** Below this share of letters among non-space characters a text is "mostly symbols or digits". */
const MIN_LETTER_SHARE = 0.4;
/** Texts shorter than this (non-space) are judged by the length checks, not the letter share. */
const MIN_SYMBOL_CHECK = 4;
/** A base64/hex blob is a run of at least this many characters from the base64 alphabet… */
const MIN_BLOB = 32;
/** …that makes up at least this share of the text's non-space characters. */
const MIN_BLOB_SHARE = 0.5;

const URL_ONLY = /^(?:(?:https?:\/\/|www\.)\S+\s*)+$/i;
const BLOB = new RegExp(`[A-Za-z0-9+/=_-]{${MIN_BLOB},}`, 'g');
const NON_LETTER = /[^\p{L}]+/gu;
const TWO_WORDS = /\S\s+\S/;
/** Scripts written without spaces between words, where a word count means nothing. */
const UNSPACED_SCRIPT = new RegExp(
  `[${['Han', 'Hiragana', 'Katakana', 'Thai', 'Lao', 'Khmer', 'Myanmar'].map((s) => `\\p{Script=${s}}`).join('')}]`,
  'u',
);
const HTML_TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;
/**
 * UTF-8 read as Latin-1/Windows-1252: "Ã©" for é, "â€™" for ’, "Â " for a no-break space; and U+FFFD,
 * the replacement character a decoder leaves for invalid bytes.
 */
const MOJIBAKE = /Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]|â€|\ufffd/;

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** Non-blank but under 3 characters or under 2 words (word counts skip scripts written without spaces). */
export function isTooShort(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  if (t.length < MIN_CHARS) return true;
  return !UNSPACED_SCRIPT.test(t) && !TWO_WORDS.test(t);
}

function nonSpaceLength(text: string): number {
  return text.replace(/\s+/g, '').length;
}

function isBlob(run: string): boolean {
  return /\d/.test(run) && /[A-Za-z]/.test(run);
}

/** The first reason the text is not prose, if any. */
export function junkKind(text: string): JunkKind | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (URL_ONLY.test(t)) return 'url-only';
  const chars = nonSpaceLength(t);
  const blobChars = (t.match(BLOB) ?? []).filter(isBlob).reduce((n, run) => n + run.length, 0);
  if (blobChars >= MIN_BLOB && blobChars >= MIN_BLOB_SHARE * chars) return 'base64';
  const letters = t.replace(NON_LETTER, '').length;
  if (chars >= MIN_SYMBOL_CHECK && letters < MIN_LETTER_SHARE * chars) return 'symbols';
  return undefined;
}

export function hasHtml(text: string): boolean {
  return HTML_TAG.test(text);
}

export function hasMojibake(text: string): boolean {
  return MOJIBAKE.test(text);
}
