import { describe, expect, it } from 'vitest';
import { peerCount } from './peers';

describe('peerCount', () => {
  it('gives wasm runs the cores past the engine\'s and the page\'s, at most three, and other backends none', () => {
    expect([1, 2, 3, 4, 5, 16].map((cores) => peerCount('wasm', cores))).toEqual([0, 0, 1, 2, 3, 3]);
    expect(peerCount('webgpu', 16)).toBe(0);
    expect(peerCount('cpu', 16)).toBe(0);
  });
});
