import { CHINESE, JOINS, MN, PUNCT, REMOVED, SPACE, charClass, codePointAt, unitLength } from './unicode';

/**
 * Hugging Face's slow `BasicTokenizer` (plus the lower-casing `PreTrainedTokenizer.tokenize` does first),
 * keeping for every output character the span of the source characters it came from:
 *   clean text → space out CJK ideographs → NFC → split on whitespace → lower-case → NFD and drop Mn
 *   → split off punctuation → split on whitespace again.
 * HF lower-cases one character at a time (a regex substitution over the text), so a final capital
 * sigma becomes "σ", never "ς"; lower-casing per code point here gives the same.
 */

export interface BasicOptions {
  doLowerCase: boolean;
  /** Already resolved: HF's `strip_accents: None` means "same as do_lower_case". */
  stripAccents: boolean;
  tokenizeChineseChars: boolean;
  /** Words kept whole (no accent stripping, no punctuation split, no WordPiece). */
  neverSplit: ReadonlySet<string>;
}

/** One word after basic tokenization, with where each of its UTF-16 units came from in the source text. */
export interface Word {
  text: string;
  /** Source [start, end) of the whole word. */
  start: number;
  end: number;
  /** Source start/end of each UTF-16 unit of `text`; null when unit i came from source unit `start + i`. */
  unitStarts: number[] | null;
  unitEnds: number[] | null;
  /** A never_split word: looked up in the vocabulary whole, without WordPiece. */
  neverSplit: boolean;
}

/** Source [start, end) of the UTF-16 units [from, to) of a word. */
export function wordSpan(word: Word, from: number, to: number): [number, number] {
  if (word.unitStarts === null || word.unitEnds === null) return [word.start + from, word.start + to];
  return [word.unitStarts[from], word.unitEnds[to - 1]];
}

/** Characters in flight through normalization: one code point each, with its source span. */
interface Chars {
  ch: string[];
  starts: number[];
  ends: number[];
}

function emptyChars(): Chars {
  return { ch: [], starts: [], ends: [] };
}

function pushChar(out: Chars, ch: string, start: number, end: number): void {
  out.ch.push(ch);
  out.starts.push(start);
  out.ends.push(end);
}

/** Pushes every code point of `text` with the same source span. */
function pushAll(out: Chars, text: string, start: number, end: number): void {
  for (const ch of text) pushChar(out, ch, start, end);
}

/**
 * NFC or NFD one cluster at a time (a base character and the marks/jamo that can join it), so that each
 * output character maps back to its cluster. Canonical composition and reordering never cross a cluster
 * boundary (every non-zero combining class is a mark, and every non-mark second half of a composition is
 * a Hangul jamo), so the joined result equals normalizing the whole word.
 */
function normalizeClusters(chars: Chars, form: 'NFC' | 'NFD'): Chars {
  const out = emptyChars();
  const n = chars.ch.length;
  let k = 0;
  while (k < n) {
    let m = k + 1;
    while (m < n && (charClass(chars.ch[m].codePointAt(0) as number) & JOINS) !== 0) m++;
    const cluster = m === k + 1 ? chars.ch[k] : chars.ch.slice(k, m).join('');
    const normalized = cluster.normalize(form);
    // Characters the normalization left in place keep their own spans; the rest share the span of
    // the characters they were made from (so "<" before a decomposed vowel sign stays just "<").
    let kept = k;
    let used = 0;
    while (kept < m && normalized.startsWith(chars.ch[kept], used)) {
      pushChar(out, chars.ch[kept], chars.starts[kept], chars.ends[kept]);
      used += chars.ch[kept].length;
      kept++;
    }
    if (kept < m) pushAll(out, normalized.slice(used), chars.starts[kept], chars.ends[m - 1]);
    k = m;
  }
  return out;
}

function lowerChars(chars: Chars): Chars {
  const out = emptyChars();
  for (let j = 0; j < chars.ch.length; j++) {
    const lowered = chars.ch[j].toLowerCase();
    // Some capitals lower to several code points ("İ" → "i" + U+0307): each keeps the capital's span.
    if (lowered === chars.ch[j]) pushChar(out, lowered, chars.starts[j], chars.ends[j]);
    else pushAll(out, lowered, chars.starts[j], chars.ends[j]);
  }
  return out;
}

function stripAccents(chars: Chars): Chars {
  const decomposed = normalizeClusters(chars, 'NFD');
  const out = emptyChars();
  for (let j = 0; j < decomposed.ch.length; j++) {
    if ((charClass(decomposed.ch[j].codePointAt(0) as number) & MN) === 0) {
      pushChar(out, decomposed.ch[j], decomposed.starts[j], decomposed.ends[j]);
    }
  }
  return out;
}

function charsToWord(chars: Chars, from: number, to: number, neverSplit: boolean): Word {
  const unitStarts: number[] = [];
  const unitEnds: number[] = [];
  let text = '';
  for (let j = from; j < to; j++) {
    text += chars.ch[j];
    for (let u = 0; u < chars.ch[j].length; u++) {
      unitStarts.push(chars.starts[j]);
      unitEnds.push(chars.ends[j]);
    }
  }
  return { text, start: unitStarts[0], end: unitEnds[unitEnds.length - 1], unitStarts, unitEnds, neverSplit };
}

export class BasicTokenizer {
  private readonly options: BasicOptions;

  constructor(options: BasicOptions) {
    this.options = options;
  }

  /** Words of `text.slice(from, to)`, with offsets into `text`. */
  tokenize(text: string, from = 0, to = text.length): Word[] {
    const words: Word[] = [];
    const cps: number[] = [];
    const pos: number[] = [];
    let simple = true;
    const flush = (): void => {
      if (cps.length === 0) return;
      if (simple) this.asciiWord(text.slice(pos[0], pos[pos.length - 1] + 1), pos[0], words);
      else this.unicodeWord(text, cps, pos, words);
      cps.length = 0;
      pos.length = 0;
      simple = true;
    };
    let i = from;
    while (i < to) {
      const cp = codePointAt(text, i);
      const cls = charClass(cp);
      if ((cls & REMOVED) !== 0) {
        if (cps.length > 0) simple = false;
      } else if ((cls & SPACE) !== 0) {
        flush();
      } else if ((cls & CHINESE) !== 0 && this.options.tokenizeChineseChars) {
        flush();
        cps.push(cp);
        pos.push(i);
        simple = false;
        flush();
      } else {
        if (cp >= 0x80) simple = false;
        cps.push(cp);
        pos.push(i);
      }
      i += unitLength(cp);
    }
    flush();
    return words;
  }

  /** A contiguous all-ASCII word: normalization cannot change its length, so offsets stay affine. */
  private asciiWord(raw: string, start: number, out: Word[]): void {
    const text = this.options.doLowerCase ? raw.toLowerCase() : raw;
    if (this.options.neverSplit.has(text)) {
      out.push({ text, start, end: start + text.length, unitStarts: null, unitEnds: null, neverSplit: true });
      return;
    }
    let runStart = 0;
    const push = (from: number, to: number): void => {
      if (to > from) {
        const piece = from === 0 && to === text.length ? text : text.slice(from, to);
        out.push({ text: piece, start: start + from, end: start + to, unitStarts: null, unitEnds: null, neverSplit: false });
      }
    };
    for (let j = 0; j < text.length; j++) {
      if ((charClass(text.charCodeAt(j)) & PUNCT) !== 0) {
        push(runStart, j);
        push(j, j + 1);
        runStart = j + 1;
      }
    }
    push(runStart, text.length);
  }

  private unicodeWord(text: string, cps: number[], pos: number[], out: Word[]): void {
    let chars = emptyChars();
    for (let j = 0; j < cps.length; j++) {
      const len = unitLength(cps[j]);
      pushChar(chars, text.slice(pos[j], pos[j] + len), pos[j], pos[j] + len);
    }
    const raw = chars.ch.join('');
    if (raw.normalize('NFC') !== raw) chars = normalizeClusters(chars, 'NFC');
    if (this.options.doLowerCase) chars = lowerChars(chars);
    if (this.options.neverSplit.size > 0 && this.options.neverSplit.has(chars.ch.join(''))) {
      out.push(charsToWord(chars, 0, chars.ch.length, true));
      return;
    }
    if (this.options.stripAccents) chars = stripAccents(chars);
    let runStart = 0;
    const push = (from: number, to: number): void => {
      if (to > from) out.push(charsToWord(chars, from, to, false));
    };
    for (let j = 0; j < chars.ch.length; j++) {
      const cls = charClass(chars.ch[j].codePointAt(0) as number);
      // Lower-casing and decomposition never produce whitespace today; HF splits on it again regardless.
      if ((cls & SPACE) !== 0) {
        push(runStart, j);
        runStart = j + 1;
      } else if ((cls & PUNCT) !== 0) {
        push(runStart, j);
        push(j, j + 1);
        runStart = j + 1;
      }
    }
    push(runStart, chars.ch.length);
  }
}
