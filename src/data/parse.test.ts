import { describe, expect, it } from 'vitest';
import type { Progress } from '../progress';
import { formatFromFileName, parseDataset } from './parse';
import { expectDataError } from './testing';

describe('formatFromFileName', () => {
  it('maps extensions case-insensitively and rejects others', () => {
    expect(formatFromFileName('a/b/train.CSV')).toBe('csv');
    expect(formatFromFileName('x.ndjson')).toBe('jsonl');
    expect(formatFromFileName('x.tsv')).toBe('tsv');
    expectDataError(() => formatFromFileName('sheet.xlsx'), 'unsupported-format');
    expectDataError(() => formatFromFileName('noext'), 'unsupported-format');
    expectDataError(() => formatFromFileName('x.constructor'), 'unsupported-format');
  });
});

describe('parseDataset: CSV and TSV', () => {
  it('parses quoted fields with commas and newlines, types numeric columns, keeps text columns as strings', () => {
    const csv = '\ufefftext,label,id\n"hello, world",1,007\n"two\nlines",0,008\nplain,1,\n';
    const ds = parseDataset(csv, 'train.csv');
    expect(ds.format).toBe('csv');
    expect(ds.columns).toEqual(['text', 'label', 'id']);
    expect(ds.rows).toEqual([
      { text: 'hello, world', label: 1, id: '007' },
      { text: 'two\nlines', label: 0, id: '008' },
      { text: 'plain', label: 1, id: null },
    ]);
    expect(ds.warnings).toEqual([]);
  });

  it('guesses a semicolon delimiter and reads TSV', () => {
    expect(parseDataset('a;b\nx;2.5\n', 'eu.csv').rows).toEqual([{ a: 'x', b: 2.5 }]);
    const tsv = parseDataset('sentence\tlabel\nit, is\tpos\n', 'd.tsv');
    expect(tsv.rows).toEqual([{ sentence: 'it, is', label: 'pos' }]);
  });

  it('reads a single-column CSV', () => {
    expect(parseDataset('text\nhello\nworld\n', 'one.csv').rows).toEqual([{ text: 'hello' }, { text: 'world' }]);
  });

  it('keeps a column with any non-number as text, and long digit strings as text', () => {
    const ds = parseDataset('a,b\n1,12345678901234567890\nx,2\n', 'm.csv');
    expect(ds.rows[0]).toEqual({ a: '1', b: '12345678901234567890' });
  });

  it('pads short rows, drops extra cells and warns with the line', () => {
    const ds = parseDataset('a,b\n1,2\n3\n4,5,6\n7,8,\n', 'r.csv');
    expect(ds.rows).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: null },
      { a: 4, b: 5 },
      { a: 7, b: 8 },
    ]);
    expect(ds.warnings).toHaveLength(1);
    expect(ds.warnings[0]).toMatch(/2 row\(s\).*line 3/);
  });

  it('renames empty and duplicate headers', () => {
    const ds = parseDataset('text,,text\na,b,c\n', 'h.csv');
    expect(ds.columns).toEqual(['text', 'column_2', 'text_2']);
    expect(ds.warnings).toHaveLength(2);
  });

  it('treats __proto__ as an ordinary column', () => {
    const ds = parseDataset('__proto__,text\n{"polluted":1},hi\n', 'p.csv');
    expect(Object.hasOwn(ds.rows[0], '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(ds.rows[0])).toBe(Object.prototype);
    const json = parseDataset('{"__proto__":{"polluted":1},"text":"hi"}\n', 'p.jsonl');
    expect(json.rows[0].__proto__).toBe('{"polluted":1}');
    expect(Object.getPrototypeOf(json.rows[0])).toBe(Object.prototype);
  });

  it('reports an unterminated quote with its line number', () => {
    const err = expectDataError(() => parseDataset('a,b\n1,2\n3,"oops\n5,6\n', 'q.csv'), 'malformed');
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/line 3/);
  });

  it('rejects a header without rows', () => {
    expectDataError(() => parseDataset('text,label\n', 'h.csv'), 'no-rows');
  });
});

describe('parseDataset: JSON Lines and JSON', () => {
  it('unions keys in first-seen order, keeps JSON types, stringifies nested values with a warning', () => {
    const jsonl = '{"text":"a","label":"pos"}\n\n{"label":"neg","text":"b","meta":{"x":1},"ok":true}\r\n';
    const ds = parseDataset(jsonl, 'd.jsonl');
    expect(ds.columns).toEqual(['text', 'label', 'meta', 'ok']);
    expect(ds.rows).toEqual([
      { text: 'a', label: 'pos', meta: null, ok: null },
      { text: 'b', label: 'neg', meta: '{"x":1}', ok: 'true' },
    ]);
    expect(ds.warnings).toEqual(['Field "meta" holds objects or arrays; they were kept as JSON text.']);
  });

  it('names the bad line in malformed JSONL', () => {
    const bad = expectDataError(() => parseDataset('{"text":"a"}\n\n{"text": oops}\n', 'd.jsonl'), 'malformed');
    expect(bad.line).toBe(3);
    const notObject = expectDataError(() => parseDataset('{"text":"a"}\n[1,2]\n', 'd.ndjson'), 'malformed');
    expect(notObject.line).toBe(2);
    expect(notObject.message).toMatch(/expected a JSON object/);
  });

  it('reads an array of objects or a single wrapped array', () => {
    expect(parseDataset('[{"text":"a","label":1}]', 'd.json').rows).toEqual([{ text: 'a', label: 1 }]);
    expect(parseDataset('{"version":2,"data":[{"text":"b"}]}', 'd.json').rows).toEqual([{ text: 'b' }]);
  });

  it('rejects JSON that is not an array of objects', () => {
    expect(expectDataError(() => parseDataset('{"a":1}', 'd.json'), 'malformed').message).toMatch(/array of objects/);
    const several = expectDataError(() => parseDataset('{"train":[],"test":[]}', 'd.json'), 'malformed');
    expect(several.message).toMatch(/several arrays/);
    const item = expectDataError(() => parseDataset('[{"text":"a"}, 3]', 'd.json'), 'malformed');
    expect(item.row).toBe(1);
    const syntax = expectDataError(() => parseDataset('[\n{"text":"a"},\n{"text" "b"}\n]', 'd.json'), 'malformed');
    expect(syntax.line).toBe(3);
    expectDataError(() => parseDataset('[{}]', 'd.json'), 'no-columns');
  });
});

describe('parseDataset: text', () => {
  it('makes one row per non-blank line and documents split at blank lines', () => {
    const ds = parseDataset('First doc line one.\r\nLine two.\n\n\n  Second doc.  \n', 'corpus.txt');
    expect(ds.columns).toEqual(['text']);
    expect(ds.rows.map((r) => r.text)).toEqual(['First doc line one.', 'Line two.', 'Second doc.']);
    expect(ds.documents).toEqual([['First doc line one.', 'Line two.'], ['Second doc.']]);
  });
});

describe('parseDataset: bad files and limits', () => {
  it('rejects empty, binary, zip and parquet input', () => {
    expectDataError(() => parseDataset(' \n\n ', 'e.csv'), 'empty-file');
    expectDataError(() => parseDataset('', 'e.txt'), 'empty-file');
    const zip = expectDataError(() => parseDataset('PK\u0003\u0004rest', 'book.csv'), 'binary-file');
    expect(zip.message).toMatch(/xlsx/);
    expect(expectDataError(() => parseDataset('PAR1....', 'x.csv'), 'binary-file').message).toMatch(/Parquet/);
    expectDataError(() => parseDataset('a\u0000b', 'x.txt'), 'binary-file');
    const junk = Array.from({ length: 200 }, (_, i) => String.fromCharCode(i % 2 ? 0xfffd : 3)).join('');
    expectDataError(() => parseDataset(`text\n${junk}`, 'x.csv'), 'binary-file');
  });

  it('enforces the size and row limits', () => {
    expectDataError(() => parseDataset('text\nabc\n', 'x.csv', undefined, { limits: { maxChars: 5 } }), 'too-large');
    const rows = 'text\n' + 'a\n'.repeat(11);
    for (const [name, text] of [
      ['x.csv', rows],
      ['x.txt', rows],
      ['x.jsonl', '{"t":1}\n'.repeat(11)],
      ['x.json', `[${Array(11).fill('{"t":1}').join(',')}]`],
    ]) {
      expectDataError(() => parseDataset(text, name, undefined, { limits: { maxRows: 10 } }), 'too-many-rows');
    }
  });

  it('reports progress in characters, ending at the total', () => {
    const events: Progress[] = [];
    const text = 'text\n' + 'row\n'.repeat(25);
    parseDataset(text, 'p.csv', (p) => events.push(p), { progressEvery: 10 });
    expect(events.map((e) => e.loaded)).toEqual([5 + 40, 5 + 80, text.length]);
    expect(events.every((e) => e.stage === 'parse' && e.item === 'p.csv' && e.total === text.length)).toBe(true);
  });
});
