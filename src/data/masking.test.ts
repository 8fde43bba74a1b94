import { describe, expect, it } from 'vitest';
import type { Batch } from './batching';
import { maskCapacity, maskTokens, mlmLabelMatrix, type MaskedBatch } from './masking';
import { createRng } from './random';
import { expectDataError } from './testing';

const special = { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 };
const tokenizer = { vocabSize: 1000, special };
type MaskInput = Pick<Batch, 'inputIds' | 'batchSize' | 'seqLen' | 'wordIds'>;

/**
 * A batch whose row r holds words of the given piece counts: [CLS] pieces… [SEP] [PAD]…; ids of ordinary
 * tokens are 100 + position so a changed token is easy to spot.
 */
function batchOf(rows: number[][], seqLen: number): MaskInput {
  const inputIds = new Int32Array(rows.length * seqLen).fill(special.pad);
  const wordIds = new Int32Array(rows.length * seqLen).fill(-1);
  rows.forEach((words, r) => {
    let t = r * seqLen;
    inputIds[t++] = special.cls;
    words.forEach((pieces, w) => {
      for (let p = 0; p < pieces; p++) {
        inputIds[t] = 100 + (t % seqLen);
        wordIds[t++] = w;
      }
    });
    inputIds[t] = special.sep;
  });
  return { inputIds, wordIds, batchSize: rows.length, seqLen };
}

/** 32 rows of random word shapes (1–3 pieces per word), some rows short and padded. */
function randomBatch(seed: number): MaskInput {
  const rng = createRng(seed);
  const rows = Array.from({ length: 32 }, () => {
    const words: number[] = [];
    const target = 5 + rng.int(55);
    for (let n = 0; n < target; ) {
      const pieces = 1 + rng.int(3);
      words.push(pieces);
      n += pieces;
    }
    return words;
  });
  return batchOf(rows, 64 + 16);
}

function targetsOf(m: MaskedBatch): number[] {
  return [...m.maskedPositions.subarray(0, m.maskedCount)];
}

describe('maskTokens', () => {
  it('masks ~15% of maskable tokens, split 80/10/10, never touching specials or padding', () => {
    let maskable = 0;
    let targets = 0;
    const outcome = { mask: 0, random: 0, same: 0 };
    for (let seed = 0; seed < 64; seed++) {
      const batch = randomBatch(seed);
      const m = maskTokens(batch, { tokenizer, rng: createRng(seed).fork('mlm') });
      maskable += (batch.wordIds as Int32Array).filter((w) => w >= 0).length;
      targets += m.maskedCount;
      for (const [i, p] of targetsOf(m).entries()) {
        expect((batch.wordIds as Int32Array)[p]).toBeGreaterThanOrEqual(0);
        expect(m.maskedLabels[i]).toBe(batch.inputIds[p]);
        const now = m.inputIds[p];
        if (now === special.mask) outcome.mask++;
        else if (now === batch.inputIds[p]) outcome.same++;
        else {
          outcome.random++;
          expect(Object.values(special)).not.toContain(now);
          expect(now).toBeLessThan(tokenizer.vocabSize);
        }
      }
      // Only target positions change.
      const changed = m.inputIds.map((id, i) => (id !== batch.inputIds[i] ? 1 : 0));
      targetsOf(m).forEach((p) => (changed[p] = 0));
      expect(changed.every((c) => c === 0)).toBe(true);
    }
    expect(targets / maskable).toBeGreaterThan(0.14);
    expect(targets / maskable).toBeLessThan(0.16);
    // ~10k targets: one standard deviation is 0.004 for the 80% share and 0.003 for the 10% shares.
    expect(targets).toBeGreaterThan(9000);
    expect(Math.abs(outcome.mask / targets - 0.8)).toBeLessThan(0.015);
    expect(Math.abs(outcome.random / targets - 0.1)).toBeLessThan(0.012);
    // A random draw can land on the original token, so "same" is 10% plus a hair.
    expect(Math.abs(outcome.same / targets - 0.1)).toBeLessThan(0.012);
  });

  it('takes an exact count per row and at least one target per sequence', () => {
    const batch = batchOf([[1], [1, 1], Array(20).fill(1), []], 32);
    const m = maskTokens(batch, { tokenizer, rng: createRng(1) });
    const perRow = [0, 0, 0, 0];
    for (const p of targetsOf(m)) perRow[Math.floor(p / 32)]++;
    // round(0.15·20) = 3; the empty row ([CLS] [SEP]) has nothing to mask.
    expect(perRow).toEqual([1, 1, 3, 0]);
    expect(targetsOf(m)).toEqual([...targetsOf(m)].sort((a, b) => a - b));
  });

  it('is deterministic under a seed and differs between seeds', () => {
    const batch = randomBatch(5);
    const a = maskTokens(batch, { tokenizer, rng: createRng(7) });
    expect(maskTokens(batch, { tokenizer, rng: createRng(7) })).toEqual(a);
    expect(maskTokens(batch, { tokenizer, rng: createRng(8) }).maskedPositions).not.toEqual(a.maskedPositions);
  });

  it('with whole-word masking selects every piece of each chosen word', () => {
    for (let seed = 0; seed < 5; seed++) {
      const batch = randomBatch(seed);
      const wordIds = batch.wordIds as Int32Array;
      const m = maskTokens(batch, { tokenizer, rng: createRng(seed), wholeWord: true });
      const chosen = new Set(targetsOf(m));
      const rowWord = (p: number): string => `${Math.floor(p / batch.seqLen)}:${wordIds[p]}`;
      const chosenWords = new Set([...chosen].map(rowWord));
      wordIds.forEach((w, p) => {
        if (w >= 0 && chosenWords.has(rowWord(p))) expect(chosen.has(p)).toBe(true);
      });
      const rate = m.maskedCount / wordIds.filter((w) => w >= 0).length;
      expect(rate).toBeGreaterThan(0.1);
      expect(rate).toBeLessThan(0.2);
    }
  });

  it('with whole-word masking takes the shortest word when no word fits the budget', () => {
    const m = maskTokens(batchOf([[3, 2, 3]], 16), { tokenizer, rng: createRng(1), wholeWord: true });
    // 8 pieces → budget 1; the 2-piece word sits at positions 4 and 5.
    expect(targetsOf(m)).toEqual([4, 5]);
  });

  it('pads targets to a fixed capacity with weight 0', () => {
    const batch = batchOf([[1, 1, 1], [1]], 16);
    const m = maskTokens(batch, { tokenizer, rng: createRng(2) });
    expect(maskCapacity(2, 16)).toBe(4);
    expect(m.maskedPositions).toHaveLength(4);
    expect([...m.maskedWeights]).toEqual([1, 1, 0, 0]);
    expect(m.maskedCount).toBe(2);
    const exact = maskTokens(batch, { tokenizer, rng: createRng(2), capacity: 0 });
    expect(exact.maskedPositions).toHaveLength(2);
  });

  it('rejects a batch without word ids, bad probabilities, capacities and vocabularies', () => {
    const batch = batchOf([[1, 1]], 8);
    const rng = createRng(1);
    expectDataError(() => maskTokens({ ...batch, wordIds: undefined }, { tokenizer, rng }), 'bad-option');
    expectDataError(() => maskTokens(batch, { tokenizer, rng, probability: 0 }), 'bad-option');
    expectDataError(() => maskTokens(batch, { tokenizer, rng, probability: 1.5 }), 'bad-option');
    expectDataError(() => maskTokens(batch, { tokenizer, rng, capacity: -1 }), 'bad-option');
    expectDataError(() => maskTokens(batch, { tokenizer: { vocabSize: 5, special }, rng }), 'bad-option');
  });
});

describe('mlmLabelMatrix', () => {
  it('puts the original ids at the targets and -100 elsewhere', () => {
    const batch = batchOf([[1, 1, 1, 1, 1, 1, 1]], 10);
    const m = maskTokens(batch, { tokenizer, rng: createRng(3) });
    const labels = mlmLabelMatrix(m, 1, 10);
    const targets = targetsOf(m);
    expect(targets).toHaveLength(1);
    labels.forEach((l, p) => expect(l).toBe(targets.includes(p) ? batch.inputIds[p] : -100));
  });
});
