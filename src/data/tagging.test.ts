import { describe, expect, it } from 'vitest';
import { parseDataset } from './parse';
import { detectScheme, spansToTags, taggedSentence, tagLabels } from './tagging';
import { expectDataError } from './testing';

const CONLL = [
  '-DOCSTART- -X- -X- O',
  '',
  'EU NNP B-NP B-ORG',
  'rejects VBZ B-VP O',
  'German JJ B-NP B-MISC',
  '',
  '',
  'Peter\tB-PER',
  'Blackburn\tI-PER',
  '',
].join('\n');

describe('CoNLL files', () => {
  it('reads a sentence per blank-line block, the token first and the tag last, skipping -DOCSTART-', () => {
    const parsed = parseDataset(CONLL, 'train.conll');
    expect(parsed.format).toBe('conll');
    expect(parsed.columns).toEqual(['text', 'tags']);
    expect(parsed.rows).toEqual([
      { text: 'EU rejects German', tags: 'B-ORG O B-MISC' },
      { text: 'Peter Blackburn', tags: 'B-PER I-PER' },
    ]);
  });

  it('reads a .txt file as CoNLL when asked', () => {
    expect(parseDataset('a O\nb B-X\n', 'train.txt', undefined, { format: 'conll' }).rows).toEqual([{ text: 'a b', tags: 'O B-X' }]);
  });

  it('names the line of a token without a tag and of a tag that is none', () => {
    expect(expectDataError(() => parseDataset('a O\nlonely\n', 'x.conll'), 'malformed').message).toBe('"x.conll" line 2: "lonely" has no tag (expected "token tag").');
    expect(expectDataError(() => parseDataset('a O\n\nb NNP\n', 'x.conll'), 'bad-label').line).toBe(3);
  });
});

describe('JSONL spans', () => {
  it('splits words at spaces and punctuation and tags the words a span overlaps B- then I-', () => {
    const text = 'Ada Lovelace met Babbage in London.';
    const spans = [{ start: 28, end: 34, label: 'LOC' }, { start: 0, end: 12, label: 'PER' }, { start: 17, end: 24, label: 'PER' }];
    expect(spansToTags(text, spans, 0)).toEqual({
      words: ['Ada', 'Lovelace', 'met', 'Babbage', 'in', 'London', '.'],
      tags: ['B-PER', 'I-PER', 'O', 'B-PER', 'O', 'B-LOC', 'O'],
    });
  });

  it('starts a new entity where two spans touch', () => {
    expect(spansToTags('New York Boston', [{ start: 0, end: 8, label: 'LOC' }, { start: 9, end: 15, label: 'LOC' }], 0).tags).toEqual(['B-LOC', 'I-LOC', 'B-LOC']);
  });

  it('refuses spans out of the text, without a label, or overlapping, naming the row', () => {
    expect(expectDataError(() => spansToTags('abc', [{ start: 0, end: 9, label: 'X' }], 4), 'malformed').message).toMatch(/Entity 1 of row 5/);
    expect(expectDataError(() => spansToTags('abc', [{ start: 0, end: 1 }], 0), 'malformed').row).toBe(0);
    expectDataError(() => spansToTags('abc def', [{ start: 0, end: 5, label: 'X' }, { start: 4, end: 7, label: 'Y' }], 0), 'malformed');
  });

  it('reads a parsed JSONL row through its entities or spans field', () => {
    const parsed = parseDataset('{"text": "Rome is old", "entities": [{"start": 0, "end": 4, "label": "LOC"}]}\n{"text": "so is Ur", "spans": []}\n', 'd.jsonl');
    expect(taggedSentence(parsed.rows[0], 0)).toEqual({ words: ['Rome', 'is', 'old'], tags: ['B-LOC', 'O', 'O'] });
    expect(taggedSentence(parsed.rows[1], 1).tags).toEqual(['O', 'O', 'O']);
    expectDataError(() => taggedSentence({ text: 'x' }, 2), 'missing-label');
  });

  it('refuses a tags cell whose count differs from the words', () => {
    expect(expectDataError(() => taggedSentence({ text: 'a b', tags: 'O' }, 0), 'malformed').message).toBe('row 1 has 2 words and 1 tags.');
  });
});

describe('tag schemes and labels', () => {
  it('detects BIOES, BIO and IO from the prefixes', () => {
    expect(detectScheme(['O', 'B-PER', 'E-PER'])).toBe('BIOES');
    expect(detectScheme(['O', 'S-LOC'])).toBe('BIOES');
    expect(detectScheme(['O', 'B-PER', 'I-PER'])).toBe('BIO');
    expect(detectScheme(['O', 'I-PER'])).toBe('IO');
  });

  it('orders the tags O first, then by code unit, and needs two', () => {
    expect(tagLabels([{ words: ['a', 'b', 'c'], tags: ['I-PER', 'O', 'B-PER'] }])).toEqual(['O', 'B-PER', 'I-PER']);
    expectDataError(() => tagLabels([{ words: ['a'], tags: ['O'] }]), 'too-few-classes');
  });
});
