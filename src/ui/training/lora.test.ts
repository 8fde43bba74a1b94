import { describe, expect, it } from 'vitest';
import { loraEstimate } from './lora';

describe('loraEstimate', () => {
  it('counts r·(in + out) per adapted layer and the head, as the engine does for the base fixture', () => {
    // The engine's log for this run (src/worker/engine.test.ts): 3,682 trainable of 24,226, adapters 2,560.
    const fixture = { numLayerGroups: 2, hiddenSize: 32, intermediateSize: 64, numParams: 24_226 };
    expect(loraEstimate(fixture, 4, ['query', 'value', 'ffn'], 2)).toEqual({ adapters: 2_560, trainable: 3_682, total: 24_226, savedBytes: (24_226 - 3_682) * 12 });
  });

  it('makes bert-base trainable at a fraction of a percent with r 8 on query and value', () => {
    const base = { numLayerGroups: 12, hiddenSize: 768, intermediateSize: 3072, numParams: 109_483_778 };
    const estimate = loraEstimate(base, 8, ['query', 'value'], 2);
    expect(estimate.adapters).toBe(294_912); // 12 layers × 2 targets × 8·(768 + 768)
    expect(estimate.trainable / estimate.total).toBeLessThan(0.01);
    expect(estimate.savedBytes).toBeGreaterThan(1.2e9);
  });
});
