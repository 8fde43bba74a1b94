import { Tokenizer as HfTokenizer, PrecompiledNormalizer } from '@huggingface/tokenizers';
import { alignByteLevel, alignNormalized, type AlignedToken } from './align';
import { byteLevelText } from './byteLevel';
import { Charsmap } from './charsmap';
import { type TokenizerConfigInput, isObject } from './config';
import { cleanUpTokenization } from './decode';
import { type SequenceTokens, type Template, type TemplateStep, type TemplateToken, encodeWithTemplate } from './encoding';
import { TokenizerError } from './errors';
import type { EncodeOptions, Encoding, SpecialTokens, Tokenizer, TokenizerFiles } from './types';

type Json = Record<string, unknown>;

const FILE = 'tokenizer.json';

/** The tokenizer.json models this class runs (WordPiece files go to BertWordPieceTokenizer). */
export type SubwordModel = 'BPE' | 'Unigram';

/** A token written in the text that is kept whole (HF `added_tokens`): `<s>`, `<mask>`, … */
interface AddedToken {
  id: number;
  content: string;
  lstrip: boolean;
  rstrip: boolean;
  special: boolean;
}

function unsupported(part: string, detail: string): TokenizerError {
  return new TokenizerError('unsupported', `${FILE}: ${part} ${detail}.`);
}

function badConfig(part: string, detail: string): TokenizerError {
  return new TokenizerError('bad-config', `${FILE}: ${part} ${detail}.`);
}

/** The `type`s of a component and of the steps of a `Sequence` of them. */
function typesOf(component: unknown, listKey: string): string[] {
  if (!isObject(component)) return [];
  if (component.type === 'Sequence' && Array.isArray(component[listKey])) return (component[listKey] as unknown[]).flatMap((step) => typesOf(step, listKey));
  return [String(component.type)];
}

function stepsOf(component: unknown, listKey: string): Json[] {
  if (!isObject(component)) return [];
  if (component.type === 'Sequence' && Array.isArray(component[listKey])) return (component[listKey] as unknown[]).flatMap((step) => stepsOf(step, listKey));
  return [component];
}

function readAddedTokens(root: Json): AddedToken[] {
  const list = root.added_tokens ?? [];
  if (!Array.isArray(list)) throw badConfig('added_tokens', 'must be a list');
  return list.map((entry, i) => {
    if (!isObject(entry) || typeof entry.content !== 'string' || !Number.isInteger(entry.id)) {
      throw badConfig(`added_tokens[${i}]`, 'must be an object with "id" and "content"');
    }
    return { id: entry.id as number, content: entry.content, lstrip: entry.lstrip === true, rstrip: entry.rstrip === true, special: entry.special === true };
  });
}

/** The model's vocabulary as id → token, with the added tokens placed at their ids. */
function readVocab(model: Json, type: SubwordModel, added: readonly AddedToken[]): string[] {
  const byId: string[] = [];
  if (type === 'Unigram') {
    if (!Array.isArray(model.vocab)) throw new TokenizerError('bad-vocab', `${FILE}: model.vocab of a Unigram model must be a list of [piece, score].`);
    model.vocab.forEach((entry, id) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') {
        throw new TokenizerError('bad-vocab', `${FILE}: model.vocab[${id}] must be [piece, score], not ${JSON.stringify(entry)}.`);
      }
      byId[id] = entry[0];
    });
  } else {
    if (!isObject(model.vocab)) throw new TokenizerError('bad-vocab', `${FILE}: model.vocab of a BPE model must be an object of token → id.`);
    if (!Array.isArray(model.merges)) throw new TokenizerError('bad-vocab', `${FILE}: model.merges of a BPE model must be a list.`);
    for (const [token, id] of Object.entries(model.vocab)) {
      if (!Number.isInteger(id) || (id as number) < 0) throw new TokenizerError('bad-vocab', `${FILE}: model.vocab gives ${JSON.stringify(token)} the id ${JSON.stringify(id)}; ids must be integers ≥ 0.`);
      byId[id as number] = token;
    }
  }
  for (const token of added) byId[token.id] = token.content;
  if (byId.length === 0) throw new TokenizerError('bad-vocab', `${FILE}: model.vocab is empty.`);
  return byId;
}

/**
 * The post-processor as a template. TemplateProcessing is read as written; RobertaProcessing is `<s> A </s>` and
 * `<s> A </s></s> B </s>`, all token type 0 as the slow RobertaTokenizer gives (RoBERTa has one token type);
 * BertProcessing is BERT's.
 */
function readTemplate(processor: unknown, idOf: (token: string, where: string) => number, pad: TemplateToken): Template {
  const steps = stepsOf(processor, 'processors').filter((step) => step.type !== 'ByteLevel');
  if (steps.length !== 1) throw unsupported('post_processor', `is ${JSON.stringify(typesOf(processor, 'processors'))}; one of TemplateProcessing, RobertaProcessing or BertProcessing is needed to place the special tokens`);
  const [step] = steps;
  const token = (value: unknown, where: string): TemplateToken => {
    if (!Array.isArray(value) || typeof value[0] !== 'string') throw badConfig(`post_processor.${where}`, 'must be [token, id]');
    return { token: value[0], id: idOf(value[0], `post_processor.${where}`) };
  };
  const special = (t: TemplateToken, typeId = 0): TemplateStep => ({ special: t, typeId });
  const sequence = (name: 'A' | 'B', typeId = 0): TemplateStep => ({ sequence: name, typeId });
  if (step.type === 'RobertaProcessing' || step.type === 'BertProcessing') {
    const cls = token(step.cls, 'cls');
    const sep = token(step.sep, 'sep');
    if (step.type === 'BertProcessing') {
      return { single: [special(cls), sequence('A'), special(sep)], pair: [special(cls), sequence('A'), special(sep), sequence('B', 1), special(sep, 1)], pad };
    }
    return { single: [special(cls), sequence('A'), special(sep)], pair: [special(cls), sequence('A'), special(sep), special(sep), sequence('B'), special(sep)], pad };
  }
  if (step.type !== 'TemplateProcessing') throw unsupported('post_processor', `of type "${String(step.type)}"`);
  const listed = isObject(step.special_tokens) ? step.special_tokens : {};
  const read = (key: 'single' | 'pair'): TemplateStep[] => {
    const items = step[key];
    if (!Array.isArray(items)) throw badConfig(`post_processor.${key}`, 'must be a list');
    return items.map((item, i) => {
      const where = `post_processor.${key}[${i}]`;
      if (isObject(item) && isObject(item.Sequence) && (item.Sequence.id === 'A' || item.Sequence.id === 'B')) {
        return sequence(item.Sequence.id, Number(item.Sequence.type_id ?? 0));
      }
      if (isObject(item) && isObject(item.SpecialToken) && typeof item.SpecialToken.id === 'string') {
        const name = item.SpecialToken.id;
        const entry = listed[name];
        const ids = isObject(entry) && Array.isArray(entry.ids) ? entry.ids : [idOf(name, where)];
        const tokens = isObject(entry) && Array.isArray(entry.tokens) ? entry.tokens : [name];
        if (ids.length !== 1 || tokens.length !== 1) throw unsupported(where, `writes ${JSON.stringify(name)} as ${ids.length} tokens; one token per special is supported`);
        return special({ token: String(tokens[0]), id: Number(ids[0]) }, Number(item.SpecialToken.type_id ?? 0));
      }
      throw badConfig(where, `must be {"Sequence": {"id": "A" | "B"}} or {"SpecialToken": {"id": …}}, not ${JSON.stringify(item)}`);
    });
  };
  const single = read('single');
  const pair = read('pair');
  if (single.filter((s) => 'sequence' in s).map((s) => ('sequence' in s ? s.sequence : '')).join() !== 'A') throw unsupported('post_processor.single', 'does not hold $A once');
  if (pair.filter((s) => 'sequence' in s).map((s) => ('sequence' in s ? s.sequence : '')).join() !== 'A,B') throw unsupported('post_processor.pair', 'does not hold $A then $B');
  return { single, pair, pad };
}

/**
 * A byte-level BPE (RoBERTa, GPT-2) or SentencePiece Unigram (XLM-R, ALBERT, DeBERTa-v3) tokenizer from HF's
 * tokenizer.json. `@huggingface/tokenizers` gives the tokens and ids; this class adds what that library does not
 * report, found by aligning its tokens back to the text: offsets (UTF-16, into each text), word ids, sequence ids
 * and the special-tokens mask; and it applies the post-processor's template, truncation and padding itself.
 */
export class SubwordTokenizer implements Tokenizer {
  readonly model: SubwordModel;
  readonly vocabSize: number;
  readonly special: SpecialTokens;
  readonly modelMaxLength: number | undefined;
  /** The special tokens' names (as tokenizer_config.json and special_tokens_map.json write them). */
  readonly specialNames: Readonly<Record<keyof SpecialTokens, string>>;
  private readonly json: Json;
  private readonly library: HfTokenizer;
  private readonly byId: string[];
  private readonly byToken: Map<string, number>;
  private readonly added: Map<string, AddedToken>;
  private readonly template: Template;
  /** Byte-level pre-tokenizer (tokens are bytes); otherwise tokens are normalized text with "▁" for spaces. */
  private readonly byteLevel: boolean;
  private readonly trimOffsets: boolean;
  private readonly metaspace: string | undefined;
  private readonly stripsEnds: boolean;
  /** The normalizer's character rules (not its whitespace ones), to match source characters to tokens. */
  private readonly normalizeChars: (text: string) => string;
  private readonly cleanUp: boolean;

  constructor(tokenizerJson: unknown, config: TokenizerConfigInput = {}) {
    const root = typeof tokenizerJson === 'string' ? parseJson(tokenizerJson) : tokenizerJson;
    if (!isObject(root)) throw new TokenizerError('bad-config', `${FILE} must hold a JSON object.`);
    if (!isObject(root.model)) throw badConfig('model', 'is missing');
    const type = root.model.type;
    if (type !== 'BPE' && type !== 'Unigram') throw unsupported('model', `of type "${String(type)}" is not BPE or Unigram`);
    this.model = type;
    this.json = root;

    const added = readAddedTokens(root);
    this.byId = readVocab(root.model, type, added);
    this.byToken = new Map(this.byId.map((token, id) => [token, id]));
    this.vocabSize = this.byId.length;
    this.added = new Map(added.map((token) => [token.content, token]));

    const preTokenizers = stepsOf(root.pre_tokenizer, 'pretokenizers');
    const byteLevel = preTokenizers.find((step) => step.type === 'ByteLevel');
    const metaspace = preTokenizers.find((step) => step.type === 'Metaspace');
    const known = new Set(['ByteLevel', 'Metaspace', 'Split', 'Digits', 'Punctuation', 'WhitespaceSplit', 'Whitespace']);
    const other = preTokenizers.find((step) => !known.has(String(step.type)));
    if (other !== undefined) throw unsupported('pre_tokenizer', `of type "${String(other.type)}"`);
    if (byteLevel === undefined && metaspace === undefined) throw unsupported('pre_tokenizer', `is ${JSON.stringify(typesOf(root.pre_tokenizer, 'pretokenizers'))}; byte-level (ByteLevel) or SentencePiece (Metaspace) pre-tokenization is needed`);
    this.byteLevel = byteLevel !== undefined;
    this.metaspace = metaspace === undefined ? undefined : String(metaspace.replacement ?? '\u2581');
    if (this.byteLevel && root.normalizer !== null && root.normalizer !== undefined) {
      throw unsupported('normalizer', `of type "${String((root.normalizer as Json).type)}" before a byte-level pre-tokenizer`);
    }
    const processors = stepsOf(root.post_processor, 'processors');
    this.trimOffsets = this.byteLevel && processors.some((step) => step.trim_offsets === true);
    const normalizers = stepsOf(root.normalizer, 'normalizers');
    this.stripsEnds = normalizers.some((step) => step.type === 'Strip');
    const precompiled = normalizers.find((step) => step.type === 'Precompiled' && typeof step.precompiled_charsmap === 'string');
    const charsmap = precompiled === undefined ? undefined : new Charsmap(precompiled.precompiled_charsmap as string);
    this.normalizeChars = characterRules(normalizers, charsmap);

    const idOf = (token: string, where: string): number => {
      const id = this.byToken.get(token);
      if (id === undefined) throw new TokenizerError('missing-special-token', `${FILE}: ${where} names ${JSON.stringify(token)}, which the vocabulary lacks.`);
      return id;
    };
    const unkFromModel = type === 'Unigram'
      ? (Number.isInteger(root.model.unk_id) ? this.byId[root.model.unk_id as number] : undefined)
      : (typeof root.model.unk_token === 'string' ? root.model.unk_token : undefined);
    const padding = isObject(root.padding) ? root.padding : {};
    const names = {
      pad: config.special?.pad ?? (typeof padding.pad_token === 'string' ? padding.pad_token : '<pad>'),
      unk: config.special?.unk ?? unkFromModel ?? '<unk>',
      mask: config.special?.mask ?? '<mask>',
    };
    const pad = { token: names.pad, id: idOf(names.pad, 'the padding token (pad_token)') };
    this.template = readTemplate(root.post_processor, idOf, pad);
    const templateSpecials = this.template.single.flatMap((step) => ('special' in step ? [step.special] : []));
    const cls = config.special?.cls ?? templateSpecials[0]?.token ?? '<s>';
    const sep = config.special?.sep ?? templateSpecials[templateSpecials.length - 1]?.token ?? '</s>';
    this.specialNames = { ...names, cls, sep };
    this.special = {
      pad: pad.id,
      unk: idOf(names.unk, 'the unknown token (unk_token)'),
      cls: idOf(cls, 'the classifier token (cls_token)'),
      sep: idOf(sep, 'the separator token (sep_token)'),
      mask: idOf(names.mask, 'the mask token (mask_token)'),
    };
    this.modelMaxLength = config.modelMaxLength;
    this.cleanUp = config.cleanUpTokenizationSpaces ?? false;
    try {
      this.library = new HfTokenizer(withPrependScheme(root), { clean_up_tokenization_spaces: false });
    } catch (error) {
      throw new TokenizerError('unsupported', `${FILE} could not be read by @huggingface/tokenizers: ${(error as Error).message}`);
    }
    if (charsmap !== undefined) applyCharsmap(this.library.normalizer, charsmap);
  }

  encode(text: string, pair?: string, options: EncodeOptions = {}): Encoding {
    return encodeWithTemplate((part) => this.tokenizeSequence(part), this.template, text, pair, options);
  }

  idToToken(id: number): string {
    return (Number.isInteger(id) ? this.byId[id] : undefined) ?? this.specialNames.unk;
  }

  tokenToId(token: string): number | undefined {
    return this.byToken.get(token);
  }

  decode(ids: number[], skipSpecialTokens = false): string {
    if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id))) {
      throw new TokenizerError('bad-input', 'decode needs an array of integer token ids.');
    }
    const kept = ids.filter((id) => !(skipSpecialTokens && this.added.get(this.idToToken(id))?.special));
    if (kept.length === 0) return '';
    const text = this.library.decode(kept, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    return this.cleanUp ? cleanUpTokenization(text) : text;
  }

  tokenText(token: string): string {
    if (this.added.has(token)) return token;
    if (this.byteLevel) return byteLevelText(token);
    return this.metaspace === undefined ? token : token.replaceAll(this.metaspace, ' ');
  }

  saveFiles(): TokenizerFiles {
    const files: Record<string, string> = { 'tokenizer.json': `${JSON.stringify(this.json)}\n` };
    const model = this.json.model as Json;
    if (this.model === 'BPE' && this.byteLevel) {
      files['vocab.json'] = `${JSON.stringify(model.vocab)}\n`;
      const merges = (model.merges as unknown[]).map((merge) => (Array.isArray(merge) ? merge.join(' ') : String(merge)));
      files['merges.txt'] = `#version: 0.2\n${merges.map((merge) => `${merge}\n`).join('')}`;
    }
    const { pad, unk, cls, sep, mask } = this.specialNames;
    const specialTokens = { bos_token: cls, eos_token: sep, unk_token: unk, sep_token: sep, pad_token: pad, cls_token: cls, mask_token: mask };
    return { files, config: { ...specialTokens, clean_up_tokenization_spaces: this.cleanUp }, specialTokens };
  }

  private tokenizeSequence(text: string): SequenceTokens {
    const encoded = this.library.encode(text, { add_special_tokens: false });
    const isAdded = (token: string): boolean => this.added.has(token);
    const aligned: AlignedToken[] = this.byteLevel
      ? alignByteLevel(text, encoded.tokens, isAdded, this.trimOffsets)
      : alignNormalized(text, encoded.tokens.map((token) => (isAdded(token) ? token : token.replaceAll(this.metaspace!, ' '))), isAdded, this.normalizeChars, this.stripsEnds);
    const out: SequenceTokens = { ids: encoded.ids, tokens: encoded.tokens, offsets: [], wordIds: [], special: [] };
    let word = -1;
    aligned.forEach((token, i) => {
      const added = isAdded(encoded.tokens[i]);
      const previousAdded = i > 0 && isAdded(encoded.tokens[i - 1]);
      if (i === 0 || added || previousAdded || token.startsWord) word++;
      out.offsets.push(token.offsets);
      out.wordIds.push(word);
      out.special.push(added && this.added.get(encoded.tokens[i])!.special ? 1 : 0);
    });
    return out;
  }
}

/** The normalizer's rules for single characters (not its whitespace ones), in order. */
function characterRules(normalizers: readonly Json[], charsmap: Charsmap | undefined): (text: string) => string {
  const rules = normalizers.flatMap((step): ((text: string) => string)[] => {
    if (step.type === 'Precompiled') return charsmap === undefined ? [] : [(text) => charsmap.normalize(text)];
    if (step.type === 'NFKC' || step.type === 'NFC' || step.type === 'NFKD' || step.type === 'NFD') return [(text) => text.normalize(step.type as string)];
    if (step.type === 'Lowercase') return [(text) => text.toLowerCase()];
    // As the library strips accents: every combining mark goes.
    if (step.type === 'StripAccents') return [(text) => text.replace(/\p{M}/gu, '')];
    // Literal replacements (ALBERT's `` → "); regex ones are whitespace rules (" {2,}" → " "), which act across
    // characters and which the alignment handles itself.
    const literal = step.type === 'Replace' && isObject(step.pattern) ? step.pattern.String : undefined;
    if (typeof literal === 'string' && typeof step.content === 'string') {
      const content = step.content;
      return [(text) => text.replaceAll(literal, content)];
    }
    return [];
  });
  return (text) => rules.reduce((out, rule) => rule(out), text);
}

/**
 * tokenizer.json with `prepend_scheme` spelled out on its Metaspace steps: older files say `add_prefix_space`, which
 * the library ignores (it then always prepends "▁", where `add_prefix_space: false` means never).
 */
function withPrependScheme(root: Json): Json {
  const spell = (step: unknown): unknown => {
    if (!isObject(step)) return step;
    if (step.type === 'Sequence' && Array.isArray(step.pretokenizers)) return { ...step, pretokenizers: step.pretokenizers.map(spell) };
    if (step.type === 'Metaspace' && step.prepend_scheme === undefined && step.add_prefix_space === false) return { ...step, prepend_scheme: 'never' };
    return step;
  };
  return { ...root, pre_tokenizer: spell(root.pre_tokenizer), decoder: spell(root.decoder) };
}

/** Puts the charsmap's own rules in place of the library's NFKC stand-in for them (see Charsmap). */
function applyCharsmap(normalizer: unknown, charsmap: Charsmap): void {
  if (normalizer instanceof PrecompiledNormalizer) {
    normalizer.normalize = (text: string) => charsmap.normalize(text);
  } else if (normalizer !== null && normalizer !== undefined) {
    // The library's components are callable objects: functions, not plain objects.
    const steps = (normalizer as { normalizers?: unknown }).normalizers;
    if (Array.isArray(steps)) for (const step of steps) applyCharsmap(step, charsmap);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TokenizerError('bad-config', `${FILE} is not valid JSON: ${(error as Error).message}`);
  }
}
