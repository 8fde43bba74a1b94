import { describe, expect, it } from 'vitest';
import { prepareData } from './prepare';
import { splitRecords } from './records';

describe('splitRecords', () => {
  it('writes the split’s rows in order, with class ids and a pair', () => {
    const text = 'premise,hypothesis,label\na,b,yes\nc,,no\ne,f,yes\ng,h,no\ni,j,yes\nk,l,no\n';
    const data = prepareData({ train: { fileName: 'nli.csv', text } }, { task: 'classify', seed: 3, valSplit: 0.34, columns: { textPair: 'hypothesis' } });
    const { train, validation } = splitRecords(data);
    expect([...train, ...validation].map((r) => r.row).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(train.map((r) => r.row)).toEqual(data.split.train);
    expect(validation.map((r) => r.row)).toEqual(data.split.validation);
    const byRow = new Map([...train, ...validation].map((r) => [r.row, r]));
    expect(byRow.get(1)).toEqual({ row: 1, text: 'c', text_pair: '', label: 0 });
    expect(byRow.get(2)).toEqual({ row: 2, text: 'e', text_pair: 'f', label: 1 });
  });

  it('writes regression targets, and a separate validation file’s rows', () => {
    const data = prepareData(
      { train: { fileName: 't.csv', text: 'text,score\na,0.5\nb,2\n' }, validation: { fileName: 'v.csv', text: 'text,score\nc,-1\n' } },
      { task: 'classify', seed: 1, valSplit: 0.1, regression: true },
    );
    expect(splitRecords(data)).toEqual({
      train: [{ row: 0, text: 'a', label: 0.5 }, { row: 1, text: 'b', label: 2 }],
      validation: [{ row: 0, text: 'c', label: -1 }],
    });
  });

  it('gives masked-LM rows their document, within which packing joins them', () => {
    const files = { train: { fileName: 'domain.txt', text: 'a b\nc\n\nd e\nf\n' }, validation: { fileName: 'val.txt', text: 'x\n\ny\n' } };
    const { train, validation } = splitRecords(prepareData(files, { task: 'mlm', seed: 1, valSplit: 0.1 }));
    expect(train.map((r) => [r.text, r.document])).toEqual([['a b', 0], ['c', 0], ['d e', 1], ['f', 1]]);
    expect(validation.map((r) => [r.text, r.document])).toEqual([['x', 0], ['y', 1]]);
    expect(train[0]).not.toHaveProperty('label');
  });
});
