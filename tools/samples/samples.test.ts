import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/data/parse';
import { qaItem } from '../../src/data/qa';
import { detectScheme, taggedSentence } from '../../src/data/tagging';
import { auditDomainText, auditLabeledCsv, type LabeledSpec } from './audit';

const readSample = (name: string): string =>
  readFileSync(new URL(`../../public/samples/${name}`, import.meta.url), 'utf8');

const SENTIMENT: LabeledSpec = {
  labels: ['positive', 'negative'],
  minRows: 400,
  maxWords: 40,
  maxImbalance: 1.1,
};
const TOPICS: LabeledSpec = {
  labels: ['sports', 'science', 'business', 'cooking'],
  minRows: 320,
  maxWords: 40,
  maxImbalance: 1.1,
};
const DOMAIN = { minLines: 300, minDocuments: 20 };

describe('public/samples', () => {
  it('ner.conll parses as 320 distinct BIO sentences with people, places and organisations', () => {
    const { rows } = parseDataset(readSample('ner.conll'), 'ner.conll');
    const sentences = rows.map((row, i) => taggedSentence(row, i));
    expect(sentences).toHaveLength(320);
    expect(new Set(sentences.map((s) => s.words.join(' '))).size).toBe(320);
    const tags = sentences.flatMap((s) => s.tags);
    expect(detectScheme(tags)).toBe('BIO');
    expect([...new Set(tags)].sort()).toEqual(['B-LOC', 'B-ORG', 'B-PER', 'I-LOC', 'I-ORG', 'I-PER', 'O']);
    expect(Math.max(...sentences.map((s) => s.words.length))).toBeLessThanOrEqual(17);
  });

  it('qa.json parses as SQuAD v1.1: 325 distinct questions over 78 distinct paragraphs, each answer at its answer_start', () => {
    const { rows, format } = parseDataset(readSample('qa.json'), 'qa.json', undefined, { format: 'squad' });
    expect(format).toBe('squad');
    const items = rows.map((row, i) => qaItem(row, i));
    expect(items).toHaveLength(325);
    expect(new Set(items.map((item) => `${item.context} ${item.question}`)).size).toBe(325);
    expect(new Set(items.map((item) => item.context)).size).toBe(78);
    expect(items.every((item) => item.answers.length === 1 && item.context.slice(item.answers[0].start).startsWith(item.answers[0].text))).toBe(true);
    expect(Math.max(...items.map((item) => item.context.split(' ').length))).toBeLessThanOrEqual(40);
  });

  it('sentiment.csv parses cleanly and meets its spec', () => {
    const audit = auditLabeledCsv(readSample('sentiment.csv'), SENTIMENT);
    expect(audit.problems).toEqual([]);
    expect(audit.rows).toBeGreaterThanOrEqual(400);
  });

  it('topics.csv parses cleanly and meets its spec', () => {
    const audit = auditLabeledCsv(readSample('topics.csv'), TOPICS);
    expect(audit.problems).toEqual([]);
    expect(Object.keys(audit.counts).sort()).toEqual(['business', 'cooking', 'science', 'sports']);
  });

  it('sentiment.csv mixes labels instead of sorting by them', () => {
    const labels = readSample('sentiment.csv').trim().split('\n').slice(1).map((l) => l.split(',').pop());
    const half = labels.slice(0, labels.length / 2);
    expect(new Set(half)).toEqual(new Set(['positive', 'negative']));
  });

  it('nli.csv pairs each premise with one hypothesis of each label, balanced and mixed', () => {
    const parsed = Papa.parse<Record<string, string>>(readSample('nli.csv'), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(['premise', 'hypothesis', 'label']);
    const byPremise = new Map<string, string[]>();
    for (const { premise, hypothesis, label } of parsed.data) {
      expect(hypothesis.trim(), premise).not.toBe('');
      byPremise.set(premise, [...(byPremise.get(premise) ?? []), label]);
    }
    expect(parsed.data.length).toBeGreaterThanOrEqual(240);
    for (const [premise, labels] of byPremise) expect(labels.sort(), premise).toEqual(['contradiction', 'entailment', 'neutral']);
    expect(new Set(parsed.data.map((row) => `${row.premise}|${row.hypothesis}`)).size).toBe(parsed.data.length);
    expect(new Set(parsed.data.slice(0, 30).map((row) => row.label))).toEqual(new Set(['entailment', 'neutral', 'contradiction']));
  });

  it('domain.txt has enough sentences and documents', () => {
    const audit = auditDomainText(readSample('domain.txt'), DOMAIN);
    expect(audit.problems).toEqual([]);
    expect(audit.lines).toBeGreaterThanOrEqual(300);
    expect(audit.documents).toBeGreaterThanOrEqual(20);
  });
});

describe('auditLabeledCsv', () => {
  const spec: LabeledSpec = { labels: ['a', 'b'], minRows: 2, maxWords: 5, maxImbalance: 1.1 };

  it('accepts quoted commas and doubled quotes', () => {
    const csv = 'text,label\n"one, two",a\n"say ""hi"" now",b\n';
    expect(auditLabeledCsv(csv, spec)).toEqual({ rows: 2, counts: { a: 1, b: 1 }, problems: [] });
  });

  it('reports an unquoted comma as a parse error', () => {
    const { problems } = auditLabeledCsv('text,label\none, two,a\nthree,b\n', spec);
    expect(problems.some((p) => p.startsWith('parse error TooManyFields'))).toBe(true);
  });

  it('reports a wrong header', () => {
    const { problems } = auditLabeledCsv('sentence,label\nx,a\ny,b\n', spec);
    expect(problems).toContain('header must be "text,label", got "sentence,label"');
  });

  it('reports empty, overlong, duplicate and unknown-label rows by line', () => {
    const csv = 'text,label\n" ",a\none two three four five six,b\nSame  text,a\nsame text,b\nok,c\n';
    expect(auditLabeledCsv(csv, spec).problems).toEqual([
      'line 2: empty text',
      'line 3: 6 words > 5',
      'line 5: duplicates line 4',
      'line 6: unknown label "c"',
    ]);
  });

  it('reports too few rows and unbalanced or missing labels', () => {
    expect(auditLabeledCsv('text,label\nx,a\n', spec).problems).toEqual([
      '1 rows < 2',
      'labels unbalanced: {"a":1,"b":0}',
    ]);
    const skewed = 'text,label\nw,a\nx,a\ny,a\nz,b\n';
    expect(auditLabeledCsv(skewed, spec).problems).toEqual(['labels unbalanced: {"a":3,"b":1}']);
  });
});

describe('auditDomainText', () => {
  it('counts non-empty lines and blank-line-separated documents', () => {
    const text = 'One.\nTwo.\n\n\nThree.\r\n\r\nFour.\n';
    expect(auditDomainText(text, { minLines: 4, minDocuments: 3 })).toEqual({
      lines: 4,
      documents: 3,
      problems: [],
    });
  });

  it('reports too few lines and documents, including for empty text', () => {
    expect(auditDomainText('', { minLines: 1, minDocuments: 1 }).problems).toEqual([
      '0 non-empty lines < 1',
      '0 documents < 1',
    ]);
  });
});
