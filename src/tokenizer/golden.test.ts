import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromVocabTxt } from './bertTokenizer';

/** Output of Hugging Face's BertTokenizer (ids, tokens, decode) and BertTokenizerFast (offsets, word ids). */
interface GoldenCase {
  text: string;
  pair: string | null;
  ids: number[];
  tokens: string[];
  decode: string;
  decodeSkipSpecial: string;
  /** UTF-16 offsets; null where the fast tokenizer is not comparable (see make_golden.py). */
  offsets: [number, number][] | null;
  wordIds: (number | null)[] | null;
}

interface GoldenRun {
  config: { do_lower_case: boolean; strip_accents?: boolean; tokenize_chinese_chars?: boolean };
  cases: GoldenCase[];
}

const golden = JSON.parse(readFileSync(new URL('./golden/golden.json', import.meta.url), 'utf8')) as { vocab: string[]; runs: GoldenRun[] };

describe.each(golden.runs.map((run) => [JSON.stringify(run.config), run] as const))('HF BertTokenizer %s', (_name, run) => {
  const tokenizer = fromVocabTxt(`${golden.vocab.join('\n')}\n`, {
    doLowerCase: run.config.do_lower_case,
    stripAccents: run.config.strip_accents ?? null,
    tokenizeChineseChars: run.config.tokenize_chinese_chars ?? true,
  });

  it.each(run.cases.map((c, i) => [i, JSON.stringify(c.text).slice(0, 40), c] as const))('case %i %s', (_i, _label, c) => {
    const encoding = tokenizer.encode(c.text, c.pair ?? undefined);
    expect(encoding.tokens).toEqual(c.tokens);
    expect(encoding.inputIds).toEqual(c.ids);
    expect(tokenizer.decode(encoding.inputIds)).toBe(c.decode);
    expect(tokenizer.decode(encoding.inputIds, true)).toBe(c.decodeSkipSpecial);
    if (c.offsets !== null) expect(encoding.offsets).toEqual(c.offsets);
    if (c.wordIds !== null) expect(encoding.wordIds).toEqual(c.wordIds);
  });
});
