import { describe, expect, it } from 'vitest';
import { bucketLengths, collate, epochBatches, lossWeight, planBatches, splitRows, type BatchPlan } from './batching';
import type { EncodedExample } from './encode';
import { expectDataError } from './testing';

/** An example of n tokens: [CLS]=2, ids 10.., [SEP]=3; word i per token. */
function example(n: number, index: number, label?: number): EncodedExample {
  const ids = Int32Array.from({ length: n }, (_, t) => (t === 0 ? 2 : t === n - 1 ? 3 : 10 + t));
  const ex: EncodedExample = {
    inputIds: ids,
    tokenTypeIds: new Int32Array(n),
    wordIds: Int32Array.from({ length: n }, (_, t) => (t === 0 || t === n - 1 ? -1 : t - 1)),
    specialMask: Uint8Array.from({ length: n }, (_, t) => (t === 0 || t === n - 1 ? 1 : 0)),
    index,
  };
  if (label !== undefined) ex.label = label;
  return ex;
}

const lengths = [5, 40, 12, 100, 3, 17, 64, 65, 9, 30, 128, 2, 33];
const examples = lengths.map((n, i) => example(n, 100 + i, i % 3));

describe('bucketLengths', () => {
  it('caps the fixed buckets at maxLength', () => {
    expect(bucketLengths(128)).toEqual([16, 32, 64, 128]);
    expect(bucketLengths(100)).toEqual([16, 32, 64, 100]);
    expect(bucketLengths(512)).toEqual([16, 32, 64, 128, 256, 512]);
    expect(bucketLengths(8)).toEqual([8]);
  });
});

describe('planBatches', () => {
  const options = { batchSize: 4, maxLength: 128, seed: 1, epoch: 0 };

  it('uses every example once, pads to a bucket that fits, and leaves at most one partial batch', () => {
    const plans = planBatches(examples, options);
    expect(plans.flatMap((p) => p.rows).sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    expect(plans.filter((p) => p.rows.length < 4)).toHaveLength(1);
    for (const p of plans) {
      expect(bucketLengths(128)).toContain(p.seqLen);
      for (const i of p.rows) expect(lengths[i]).toBeLessThanOrEqual(p.seqLen);
    }
  });

  it('moves a bucket\'s leftovers up instead of making a partial batch per bucket', () => {
    const short = [example(5, 0), example(5, 1), example(5, 2), example(40, 3), example(40, 4), example(40, 5)];
    const plans = planBatches(short, { ...options, shuffle: false });
    expect(plans).toEqual([
      { rows: [0, 1, 2, 3], seqLen: 64 },
      { rows: [4, 5], seqLen: 64 },
    ]);
  });

  it('shuffles reproducibly per seed and epoch; keeps a fixed order without shuffling', () => {
    const a = planBatches(examples, options);
    expect(planBatches(examples, options)).toEqual(a);
    expect(planBatches(examples, { ...options, epoch: 1 })).not.toEqual(a);
    expect(planBatches(examples, { ...options, seed: 2 })).not.toEqual(a);
    const fixed = planBatches(examples, { ...options, shuffle: false });
    expect(fixed.map((p) => p.seqLen)).toEqual([...fixed.map((p) => p.seqLen)].sort((x, y) => x - y));
    expect(planBatches(examples, { ...options, shuffle: false, seed: 9 })).toEqual(fixed);
    expect(planBatches([], options)).toEqual([]);
  });

  it('rejects a bad batch size and examples longer than maxLength', () => {
    expectDataError(() => planBatches(examples, { ...options, batchSize: 0 }), 'bad-option');
    expectDataError(() => planBatches(examples, { ...options, batchSize: 2.5 }), 'bad-option');
    expectDataError(() => planBatches(examples, { ...options, maxLength: 64 }), 'bad-option');
  });
});

describe('collate', () => {
  const plan: BatchPlan = { rows: [0, 4], seqLen: 8 };
  const small = [example(5, 7, 1), example(2, 8, 0), example(3, 9, 1), example(4, 10, 0), example(3, 11, 2)];

  it('pads rows to seqLen and the batch to batchSize with weight-0 padding rows', () => {
    const b = collate(small, plan, { batchSize: 3, padId: 0, includeWordIds: true });
    expect([b.batchSize, b.seqLen, b.validRows]).toEqual([3, 8, 2]);
    expect([...b.inputIds]).toEqual([2, 11, 12, 13, 3, 0, 0, 0, 2, 11, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...b.attentionMask]).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect([...b.weights]).toEqual([1, 1, 0]);
    expect(b.indices).toEqual([7, 11]);
    expect(b.labels).toBeInstanceOf(Int32Array);
    expect([...(b.labels ?? [])]).toEqual([1, 2, 0]);
    expect([...(b.wordIds ?? [])].slice(0, 8)).toEqual([-1, 0, 1, 2, -1, -1, -1, -1]);
    expect([...(b.wordIds ?? [])].slice(16)).toEqual(new Array(8).fill(-1));
    expect(b.tokenTypeIds).toHaveLength(24);
  });

  it('gives float labels for regression, none for unlabeled data, and exact rows without row padding', () => {
    const reg = [example(3, 0, 0.5), example(3, 1, 2.25)];
    const options = { batchSize: 4, padId: 0, labelKind: 'numeric', padRows: false } as const;
    const b = collate(reg, { rows: [1, 0], seqLen: 4 }, options);
    expect(b.labels).toBeInstanceOf(Float32Array);
    expect([...(b.labels ?? [])]).toEqual([2.25, 0.5]);
    expect([b.batchSize, b.inputIds.length, b.wordIds]).toEqual([2, 8, undefined]);
    const unlabeled = collate([example(3, 0)], { rows: [0], seqLen: 4 }, { batchSize: 2, padId: 0 });
    expect(unlabeled.labels).toBeUndefined();
  });

  it('rejects mixed labels, too-long rows, and oversized plans', () => {
    const mixed = [example(3, 0, 1), example(3, 1)];
    expectDataError(() => collate(mixed, { rows: [0, 1], seqLen: 4 }, { batchSize: 2, padId: 0 }), 'bad-option');
    expectDataError(() => collate(small, { rows: [0], seqLen: 4 }, { batchSize: 2, padId: 0 }), 'bad-option');
    expectDataError(() => collate(small, { rows: [0, 1, 2], seqLen: 8 }, { batchSize: 2, padId: 0 }), 'bad-option');
  });
});

describe('splitRows', () => {
  const rows = [example(5, 7, 1), example(2, 8, 0), example(3, 9, 1), example(4, 10, 0), example(3, 11, 2)];
  const batch = collate(rows, { rows: [0, 1, 2, 3, 4], seqLen: 6 }, { batchSize: 6, padId: 0, includeWordIds: true });

  it('cuts a batch into parts of consecutive rows that collate would have made from those rows', () => {
    const parts = splitRows(batch, 2, 0);
    const whole = [collate(rows, { rows: [0, 1, 2], seqLen: 6 }, { batchSize: 3, padId: 0, includeWordIds: true }),
      collate(rows, { rows: [3, 4], seqLen: 6 }, { batchSize: 3, padId: 0, includeWordIds: true })];
    expect(parts).toEqual(whole);
  });

  it('pads the last part to the others\' size and leaves parts past the real rows with weight 0 only', () => {
    const parts = splitRows(batch, 4, 0); // 2 rows each; the batch's 6 rows end inside part 3, its 5 real rows in part 2
    expect(parts.map((p) => [p.batchSize, p.validRows])).toEqual([[2, 2], [2, 2], [2, 1], [2, 0]]);
    const last = parts[3];
    expect([...last.weights]).toEqual([0, 0]);
    expect([...last.attentionMask]).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect([...(last.wordIds ?? [])]).toEqual(new Array(12).fill(-1));
    expect(last.indices).toEqual([]);
    expect(() => splitRows(batch, 0, 0)).toThrow(/parts/);
  });

  it('cuts the token tags of a token-classification batch with their rows, so each part weighs its tagged words', () => {
    const tokenWeights = Float32Array.from({ length: 36 }, (_, i) => (i < 18 && i % 2 === 0 ? 1 : 0)); // rows 0-2: 3 tags each
    const tagged = { ...batch, tokenLabels: Int32Array.from(tokenWeights, (w, i) => (w ? i : 0)), tokenWeights };
    const parts = splitRows(tagged, 2, 0);
    expect(parts.map(lossWeight)).toEqual([9, 0]);
    expect([...parts[0].tokenLabels!]).toEqual([...tagged.tokenLabels.subarray(0, 18)]);
    expect(parts[1].tokenWeights).toHaveLength(18);
  });
});

describe('epochBatches', () => {
  it('collates the plan lazily with a fixed batch dimension', () => {
    const options = { batchSize: 4, maxLength: 128, seed: 3, epoch: 2, padId: 0 };
    const batches = [...epochBatches(examples, options)];
    expect(batches).toHaveLength(planBatches(examples, options).length);
    expect(batches.every((b) => b.batchSize === 4 && b.inputIds.length === 4 * b.seqLen)).toBe(true);
    expect(batches.flatMap((b) => b.indices).sort((a, b) => a - b)).toEqual(lengths.map((_, i) => 100 + i));
    expect(batches.reduce((n, b) => n + b.validRows, 0)).toBe(lengths.length);
  });
});
