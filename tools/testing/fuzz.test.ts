// Fuzzing every parser of untrusted input with a fixed seed: random bytes and mutations of valid files. Each
// input must either parse or throw the parser's own typed error, never a TypeError, RangeError or hang.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { parseDataset } from '../../src/data/parse';
import { createRng, type Rng } from '../../src/data/random';
import { parseBertConfig } from '../../src/model/bert/config';
import { ConfigError } from '../../src/model/errors';
import { fromTokenizerJson, fromVocabTxt, parseTokenizerConfig } from '../../src/tokenizer';
import { TokenizerError } from '../../src/tokenizer/errors';
import { readSafetensors, SafetensorsError, writeSafetensors } from '../../src/io/safetensors';
import { unzipFiles, ZipError } from '../../src/io/zip';

const CASES = 10_000;
const FIXTURE = join(__dirname, '../reference/fixtures/base');

/** One of: random bytes, the seed with bytes flipped, cut short, a slice repeated, or bytes inserted. */
function mutate(seed: Uint8Array, rng: Rng): Uint8Array {
  const kind = rng.int(5);
  if (kind === 0) return Uint8Array.from({ length: rng.int(256) }, () => rng.int(256));
  const out = seed.slice();
  if (kind === 1) {
    for (let k = 0, n = 1 + rng.int(8); k < n && out.length > 0; k++) out[rng.int(out.length)] = rng.int(256);
    return out;
  }
  if (kind === 2) return out.subarray(0, rng.int(out.length + 1));
  const at = rng.int(out.length + 1);
  const insert = kind === 3 ? out.subarray(rng.int(out.length + 1)).subarray(0, 64) : Uint8Array.from({ length: 1 + rng.int(16) }, () => rng.int(256));
  const grown = new Uint8Array(out.length + insert.length);
  grown.set(out.subarray(0, at));
  grown.set(insert, at);
  grown.set(out.subarray(at), at + insert.length);
  return grown;
}

/** Runs `parse` on CASES inputs; returns how many parsed. Any error other than `typed` fails with the input. */
function fuzz(name: string, seeds: Uint8Array[], typed: (err: unknown) => boolean, parse: (bytes: Uint8Array) => unknown): number {
  const rng = createRng(20261202).fork(name);
  let parsed = 0;
  for (let i = 0; i < CASES; i++) {
    const input = mutate(seeds[i % seeds.length], rng);
    try {
      parse(input);
      parsed += 1;
    } catch (err) {
      if (!typed(err)) {
        throw new Error(`${name} case ${i} threw ${(err as Error).name}: ${(err as Error).message}\ninput: ${Buffer.from(input).toString('base64').slice(0, 400)}`, { cause: err });
      }
    }
  }
  return parsed;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const utf8 = (s: string) => new TextEncoder().encode(s);
/** JSON.parse's SyntaxError is the caller's to wrap (pretrained.ts does), so it counts as typed here. */
const json = (bytes: Uint8Array): unknown => JSON.parse(text(bytes));
const isJsonSyntax = (err: unknown) => err instanceof SyntaxError;

describe(`fuzzing the parsers of untrusted files (${CASES} inputs each, fixed seed)`, () => {
  it('safetensors', () => {
    const seed = writeSafetensors(new Map([
      ['a', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
      ['b', { shape: [4], data: Float32Array.from([1, 2, 3, 4]), dtype: 'F16' as const }],
    ]));
    const real = new Uint8Array(readFileSync(join(FIXTURE, 'model.safetensors'))).subarray(0, 4096);
    const parsed = fuzz('safetensors', [seed, real], (e) => e instanceof SafetensorsError, readSafetensors);
    expect(parsed).toBeGreaterThan(0);
  });

  it('config.json', () => {
    const seed = readFileSync(join(FIXTURE, 'config.json'));
    const parsed = fuzz('config', [new Uint8Array(seed)], (e) => e instanceof ConfigError || isJsonSyntax(e), (bytes) => parseBertConfig(json(bytes)));
    expect(parsed).toBeGreaterThan(0);
  });

  it('tokenizer files: vocab.txt, tokenizer.json, tokenizer_config.json', () => {
    const vocab = readFileSync(join(FIXTURE, 'vocab.txt'), 'utf8').split('\n').slice(0, 200).join('\n');
    const typed = (e: unknown) => e instanceof TokenizerError || isJsonSyntax(e);
    fuzz('vocab.txt', [utf8(vocab)], typed, (bytes) => fromVocabTxt(text(bytes)));
    const tokenizerJson = JSON.stringify({
      model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: { '[PAD]': 0, '[UNK]': 1, '[CLS]': 2, '[SEP]': 3, '[MASK]': 4, a: 5, '##b': 6 } },
      normalizer: { type: 'BertNormalizer', lowercase: true, strip_accents: null, clean_text: true, handle_chinese_chars: true },
      pre_tokenizer: { type: 'BertPreTokenizer' },
    });
    fuzz('tokenizer.json', [utf8(tokenizerJson)], typed, (bytes) => fromTokenizerJson(json(bytes)));
    fuzz('tokenizer_config.json', [utf8('{"do_lower_case": true, "model_max_length": 512, "tokenize_chinese_chars": true}')], typed, (bytes) =>
      parseTokenizerConfig(json(bytes)),
    );
  });

  it('zip archives', () => {
    const seed = zipSync({ 'model/config.json': utf8('{"model_type": "bert"}'), 'model/vocab.txt': utf8('[PAD]\n[UNK]\n') });
    const parsed = fuzz('zip', [seed], (e) => e instanceof ZipError, (bytes) => unzipFiles(bytes, { maxTotalBytes: 1 << 20 }));
    expect(parsed).toBeGreaterThan(0);
  });

  it('CSV, TSV and JSONL datasets', () => {
    const seeds: [string, string][] = [
      ['d.csv', 'text,label\n"a, quoted",pos\nplain,neg\n'],
      ['d.tsv', 'text\tlabel\na\tpos\nb\tneg\n'],
      ['d.jsonl', '{"text": "a", "label": "pos"}\n{"text": "b", "label": "neg"}\n'],
    ];
    for (const [fileName, seed] of seeds) {
      const parsed = fuzz(fileName, [utf8(seed)], (e) => e instanceof DataError, (bytes) => parseDataset(text(bytes), fileName));
      expect(parsed).toBeGreaterThan(0);
    }
  });
});
