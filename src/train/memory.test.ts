import { describe, expect, it } from 'vitest';
import { estimateMemory, isOutOfMemory, largestBatch, MemoryError, memoryBudget, outOfMemoryAdvice, planMemory, type ArchitectureSizes } from './memory';

// bert-base-uncased: 12 layers, 768 hidden, 12 heads, 3072 intermediate, 30522 vocab, 109.5M parameters
const BERT_BASE: ArchitectureSizes = {
  numLayers: 12,
  hiddenSize: 768,
  numHeads: 12,
  intermediateSize: 3072,
  vocabSize: 30522,
  numParams: 109_482_240,
};

describe('estimateMemory', () => {
  it('counts weights once, AdamW states twice and gradients once', () => {
    const estimate = estimateMemory(BERT_BASE, 1, 8);
    expect(estimate.weights).toBe(BERT_BASE.numParams * 4);
    expect(estimate.optimizer).toBe(2 * estimate.weights);
    expect(estimate.gradients).toBe(estimate.weights);
    expect(estimate.total).toBe(estimate.weights * 4 + estimate.activations);
  });

  it('sits within -2% to +10% of the peaks measured on wasm at bert-base widths (docs/PERFORMANCE.md, "Memory")', () => {
    // Peak live tfjs bytes of training steps (classification, seq 128), layers × batch, with and without checkpointing.
    const measuredMiB: [layers: number, batch: number, checkpointing: boolean, peak: number][] = [
      [2, 8, false, 1059], [4, 8, false, 1635], [4, 16, false, 2557],
      [2, 8, true, 857], [4, 8, true, 1074], [4, 16, true, 1430], [12, 8, true, 1939],
    ];
    for (const [layers, batch, checkpointing, peak] of measuredMiB) {
      const sizes = { ...BERT_BASE, numLayers: layers, numParams: 23_837_184 + layers * 7_087_872 + 592_130 };
      const ratio = estimateMemory(sizes, batch, 128, 'classify', checkpointing).total / 2 ** 20 / peak;
      expect(ratio, `${layers} layers, batch ${batch}, checkpointing ${checkpointing}`).toBeGreaterThanOrEqual(0.98);
      expect(ratio).toBeLessThan(1.1);
    }
  });

  it('keeps one [tokens, hidden] tensor per layer and one layer\'s activations with gradient checkpointing', () => {
    const plain = estimateMemory(BERT_BASE, 8, 128);
    const checkpointed = estimateMemory(BERT_BASE, 8, 128, 'classify', true);
    expect(checkpointed.gradientCheckpointing).toBe(true);
    expect(checkpointed.weights + checkpointed.optimizer + checkpointed.gradients).toBe(plain.weights + plain.optimizer + plain.gradients);
    expect(checkpointed.activations).toBeLessThan(plain.activations / 5);
    const perLayer = (plain.activations - estimateMemory({ ...BERT_BASE, numLayers: 11 }, 8, 128).activations);
    expect(checkpointed.activations).toBeGreaterThan(perLayer); // the layer being recomputed
  });

  it('grows linearly with the batch and faster than linearly with the sequence length', () => {
    const base = estimateMemory(BERT_BASE, 8, 128).activations;
    expect(estimateMemory(BERT_BASE, 16, 128).activations).toBeCloseTo(2 * base, -3);
    expect(estimateMemory(BERT_BASE, 8, 256).activations).toBeGreaterThan(2 * base);
  });

  it('keeps one part\'s activations when the batch is computed in parts, and the summed gradients beside their mean', () => {
    const whole = estimateMemory(BERT_BASE, 8, 128);
    const halves = estimateMemory(BERT_BASE, 8, 128, 'classify', false, 2);
    expect(halves.activations).toBe(estimateMemory(BERT_BASE, 4, 128).activations);
    expect(halves.gradients).toBe(2 * whole.gradients);
    expect(halves.perPeer).toBe(2 * whole.weights + halves.activations);
    expect(whole.perPeer).toBe(0);
    // A third part rounds up: 3 rows of 8 each.
    expect(estimateMemory(BERT_BASE, 8, 128, 'classify', false, 3).activations).toBe(estimateMemory(BERT_BASE, 3, 128).activations);
    // The largest batch counts every part: the engine's part fits the budget, one more row for each part would not.
    const budget = 3 * 2 ** 30;
    const largest = largestBatch(BERT_BASE, 512, 'classify', budget, 2);
    expect(largest % 2).toBe(0);
    expect(estimateMemory(BERT_BASE, largest, 512, 'classify', true, 2).total).toBeLessThanOrEqual(budget);
    expect(estimateMemory(BERT_BASE, largest + 2, 512, 'classify', true, 2).total).toBeGreaterThan(budget);
  });

  it('adds vocabulary logits for masked LM', () => {
    const classify = estimateMemory(BERT_BASE, 8, 128, 'classify');
    const mlm = estimateMemory(BERT_BASE, 8, 128, 'mlm');
    expect(mlm.activations - classify.activations).toBe(8 * 128 * (2 * 768 + 2 * 30522) * 4);
  });

  it('rejects a batch or length that is not a positive whole number', () => {
    expect(() => estimateMemory(BERT_BASE, 0, 128)).toThrow(/batch must be a whole number/);
    expect(() => estimateMemory(BERT_BASE, 8, 12.5)).toThrow(RangeError);
    expect(() => estimateMemory(BERT_BASE, Number.NaN, 128)).toThrow(RangeError);
  });
});

describe('out of memory', () => {
  it('recognises allocation failures from WebGPU, wasm and V8, and nothing else', () => {
    for (const message of ['Failed to allocate GPU buffer', 'memory access out of bounds', 'Array buffer allocation failed', 'WebGPU: Out of memory']) {
      expect(isOutOfMemory(new Error(message)), message).toBe(true);
    }
    expect(isOutOfMemory(new Error('The loss became NaN'))).toBe(false);
    expect(isOutOfMemory('out of memory')).toBe(false);
  });

  it('gives the estimate for the settings that failed and what to change', () => {
    const base: ArchitectureSizes = { numLayers: 12, hiddenSize: 768, numHeads: 12, intermediateSize: 3072, vocabSize: 30522, numParams: 109_482_240 };
    const advice = outOfMemoryAdvice(base, 8, 64, 'classify');
    expect(advice).toMatch(/^The run ran out of memory\. At batch 8 × 64 tokens it needs about [\d,]+ MB \(weights 418 MB, AdamW 835 MB, gradients 418 MB, activations [\d,]+ MB\)\./);
    expect(advice).toContain('batch size 4 (with gradient accumulation 2');
    expect(advice).toContain('max length 32');
    expect(advice).toContain('freezing the embeddings');
  });
});

describe('planMemory', () => {
  it('leaves a run that fits as it is, and bounds only wasm', () => {
    expect(planMemory(BERT_BASE, 4, 64, 'classify', 'wasm', false)).toMatchObject({ gradientCheckpointing: false, note: null });
    expect(memoryBudget('webgpu')).toBeNull();
    expect(planMemory(BERT_BASE, 64, 512, 'classify', 'webgpu', false)).toMatchObject({ gradientCheckpointing: false, note: null });
    expect(memoryBudget('wasm')).toBe(3 * 2 ** 30);
  });

  it('turns gradient checkpointing on for bert-base at batch 8 × 128 on wasm, and says why', () => {
    const plan = planMemory(BERT_BASE, 8, 128, 'classify', 'wasm', false);
    expect(plan.gradientCheckpointing).toBe(true);
    expect(plan.estimate.total).toBeLessThanOrEqual(memoryBudget('wasm')!);
    expect(plan.note).toMatch(/^Gradient checkpointing is on: at batch 8 × 128 tokens this run needs about 4,\d{3} MB, more than wasm's 3,072 MB; .* brings it to 2,\d{3} MB/);
  });

  it('refuses what cannot fit even then, naming the largest batch that does', () => {
    const largest = largestBatch(BERT_BASE, 128, 'classify', memoryBudget('wasm')!);
    expect(largest).toBeGreaterThan(8);
    expect(estimateMemory(BERT_BASE, largest, 128, 'classify', true).total).toBeLessThanOrEqual(memoryBudget('wasm')!);
    expect(estimateMemory(BERT_BASE, largest + 1, 128, 'classify', true).total).toBeGreaterThan(memoryBudget('wasm')!);
    expect(() => planMemory(BERT_BASE, 64, 128, 'classify', 'wasm', false)).toThrow(MemoryError);
    expect(() => planMemory(BERT_BASE, 64, 128, 'classify', 'wasm', false)).toThrow(new RegExp(`largest batch that fits at 128 tokens is ${largest}\\b`));
    expect(largestBatch({ ...BERT_BASE, numParams: 1e9 }, 128, 'classify', memoryBudget('wasm')!)).toBe(0);
    expect(() => planMemory({ ...BERT_BASE, numParams: 1e9 }, 1, 128, 'classify', 'wasm', false)).toThrow(/No batch fits at 128 tokens/);
  });
});
