import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTokenizer, type Tokenizer } from '../tokenizer';
import { parseBertConfig } from './bert/config';
import { configAndTokenizerFiles } from './pretrained';

const config = parseBertConfig(JSON.parse(readFileSync('tools/reference/fixtures/base/config.json', 'utf8')));
const read = (path: string): string => readFileSync(`tools/reference/tokenizers/${path}`, 'utf8');

/** The saved folder's tokenizer, read back as loadPretrained reads it. */
function roundTrip(tokenizer: Tokenizer): { names: string[]; again: Tokenizer; tokenizerConfig: Record<string, unknown> } {
  const files = configAndTokenizerFiles(config, tokenizer);
  const text = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]));
  const { 'config.json': _config, 'special_tokens_map.json': _map, ...tokenizerFiles } = text;
  return { names: Object.keys(files).sort(), again: loadTokenizer(tokenizerFiles), tokenizerConfig: JSON.parse(text['tokenizer_config.json']) as Record<string, unknown> };
}

describe('configAndTokenizerFiles', () => {
  const texts = ['Hello world!', 'Café 😀 東京 <mask>', '  spaces  '];

  it.each([
    ['byte-level BPE', { 'vocab.json': read('bpe/vocab.json'), 'merges.txt': read('bpe/merges.txt') }, ['merges.txt', 'tokenizer.json', 'vocab.json']],
    ['Unigram', { 'tokenizer.json': read('unigram/tokenizer.json') }, ['tokenizer.json']],
    ['WordPiece', { 'vocab.txt': read('wordpiece-cased/vocab.txt'), 'tokenizer_config.json': read('wordpiece-cased/tokenizer_config.json') }, ['tokenizer.json', 'vocab.txt']],
  ] as const)('saves a %s tokenizer as files that read back as the same tokenizer', (_, files, own) => {
    const tokenizer = loadTokenizer(files);
    const { names, again, tokenizerConfig } = roundTrip(tokenizer);
    expect(names).toEqual(['config.json', ...own, 'special_tokens_map.json', 'tokenizer_config.json'].sort());
    expect(tokenizerConfig).toMatchObject({ tokenizer_class: 'BertTokenizer', model_max_length: config.maxPositionEmbeddings });
    for (const text of texts) expect(again.encode(text, 'a pair')).toEqual(tokenizer.encode(text, 'a pair'));
  });
});
