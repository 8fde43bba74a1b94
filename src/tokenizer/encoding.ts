import type { Encoding } from './types';

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
export function truncate(a: SequenceTokens, b: SequenceTokens | undefined, maxLength: number): [SequenceTokens, SequenceTokens | undefined] {
  const room = maxLength - (b === undefined ? 2 : 3);
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

function pushSequence(out: Encoding, seq: SequenceTokens, sequenceId: 0 | 1): void {
  for (let i = 0; i < seq.ids.length; i++) {
    out.inputIds.push(seq.ids[i]);
    out.tokens.push(seq.tokens[i]);
    out.tokenTypeIds.push(sequenceId);
    out.attentionMask.push(1);
    out.offsets.push(seq.offsets[i]);
    out.sequenceIds.push(sequenceId);
    out.wordIds.push(seq.wordIds[i]);
    out.specialTokensMask.push(seq.special[i]);
  }
}

/** `[CLS] a [SEP]` or `[CLS] a [SEP] b [SEP]`, then [PAD] on the right up to `padTo` (when longer). */
export function assemble(
  a: SequenceTokens,
  b: SequenceTokens | undefined,
  template: { cls: TemplateToken; sep: TemplateToken; pad: TemplateToken },
  padTo: number | undefined,
): Encoding {
  const out = emptyEncoding();
  pushSpecial(out, template.cls, 0, 1);
  pushSequence(out, a, 0);
  pushSpecial(out, template.sep, 0, 1);
  if (b !== undefined) {
    pushSequence(out, b, 1);
    pushSpecial(out, template.sep, 1, 1);
  }
  while (padTo !== undefined && out.inputIds.length < padTo) pushSpecial(out, template.pad, 0, 0);
  return out;
}
