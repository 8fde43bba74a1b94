import { describe, expect, it } from 'vitest';
import { estimateMemory, isOutOfMemory, outOfMemoryAdvice, type ArchitectureSizes } from './memory';

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

  it('puts bert-base at batch 32 × 128 in the range people report for fp32 fine-tuning', () => {
    const estimate = estimateMemory(BERT_BASE, 32, 128);
    // 4 × 438 MB for the model states; activations a few GB; fp32 runs of this size need about 8-10 GB
    expect(estimate.weights / 1e6).toBeCloseTo(437.9, 0);
    expect(estimate.activations / 1e9).toBeGreaterThan(3);
    expect(estimate.activations / 1e9).toBeLessThan(8);
  });

  it('grows linearly with the batch and faster than linearly with the sequence length', () => {
    const base = estimateMemory(BERT_BASE, 8, 128).activations;
    expect(estimateMemory(BERT_BASE, 16, 128).activations).toBeCloseTo(2 * base, -3);
    expect(estimateMemory(BERT_BASE, 8, 256).activations).toBeGreaterThan(2 * base);
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
