import { alignNormalized } from './align';
import { BasicTokenizer, wordSpan } from './basic';
import { type TokenizerConfig, type TokenizerConfigInput, resolveConfig } from './config';
import { cleanUpTokenization, tokensToString } from './decode';
import { type SequenceTokens, type Template, bertTemplate, checkText, encodeWithTemplate } from './encoding';
import { TokenizerError } from './errors';
import { toTokenizerJson } from './tokenizerJson';
import type { EncodeOptions, Encoding, SpecialTokens, Tokenizer, TokenizerFiles } from './types';
import { Vocab, parseVocabTxt } from './vocab';
import { WordPiece } from './wordpiece';

/** A special token written in the text, found before basic tokenization (HF splits on its added-token trie first). */
interface SpecialSpan {
  text: string;
  id: number;
}

/**
 * BERT WordPiece with Hugging Face's slow `BertTokenizer` semantics, plus character offsets, word ids and
 * sequence ids as HF's fast tokenizers report them.
 */
export class BertWordPieceTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly special: SpecialTokens;
  /** The longest input the model takes, when its config says; encode does not apply it by itself. */
  readonly modelMaxLength: number | undefined;
  readonly config: Readonly<TokenizerConfig>;
  private readonly vocab: Vocab;
  private readonly basic: BasicTokenizer;
  private readonly wordPiece: WordPiece;
  /** Longest first, so that the longest special token starting at a position wins, as in HF's trie. */
  private readonly specialSpans: SpecialSpan[];
  private readonly specialIds: ReadonlySet<number>;
  private readonly template: Template;

  constructor(vocab: Vocab, config: TokenizerConfig) {
    const idOf = (token: string, role: string): number => {
      const id = vocab.id(token);
      if (id === undefined) throw new TokenizerError('missing-special-token', `The ${role} token ${JSON.stringify(token)} is not in the vocabulary.`);
      return id;
    };
    this.special = {
      pad: idOf(config.special.pad, 'padding (pad_token)'),
      unk: idOf(config.special.unk, 'unknown (unk_token)'),
      cls: idOf(config.special.cls, 'classifier (cls_token)'),
      sep: idOf(config.special.sep, 'separator (sep_token)'),
      mask: idOf(config.special.mask, 'mask (mask_token)'),
    };
    const specialNames = [...new Set([...Object.values(config.special), ...config.additionalSpecialTokens])];
    this.specialSpans = specialNames
      .map((text) => ({ text, id: idOf(text, 'additional special') }))
      .filter((span) => span.text.length > 0)
      .sort((x, y) => y.text.length - x.text.length);
    this.specialIds = new Set(this.specialSpans.map((span) => span.id));
    if (!(Number.isInteger(config.maxInputCharsPerWord) && config.maxInputCharsPerWord > 0)) {
      throw new TokenizerError('bad-config', `maxInputCharsPerWord must be a positive integer, not ${config.maxInputCharsPerWord}.`);
    }
    this.vocab = vocab;
    this.config = config;
    this.vocabSize = vocab.size;
    this.modelMaxLength = config.modelMaxLength;
    this.basic = new BasicTokenizer({
      doLowerCase: config.doLowerCase,
      stripAccents: config.stripAccents ?? config.doLowerCase,
      tokenizeChineseChars: config.tokenizeChineseChars,
      neverSplit: new Set(config.neverSplit),
    });
    this.wordPiece = new WordPiece(vocab, {
      unkId: this.special.unk,
      prefix: config.continuingSubwordPrefix,
      maxInputCharsPerWord: config.maxInputCharsPerWord,
    });
    this.template = bertTemplate(
      { id: this.special.cls, token: config.special.cls },
      { id: this.special.sep, token: config.special.sep },
      { id: this.special.pad, token: config.special.pad },
    );
  }

  /** Vocabulary strings of `text`'s tokens, without [CLS]/[SEP] (HF `tokenize`). */
  tokenize(text: string): string[] {
    return this.tokenizeSequence(checkText(text, 'text')).tokens;
  }

  encode(text: string, pair?: string, options: EncodeOptions = {}): Encoding {
    return encodeWithTemplate((part) => this.tokenizeSequence(part), this.template, text, pair, options);
  }

  idToToken(id: number): string {
    return this.vocab.token(id) ?? this.config.special.unk;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.id(token);
  }

  decode(ids: number[], skipSpecialTokens = false): string {
    if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id))) {
      throw new TokenizerError('bad-input', 'decode needs an array of integer token ids.');
    }
    const kept = skipSpecialTokens ? ids.filter((id) => !this.specialIds.has(id)) : ids;
    const text = tokensToString(kept.map((id) => this.idToToken(id)), this.config.continuingSubwordPrefix);
    return this.config.cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text;
  }

  tokenText(token: string): string {
    return token;
  }

  saveFiles(): TokenizerFiles {
    const { config } = this;
    const vocab = Array.from({ length: this.vocabSize }, (_, id) => this.idToToken(id));
    const specialTokens = { cls_token: config.special.cls, mask_token: config.special.mask, pad_token: config.special.pad, sep_token: config.special.sep, unk_token: config.special.unk };
    if (config.characterLevel) {
      // No fast tokenizer reproduces it, so no tokenizer.json: transformers reads the class from the config.
      return {
        files: { 'vocab.txt': `${vocab.join('\n')}\n` },
        config: { tokenizer_class: 'BertJapaneseTokenizer', do_lower_case: config.doLowerCase, word_tokenizer_type: 'mecab', subword_tokenizer_type: 'character', ...specialTokens },
        specialTokens,
      };
    }
    return {
      files: { 'vocab.txt': `${vocab.join('\n')}\n`, 'tokenizer.json': `${JSON.stringify(toTokenizerJson(this))}\n` },
      config: {
        do_lower_case: config.doLowerCase,
        strip_accents: config.stripAccents,
        tokenize_chinese_chars: config.tokenizeChineseChars,
        clean_up_tokenization_spaces: config.cleanUpTokenizationSpaces,
        ...specialTokens,
      },
      specialTokens,
    };
  }

  private tokenizeSequence(text: string): SequenceTokens {
    const out: SequenceTokens = { ids: [], tokens: [], offsets: [], wordIds: [], special: [] };
    let wordId = 0;
    const push = (id: number, offset: [number, number], special: number): void => {
      out.ids.push(id);
      out.tokens.push(this.idToToken(id));
      out.offsets.push(offset);
      out.wordIds.push(wordId);
      out.special.push(special);
    };
    const words = (from: number, to: number): void => {
      if (to <= from) return;
      if (this.config.characterLevel) {
        for (const { id, offsets, startsWord } of this.characters(text.slice(from, to))) {
          if (startsWord) wordId++;
          push(id, [from + offsets[0], from + offsets[1]], 0);
        }
        wordId++;
        return;
      }
      for (const word of this.basic.tokenize(text, from, to)) {
        if (word.neverSplit) {
          push(this.vocab.id(word.text) ?? this.special.unk, [word.start, word.end], 0);
        } else {
          for (const piece of this.wordPiece.tokenize(word.text)) push(piece.id, wordSpan(word, piece.from, piece.to), 0);
        }
        wordId++;
      }
    };
    let position = 0;
    for (const [start, span] of this.findSpecials(text)) {
      words(position, start);
      push(span.id, [start, start + span.text.length], 1);
      wordId++;
      position = start + span.text.length;
    }
    words(position, text.length);
    return out;
  }

  /**
   * Tohoku's character-level BertJapaneseTokenizer: NFKC (and lower case when asked), then every character but
   * whitespace is a token of its own, or [UNK]. Its MeCab word split changes no token (every character stands
   * alone either way), so it is not run; a word here ends at whitespace, for word ids.
   */
  private characters(text: string): { id: number; offsets: [number, number]; startsWord: boolean }[] {
    const normalize = (part: string): string => (this.config.doLowerCase ? part.normalize('NFKC').toLowerCase() : part.normalize('NFKC'));
    const chars = [...normalize(text)].filter((char) => !/\s/u.test(char));
    const aligned = alignNormalized(text, chars, () => false, normalize, true);
    return chars.map((char, i) => ({
      id: this.vocab.id(char) ?? this.special.unk,
      offsets: aligned[i].offsets,
      startsWord: i > 0 && /\s/u.test(text.slice(aligned[i - 1].offsets[1], aligned[i].offsets[0])),
    }));
  }

  /** Special tokens written in the text, left to right, without overlaps, as [start, token] pairs. */
  private findSpecials(text: string): [number, SpecialSpan][] {
    const found: [number, SpecialSpan][] = [];
    const next = this.specialSpans.map((span) => text.indexOf(span.text));
    let position = 0;
    for (;;) {
      let best = -1;
      for (let k = 0; k < next.length; k++) {
        if (next[k] >= 0 && next[k] < position) next[k] = text.indexOf(this.specialSpans[k].text, position);
        if (next[k] >= 0 && (best < 0 || next[k] < next[best])) best = k;
      }
      if (best < 0) return found;
      found.push([next[best], this.specialSpans[best]]);
      position = next[best] + this.specialSpans[best].text.length;
    }
  }
}

/** A tokenizer from vocab.txt (one token per line, id = line index) and an optional tokenizer config. */
export function fromVocabTxt(text: string, config: TokenizerConfigInput = {}): BertWordPieceTokenizer {
  return new BertWordPieceTokenizer(Vocab.fromTokens(parseVocabTxt(text)), resolveConfig(config));
}
