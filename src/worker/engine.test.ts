import { describe, expect, it } from 'vitest';
import { prepareData } from '../data/prepare';
import { rowText } from './engine';

describe('rowText', () => {
  it('joins a text pair with [SEP] and rejects a row that does not exist', () => {
    const prepared = prepareData(
      { train: { fileName: 'pairs.csv', text: 'premise,hypothesis,label\na cat,an animal,yes\na dog,a car,no\na bird,a pet,yes\na fish,a tree,no\n' } },
      { task: 'classify', seed: 1, valSplit: 0.5 },
    );
    const textOf = rowText(prepared);
    expect(textOf(0)).toBe('a cat [SEP] an animal');
    expect(() => textOf(7)).toThrow(/validation row 7 does not exist/);
  });
});
