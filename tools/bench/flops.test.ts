import { describe, expect, it } from 'vitest';
import { forwardFlops, layerForwardFlopsPerToken, trainStepFlops } from './flops';

describe('step FLOPs', () => {
  it('counts a layer per token as 2·(4h² + 2·h·inter) + 4·seq·h', () => {
    // bert-base at 128 tokens: 2·(4·768² + 2·768·3072) + 4·128·768 = 14,155,776 + 393,216.
    expect(layerForwardFlopsPerToken(768, 3072, 128)).toBe(14_548_992);
    expect(layerForwardFlopsPerToken(1, 1, 1)).toBe(16);
  });

  it('multiplies by layers and tokens, and counts a training step as 3 forward passes (4 with checkpointing)', () => {
    const mini = { layers: 4, hidden: 256, intermediate: 1024 };
    const forward = 4 * 16 * 128 * layerForwardFlopsPerToken(256, 1024, 128);
    expect(forwardFlops(mini, 16, 128)).toBe(forward);
    expect(forward / 1e9).toBeCloseTo(14.0, 1);
    expect(trainStepFlops(mini, 16, 128, false)).toBe(3 * forward);
    expect(trainStepFlops(mini, 16, 128, true)).toBe(4 * forward);
  });
});
