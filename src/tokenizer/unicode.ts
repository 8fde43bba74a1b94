/**
 * Character classes exactly as Hugging Face's slow BertTokenizer defines them (`_is_control`,
 * `_is_whitespace`, `_is_punctuation`, `_is_chinese_char`, and Python's `str.split()` whitespace).
 * Classes are computed once per BMP code point and cached, because regex tests per character are the
 * slowest part of tokenizing non-ASCII text.
 */

/**
 * Dropped by `_clean_text`: NUL, U+FFFD and what HF's `_is_control` accepts, every C* category except
 * \t \n \r: controls (Cc), format chars (Cf), lone surrogates (Cs), private use (Co) and unassigned
 * code points (Cn, which depends on the Unicode version of the runtime, as in Python).
 */
export const REMOVED = 1;
/** Separates words: `_is_whitespace` (space, \t, \n, \r, Zs) plus what Python's `str.split()` also splits on. */
export const SPACE = 2;
/** One of the CJK ideograph blocks of `_is_chinese_char` (not kana, not hangul). */
export const CHINESE = 4;
/** `_is_punctuation`: ASCII 33–47, 58–64, 91–96, 123–126, or any Unicode P* category. */
export const PUNCT = 8;
/** Category Mn (nonspacing mark): removed by accent stripping. */
export const MN = 16;
/** Any mark (M*) or a Hangul medial/final jamo: may compose with the character before it under NFC. */
export const JOINS = 32;

const COMPUTED = 128;

const CONTROL_RE = /^\p{C}$/u;
const ZS_RE = /^\p{Zs}$/u;
const PUNCT_RE = /^\p{P}$/u;
const MN_RE = /^\p{Mn}$/u;
const MARK_RE = /^\p{M}$/u;

/** Chars Python's `str.isspace()` accepts beyond Zs and \t\n\r (bidi classes B, S, WS): only these survive cleaning. */
const PYTHON_EXTRA_SPACE = new Set([0x2028, 0x2029]);

export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function isAsciiPunct(cp: number): boolean {
  return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
}

function isHangulJoiningJamo(cp: number): boolean {
  return (cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11a8 && cp <= 0x11c2);
}

function computeClass(cp: number): number {
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d || cp === 0x20) return SPACE;
  const ch = String.fromCodePoint(cp);
  if (cp === 0 || cp === 0xfffd || CONTROL_RE.test(ch)) return REMOVED;
  if (ZS_RE.test(ch) || PYTHON_EXTRA_SPACE.has(cp)) return SPACE;
  let flags = 0;
  if (isChineseChar(cp)) flags |= CHINESE;
  if (isAsciiPunct(cp) || PUNCT_RE.test(ch)) flags |= PUNCT;
  if (MN_RE.test(ch)) flags |= MN;
  if (MARK_RE.test(ch) || isHangulJoiningJamo(cp)) flags |= JOINS;
  return flags;
}

const bmpCache = new Uint8Array(0x10000);

/** Bit set of REMOVED | SPACE | CHINESE | PUNCT | MN | JOINS for one code point. */
export function charClass(cp: number): number {
  if (cp > 0xffff) return computeClass(cp);
  const cached = bmpCache[cp];
  if (cached !== 0) return cached & ~COMPUTED;
  const flags = computeClass(cp);
  bmpCache[cp] = flags | COMPUTED;
  return flags;
}

/** Code point at UTF-16 index `i`, reading a surrogate pair as one code point (lone surrogates as themselves). */
export function codePointAt(text: string, i: number): number {
  const hi = text.charCodeAt(i);
  if (hi >= 0xd800 && hi <= 0xdbff && i + 1 < text.length) {
    const lo = text.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return (hi - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
  }
  return hi;
}

/** UTF-16 length of a code point. */
export function unitLength(cp: number): number {
  return cp > 0xffff ? 2 : 1;
}
