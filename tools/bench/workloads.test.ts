import { describe, expect, it } from 'vitest';
import { SPECIAL, syntheticExamples } from './workloads';

describe('syntheticExamples', () => {
  it('makes full-length [CLS] … [SEP] rows of ordinary ids, reproducibly', () => {
    const examples = syntheticExamples(3, 8, 50, 4);
    expect(examples).toHaveLength(3);
    for (const [i, ex] of examples.entries()) {
      expect(ex.inputIds).toHaveLength(8);
      expect(ex.inputIds[0]).toBe(SPECIAL.cls);
      expect(ex.inputIds[7]).toBe(SPECIAL.sep);
      expect([...ex.inputIds.slice(1, 7)].every((id) => id > SPECIAL.mask && id < 50)).toBe(true);
      expect([...ex.wordIds]).toEqual([-1, 0, 1, 2, 3, 4, 5, -1]);
      expect([...ex.specialMask]).toEqual([1, 0, 0, 0, 0, 0, 0, 1]);
      expect(ex.label).toBe(i % 2);
      expect(ex.index).toBe(i);
    }
    expect(syntheticExamples(3, 8, 50, 4)).toEqual(examples);
    expect(syntheticExamples(3, 8, 50, 5)[0].inputIds).not.toEqual(examples[0].inputIds);
  });

  it('rejects rows too short for [CLS] and [SEP] and vocabularies of special tokens only', () => {
    expect(() => syntheticExamples(1, 2, 50)).toThrow(/seqLen must be a whole number >= 3, got 2/);
    expect(() => syntheticExamples(1, 8, 5)).toThrow(/vocabSize must exceed the special ids \(5\), got 5/);
  });
});
