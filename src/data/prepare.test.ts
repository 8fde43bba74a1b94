import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromVocabTxt } from '../tokenizer';
import type { Tokenizer } from '../tokenizer/types';
import { planBatches } from './batching';
import { encodeDataset } from './encode';
import { countPackedSequences } from './packing';
import { encodePrepared, FULL_ENCODING_LIMIT, packingShape, prepareData, type DataFiles } from './prepare';
import { fakeTokenizer } from './testing';

const tok = fakeTokenizer();
const tokens = (ids: Int32Array) => [...ids].map((id) => tok.idToToken(id)).join(' ');

function countingTokenizer(): { tokenizer: Tokenizer; calls: () => number } {
  let calls = 0;
  const tokenizer: Tokenizer = Object.create(tok);
  tokenizer.encode = (...args) => {
    calls++;
    return tok.encode(...args);
  };
  return { tokenizer, calls: () => calls };
}

describe('encodePrepared', () => {
  const txt = 'a b\nc\n\nd e\nf\n\ng\n';
  const files = { train: { fileName: 'domain.txt', text: txt }, validation: { fileName: 'val.txt', text: 'x\ny\n\nz\n' } };
  const data = prepareData(files, { task: 'mlm', seed: 1, valSplit: 0.1 });

  it('packs the lines of each TXT document into one sequence for MLM', () => {
    const { train, validation } = encodePrepared(data, tok, { maxLength: 16, pack: true });
    expect(train.map((e) => tokens(e.inputIds))).toEqual(['[CLS] a b c [SEP]', '[CLS] d e f [SEP]', '[CLS] g [SEP]']);
    expect(train.map((e) => e.index)).toEqual([0, 2, 4]);
    expect(validation.map((e) => tokens(e.inputIds))).toEqual(['[CLS] x y [SEP]', '[CLS] z [SEP]']);
  });

  it('gives one example per line without packing', () => {
    const { train } = encodePrepared(data, tok, { maxLength: 16, pack: false });
    expect(train.map((e) => tokens(e.inputIds))).toEqual(['[CLS] a b [SEP]', '[CLS] c [SEP]', '[CLS] d e [SEP]', '[CLS] f [SEP]', '[CLS] g [SEP]']);
  });

  it('never packs classification rows', () => {
    const csv = { train: { fileName: 't.csv', text: 'text,label\na b,x\nc,y\nd,x\ne,y\n' } };
    const classify = prepareData(csv, { task: 'classify', seed: 1, valSplit: 0.5 });
    const { train } = encodePrepared(classify, tok, { maxLength: 16, pack: true });
    expect(train).toHaveLength(classify.split.train.length);
    expect(train.every((e) => e.label !== undefined)).toBe(true);
  });

  it('reuses the length report encodings for rows that fit, with the same result and fewer tokenizer calls', () => {
    const csv = { train: { fileName: 't.csv', text: 'text,label\nhello world,x\nplaying,y\nhello,x\nworld playing hello,y\n' } };
    const classify = prepareData(csv, { task: 'classify', seed: 1, valSplit: 0.5 });
    const full = encodeDataset(classify.train, tok, { columns: classify.columns, maxLength: FULL_ENCODING_LIMIT });
    const fresh = encodePrepared(classify, tok, { maxLength: 6 });
    const counting = countingTokenizer();
    const reused = encodePrepared(classify, counting.tokenizer, { maxLength: 6, full });
    expect(reused).toEqual(fresh);
    // Rows of 6 tokens or fewer come from `full`; only the long row is tokenized again (twice: full, then truncated).
    const long = classify.split.train.concat(classify.split.validation).filter((row) => full.lengths[row] > 6).length;
    expect(counting.calls()).toBe(2 * long);
  });
});

describe('packingShape', () => {
  const read = (path: string) => readFileSync(new URL(`../../public/${path}`, import.meta.url), 'utf8');
  const bundled = fromVocabTxt(read('models/bert-tiny-en/vocab.txt'), { doLowerCase: true });

  /** The examples a packed run trains on, as the engine builds them, and the count the page gets before it. */
  function actualAndEstimate(files: DataFiles, tokenizer: Tokenizer, maxLength: number): { actual: number; estimate: number; batches: number } {
    const data = prepareData(files, { task: 'mlm', seed: 42, valSplit: 0.1 });
    const full = encodeDataset(data.train, tokenizer, { columns: data.columns, maxLength: FULL_ENCODING_LIMIT });
    const { train } = encodePrepared(data, tokenizer, { maxLength, pack: true, full });
    const shape = packingShape(data, full.lengths)!;
    return {
      actual: train.length,
      estimate: countPackedSequences(shape.lengths, shape.documents, maxLength),
      batches: planBatches(train, { batchSize: 16, maxLength }).length,
    };
  }

  it('lets the page count the sequences of the domain sample that a packed run trains on', () => {
    const domain = { train: { fileName: 'domain.txt', text: read('samples/domain.txt') } };
    for (const maxLength of [16, 32, 128, 512]) {
      const { actual, estimate, batches } = actualAndEstimate(domain, bundled, maxLength);
      expect(estimate, `max length ${maxLength}`).toBe(actual);
      // The trainer's steps per epoch follow from the count: one partial batch at most.
      expect(batches).toBe(Math.ceil(estimate / 16));
    }
    // Far fewer than its rows: counting rows is what made the estimate 4× the run.
    const rows = prepareData(domain, { task: 'mlm', seed: 42, valSplit: 0.1 }).split.train.length;
    expect(actualAndEstimate(domain, bundled, 128).estimate).toBeLessThan(rows / 4);
  });

  it('agrees on table rows, empty rows, rows cut at the encoding limit, and a separate validation file', () => {
    const long = Array.from({ length: 700 }, (_, i) => `w${i}`).join(' ');
    const text = ['text', 'a b c', '""', long, 'hello world playing', 'x', long.slice(0, 900)].join('\n');
    const files = { train: { fileName: 't.csv', text }, validation: { fileName: 'v.txt', text: 'y\nz\n' } };
    for (const maxLength of [3, 8, 64, 512, 600]) {
      const { actual, estimate } = actualAndEstimate(files, tok, maxLength);
      expect(estimate, `max length ${maxLength}`).toBe(actual);
    }
  });

  it('is absent for data that is never packed', () => {
    const csv = { train: { fileName: 't.csv', text: 'text,label\na b,x\nc,y\nd,x\ne,y\n' } };
    const classify = prepareData(csv, { task: 'classify', seed: 1, valSplit: 0.5 });
    expect(packingShape(classify, [4, 3, 3, 3])).toBeUndefined();
  });
});

describe('prepareData errors', () => {
  it('name the file a bad line or row belongs to', () => {
    const plan = { task: 'classify' as const, seed: 1, valSplit: 0.1 };
    const train = { fileName: 'train.csv', text: 'text,label\na,x\nb,y\nc,x\nd,y\n' };
    expect(() => prepareData({ train, validation: { fileName: 'val.jsonl', text: '{"text": "a", "label": "x"}\n{"text": \n' } }, plan)).toThrow(
      expect.objectContaining({ name: 'DataError', file: 'val.jsonl', line: 2 }),
    );
    expect(() => prepareData({ train: { fileName: 'bad.jsonl', text: '{"text"\n' } }, plan)).toThrow(expect.objectContaining({ file: 'bad.jsonl' }));
  });
});

describe('prepareData for token classification', () => {
  const conll = Array.from({ length: 10 }, (_, i) => `Ada B-PER\nLovelace I-PER\nvisited O\nCity${i} B-LOC\n`).join('\n');

  it('reads a .txt file as CoNLL, takes the tags as labels and detects the scheme', () => {
    const data = prepareData({ train: { fileName: 'train.txt', text: conll } }, { task: 'ner', seed: 1, valSplit: 0.2 });
    expect(data.labels).toEqual({ kind: 'categorical', id2label: ['O', 'B-LOC', 'B-PER', 'I-PER'], label2id: { O: 0, 'B-LOC': 1, 'B-PER': 2, 'I-PER': 3 } });
    expect(data.tagScheme).toBe('BIO');
    expect(data.split.train.length + data.split.validation.length).toBe(10);
    const encoded = encodePrepared(data, tok, { maxLength: 32 });
    expect(encoded.validation).toHaveLength(2);
    expect(encoded.train.every((ex) => ex.tokenLabels?.length === ex.inputIds.length && ex.label === undefined)).toBe(true);
  });

  it('names the file of a bad line', () => {
    expect(() => prepareData({ train: { fileName: 'ner.conll', text: 'a O\nb BAD\n' } }, { task: 'ner', seed: 1, valSplit: 0.2 }))
      .toThrow(expect.objectContaining({ file: 'ner.conll', line: 2 }));
  });
});

describe('prepareData for question answering', () => {
  const rows = Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: `q${i}`, question: `who is ${i} ?`, context: `Ada met Bo${i} in Rome`, answers: { text: [`Bo${i}`], answer_start: [8] } }));

  it('reads SQuAD-layout JSONL as question rows, split at random and encoded as windows with their answers', () => {
    const data = prepareData({ train: { fileName: 'train.jsonl', text: rows.join('\n') } }, { task: 'qa', seed: 1, valSplit: 0.2 });
    expect(data.train.format).toBe('squad');
    expect(data.columns).toMatchObject({ text: 'question', textPair: 'context' });
    expect(data.labels).toBeUndefined();
    expect(data.split.validation).toHaveLength(2);
    const encoded = encodePrepared(data, tok, { maxLength: 10 });
    expect(encoded.validation.length).toBeGreaterThan(2);
    const answered = encoded.train.filter((ex) => ex.qa!.startPosition > 0);
    expect(new Set(answered.map((ex) => ex.index)).size).toBe(8);
    expect(answered.every((ex) => tokens(ex.inputIds.subarray(ex.qa!.startPosition, ex.qa!.endPosition + 1)).startsWith('Bo'))).toBe(true);
  });

  it('refuses a file that is not SQuAD JSON or JSONL', () => {
    expect(() => prepareData({ train: { fileName: 'train.csv', text: 'question,context\na,b\n' } }, { task: 'qa', seed: 1, valSplit: 0.2 }))
      .toThrow(expect.objectContaining({ code: 'unsupported-format' }));
  });
});
