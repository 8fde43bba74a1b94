import { TokenizerError } from './errors';
import type { EncodeOptions, Encoding } from './types';

/** The tokens of one text before special tokens are added. */
export interface SequenceTokens {
  ids: number[];
  tokens: string[];
  offsets: [number, number][];
  wordIds: number[];
  /** 1 for special tokens written in the text itself (e.g. "[MASK]"), else 0. */
  special: number[];
}

/** A special token as the template and padding use it. */
export interface TemplateToken {
  id: number;
  token: string;
}

/** One step of a post-processor template: a special token or one of the texts, with its token type id. */
export type TemplateStep = { special: TemplateToken; typeId: number } | { sequence: 'A' | 'B'; typeId: number };

/** HF's post-processor: where the special tokens go around one text and around a pair, and the padding token. */
export interface Template {
  single: TemplateStep[];
  pair: TemplateStep[];
  pad: TemplateToken;
}

/** BERT's `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]`, the pair's second part with token type 1. */
export function bertTemplate(cls: TemplateToken, sep: TemplateToken, pad: TemplateToken): Template {
  return {
    single: [{ special: cls, typeId: 0 }, { sequence: 'A', typeId: 0 }, { special: sep, typeId: 0 }],
    pair: [{ special: cls, typeId: 0 }, { sequence: 'A', typeId: 0 }, { special: sep, typeId: 0 }, { sequence: 'B', typeId: 1 }, { special: sep, typeId: 1 }],
    pad,
  };
}

/** How many special tokens the template adds to one text (`pair` false) or to a pair. */
export function specialCount(template: Template, pair: boolean): number {
  return (pair ? template.pair : template.single).filter((step) => 'special' in step).length;
}

/**
 * How many tokens of each sequence survive HF's `longest_first` truncation: one token at a time is cut
 * from the end of the longer sequence, from the second one when both are as long.
 */
export function longestFirst(lengthA: number, lengthB: number, remove: number): [number, number] {
  const fromLonger = Math.min(Math.abs(lengthA - lengthB), remove);
  const rest = remove - fromLonger;
  const half = Math.floor(rest / 2);
  if (lengthA > lengthB) return [lengthA - fromLonger - half, lengthB - (rest - half)];
  return [lengthA - half, lengthB - fromLonger - (rest - half)];
}

function slice(seq: SequenceTokens, length: number): SequenceTokens {
  if (length >= seq.ids.length) return seq;
  return {
    ids: seq.ids.slice(0, length),
    tokens: seq.tokens.slice(0, length),
    offsets: seq.offsets.slice(0, length),
    wordIds: seq.wordIds.slice(0, length),
    special: seq.special.slice(0, length),
  };
}

/** Cuts `a` (and `b`) so that they fit in `maxLength` tokens together with the template's special tokens. */
export function truncate(a: SequenceTokens, b: SequenceTokens | undefined, maxLength: number, template: Template): [SequenceTokens, SequenceTokens | undefined] {
  const room = maxLength - specialCount(template, b !== undefined);
  if (b === undefined) return [slice(a, room), undefined];
  const remove = a.ids.length + b.ids.length - room;
  if (remove <= 0) return [a, b];
  const [keepA, keepB] = longestFirst(a.ids.length, b.ids.length, remove);
  return [slice(a, keepA), slice(b, keepB)];
}

function emptyEncoding(): Encoding {
  return { inputIds: [], tokenTypeIds: [], attentionMask: [], tokens: [], offsets: [], sequenceIds: [], wordIds: [], specialTokensMask: [] };
}

function pushSpecial(out: Encoding, token: TemplateToken, typeId: number, attention: number): void {
  out.inputIds.push(token.id);
  out.tokens.push(token.token);
  out.tokenTypeIds.push(typeId);
  out.attentionMask.push(attention);
  out.offsets.push([0, 0]);
  out.sequenceIds.push(null);
  out.wordIds.push(null);
  out.specialTokensMask.push(1);
}

function pushSequence(out: Encoding, seq: SequenceTokens, sequenceId: 0 | 1, typeId: number): void {
  for (let i = 0; i < seq.ids.length; i++) {
    out.inputIds.push(seq.ids[i]);
    out.tokens.push(seq.tokens[i]);
    out.tokenTypeIds.push(typeId);
    out.attentionMask.push(1);
    out.offsets.push(seq.offsets[i]);
    out.sequenceIds.push(sequenceId);
    out.wordIds.push(seq.wordIds[i]);
    out.specialTokensMask.push(seq.special[i]);
  }
}

/** The template's special tokens around `a` (and `b`), then the padding token on the right up to `padTo` (when longer). */
export function assemble(a: SequenceTokens, b: SequenceTokens | undefined, template: Template, padTo: number | undefined): Encoding {
  const out = emptyEncoding();
  for (const step of b === undefined ? template.single : template.pair) {
    if ('special' in step) pushSpecial(out, step.special, step.typeId, 1);
    else if (step.sequence === 'A') pushSequence(out, a, 0, step.typeId);
    else if (b !== undefined) pushSequence(out, b, 1, step.typeId);
  }
  while (padTo !== undefined && out.inputIds.length < padTo) pushSpecial(out, template.pad, 0, 0);
  return out;
}

/**
 * Encoding with HF's options: checks them, tokenizes each text with `tokenize` (its tokens without specials),
 * truncates longest_first, then adds the template's special tokens and padding.
 */
export function encodeWithTemplate(
  tokenize: (text: string) => SequenceTokens,
  template: Template,
  text: string,
  pair: string | undefined,
  options: EncodeOptions,
): Encoding {
  checkText(text, 'text');
  if (pair !== undefined) checkText(pair, 'pair');
  const specials = specialCount(template, pair !== undefined);
  const { maxLength, padding, padTo } = options;
  if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength >= specials)) {
    throw new TokenizerError('bad-input', `maxLength must be an integer ≥ ${specials} (room for the special tokens), not ${maxLength}.`);
  }
  if (padTo !== undefined && !(Number.isInteger(padTo) && padTo >= 0)) {
    throw new TokenizerError('bad-input', `padTo must be an integer ≥ 0, not ${padTo}.`);
  }
  const padTarget = padding === false ? undefined : (padTo ?? (padding === true ? maxLength : undefined));
  if (padding === true && padTarget === undefined) {
    throw new TokenizerError('bad-input', 'padding needs a length to pad to: give maxLength or padTo.');
  }
  let a = tokenize(text);
  let b = pair === undefined ? undefined : tokenize(pair);
  if (maxLength !== undefined) [a, b] = truncate(a, b, maxLength, template);
  return assemble(a, b, template, padTarget);
}

export function checkText(text: unknown, name: string): string {
  if (typeof text !== 'string') {
    throw new TokenizerError('bad-input', `The ${name} to tokenize must be a string, not ${text === null ? 'null' : typeof text}.`);
  }
  return text;
}
