import { describe, expect, it } from 'vitest';
import { prepareData } from '../../data/prepare';
import { baselineInput } from './runner';

const prepare = (text: string, task: 'classify' | 'mlm', regression?: boolean) =>
  prepareData({ train: { fileName: 'd.csv', text } }, { task, regression, seed: 1, valSplit: 0.5 });

describe('baselineInput', () => {
  it('takes the split\'s texts, a pair joined by a line break, and the label ids BERT trains on', () => {
    const csv = 'premise,hypothesis,label\na cat,an animal,yes\na dog,a car,no\nrain,wet,yes\nsun,cold,no\n';
    const data = prepare(csv, 'classify');
    const input = baselineInput(data);
    expect(input.task).toEqual({ kind: 'classification', labels: ['no', 'yes'] });
    const row = data.split.train[0];
    expect(input.train.texts[0]).toBe(`${data.train.rows[row].premise}\n${data.train.rows[row].hypothesis}`);
    expect(input.train.targets[0]).toBe(data.train.rows[row].label === 'yes' ? 1 : 0);
    expect(input.train.texts.length + input.validation.texts.length).toBe(4);
  });

  it('takes numbers as regression targets, and refuses data without labels', () => {
    const input = baselineInput(prepare('text,score\ngood,4.5\nbad,1\nokay,3\nfine,3.5\n', 'classify', true));
    expect(input.task).toEqual({ kind: 'regression' });
    expect([...Array.from(input.train.targets), ...Array.from(input.validation.targets)].sort()).toEqual([1, 3, 3.5, 4.5]);
    expect(() => baselineInput(prepare('text\na\nb\n', 'mlm'))).toThrow('The linear baseline needs labels');
  });
});
